// Schemas the modules' response schemas share (money, timestamps), and the compile-time check that
// a response schema describes the TypeScript type the handler answers with: a field renamed or
// retyped in the type and not in the schema stops the build (and the contract test then checks
// the observed answers at run time, test/openapi/journey.test.ts).
import { z } from 'zod';

export const MoneySchema = z
  .object({
    minor: z.int().min(0).meta({ description: 'Integer minor units (paise, cents)' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .meta({ description: 'ISO 4217 code' }),
  })
  .meta({ id: 'Money', example: { minor: 25000, currency: 'INR' } });

/** An instant as the API writes it (ISO 8601, UTC or with an offset). */
export const Instant = z.iso.datetime({ offset: true });

/** A local date, YYYY-MM-DD. */
export const LocalDate = z.iso.date();

/** `true` when every value of `T` is a value of the schema's output (what a response validates against). */
export type Describes<T, S extends z.ZodType> = [T] extends [z.output<S>] ? true : false;
/** `type X = Assert<Describes<BookingView, typeof BookingViewSchema>>` fails to compile when it does not. */
export type Assert<T extends true> = T;
