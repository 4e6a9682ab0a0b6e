// The seat routes' HTTP contract (functions/show-seats.ts) as zod schemas: requests the handlers
// validate and the answers they give. shared/inventory/openapi.ts describes the routes with them.
import { z } from 'zod';
import { documentId } from '../http/validate.js';
import { MoneySchema, type Assert, type Describes } from '../http/openapi/common.js';
import type { AvailabilityView } from '../domain/availability.js';
import type { Quote } from './quote.js';

export const SeatsParamsSchema = z.object({ showId: documentId });
const seatIds = z
  .array(z.string().min(1).max(40))
  .min(1)
  .max(1000)
  .meta({ example: ['F7', 'F8'] });
export const BestAvailableBodySchema = z.strictObject({
  count: z.number().int().min(1).max(10),
  category: z.string().min(1).max(40).optional().meta({ description: "A category id of the show's layout" }),
  wheelchair: z.boolean().optional(),
});
export const QuoteBodySchema = z.strictObject({ seatIds });
export const SeatBlockBodySchema = z.strictObject({ action: z.enum(['block', 'unblock']), seatIds });

export const AvailabilitySchema = z
  .object({
    showId: z.string(),
    status: z.enum(['scheduled', 'cancelled']),
    layoutId: z.string(),
    layoutVersion: z.int(),
    version: z.int().meta({ description: "Grows with every change to the show's seats" }),
    encoding: z.literal('seat-state-v1'),
    seats: z
      .string()
      .regex(/^[012]*$/)
      .meta({ description: "One character per seat in layout order: '0' free, '1' unavailable, '2' blocked" }),
    free: z.record(z.string(), z.int()).meta({ description: 'Category → free seats' }),
    prices: z.record(z.string(), MoneySchema).meta({ description: 'Category → price of one ticket' }),
    categories: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .meta({ description: "The layout's categories, in layout order" }),
    sections: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          start: z.int().meta({ description: "Index of the section's first seat in `seats`" }),
          seats: z.int().meta({ description: 'How many seats the section has (consecutive in `seats`)' }),
          categories: z.array(z.string()).meta({ description: "Its rows' categories, front row first, each once" }),
          position: z
            .object({ angle: z.number(), span: z.number(), ring: z.int().optional() })
            .optional()
            .meta({ description: 'Stadiums: degrees clockwise from the top, degrees covered, tier (0 = lower)' }),
        }),
      )
      .meta({
        description:
          "The layout's sections without their rows, in layout order: enough to draw a stadium's overview and count each section's free seats",
      }),
  })
  .meta({ id: 'Availability', description: 'A show’s seat availability (docs/seat-map.md)' });

const quoteFields = {
  seats: z.array(z.object({ id: z.string(), category: z.string(), price: MoneySchema })),
  total: MoneySchema,
};
export const QuoteSchema = z
  .object({ ok: z.literal(true), showId: z.string(), sectionId: z.string(), ...quoteFields })
  .meta({ id: 'SeatQuote' });
export const BestAvailableSchema = z
  .object({
    showId: z.string(),
    seatIds: z.array(z.string()),
    sectionId: z.string(),
    adjacent: z.boolean().meta({ description: 'The seats sit together in one row' }),
    ...quoteFields,
  })
  .meta({ id: 'BestAvailable' });
export const SeatBlockResultSchema = z.object({
  ok: z.literal(true),
  showId: z.string(),
  sectionId: z.string(),
  seatIds: z.array(z.string()).meta({ description: 'Seats whose state changed' }),
  attempts: z.int(),
});

export type SeatSchemasDescribeTheirTypes = [
  Assert<Describes<AvailabilityView, typeof AvailabilitySchema>>,
  Assert<Describes<Quote & { ok: true; showId: string; sectionId: string }, typeof QuoteSchema>>,
];
