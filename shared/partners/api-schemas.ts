// The partner webhook routes' HTTP contract (functions/partners-me.ts, partners-ops.ts) as zod
// schemas; shared/partners/openapi.ts describes the routes with them.
import { z } from 'zod';
import { documentId } from '../http/validate.js';
import { Instant, MoneySchema, type Assert, type Describes } from '../http/openapi/common.js';
import { BOOKING_STATUSES } from '../domain/booking/index.js';
import { FormatSchema } from '../catalog/api-schemas.js';
import { deliveryView, endpointView, EndpointFilterSchema, EndpointInputSchema, EndpointPatchSchema } from './model.js';
import { DeliveryQuerySchema } from './queries.js';
import { PartnerEventTypeSchema } from './payloads.js';

export { DeliveryQuerySchema, EndpointInputSchema, EndpointPatchSchema };
export const EndpointParamsSchema = z.object({ id: documentId });
export const DeliveryParamsSchema = EndpointParamsSchema.extend({ deliveryId: documentId });
export const PartnerBookingParamsSchema = z.object({ bookingId: documentId });
export const PartnerShowParamsSchema = z.object({ showId: documentId });
export const ReplayBodySchema = z.strictObject({
  since: z.iso.datetime({ offset: true }).meta({ description: 'Resend every event since then' }),
});

export const EndpointSchema = z
  .object({
    id: z.string(),
    partnerId: z.string(),
    name: z.string(),
    url: z.string(),
    events: z.array(PartnerEventTypeSchema),
    filter: EndpointFilterSchema.optional(),
    status: z.enum(['enabled', 'disabled']),
    disabledReason: z.enum(['operator', 'gone', 'failing']).optional(),
    disabledAt: Instant.optional(),
    secrets: z.array(z.object({ createdAt: Instant, expiresAt: Instant.optional() })),
    health: z.object({
      lastSuccessAt: Instant.optional(),
      lastFailureAt: Instant.optional(),
      failingSince: Instant.optional(),
      failureStreak: z.int(),
      lastStatusCode: z.int().optional(),
    }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'PartnerEndpoint', description: 'A partner webhook endpoint (never its secrets)' });
export const DeliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    partnerId: z.string(),
    eventId: z.string(),
    eventType: PartnerEventTypeSchema,
    eventTime: Instant,
    bookingId: z.string(),
    showId: z.string(),
    status: z.enum(['pending', 'retrying', 'delivered', 'failed', 'cancelled']),
    run: z.int(),
    attempts: z.array(
      z.object({
        run: z.int(),
        n: z.int(),
        at: Instant,
        ok: z.boolean(),
        statusCode: z.int().optional(),
        latencyMs: z.number(),
        response: z.string().optional(),
        error: z.string().optional(),
      }),
    ),
    nextAttemptAt: Instant.optional(),
    payload: z.unknown().meta({ description: 'The event as sent (docs/webhooks.md)' }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'PartnerDelivery' });
export const EndpointListSchema = z.object({ items: z.array(EndpointSchema) });
export const EndpointAnswerSchema = z.object({ endpoint: EndpointSchema });
export const EndpointWithSecretSchema = z.object({
  endpoint: EndpointSchema,
  secret: z.string().meta({ description: 'The signing secret: shown only in this answer' }),
});
export const DeliveryPageSchema = z.object({
  items: z.array(DeliverySchema),
  cursor: z.string().optional().meta({ description: 'Send it back for the next page' }),
});
export const EventCatalogueSchema = z.object({
  items: z.array(
    z.object({
      type: PartnerEventTypeSchema,
      description: z.string(),
      schema: z.record(z.string(), z.unknown()).meta({ description: "The event's JSON Schema" }),
    }),
  ),
});
export const PartnerBookingSchema = z.object({
  bookingId: z.string(),
  showId: z.string(),
  show: z.object({ title: z.string(), venueName: z.string(), startsAt: Instant }),
  status: z.enum(BOOKING_STATUSES),
  seatIds: z.array(z.string()),
  total: MoneySchema,
  updatedAt: Instant,
});
export const PartnerShowSchema = z.object({
  id: z.string(),
  city: z.string(),
  movieId: z.string(),
  kind: z.enum(['movie', 'event']),
  title: z.string(),
  venueId: z.string(),
  venueName: z.string(),
  screenName: z.string(),
  startsAt: Instant,
  endsAt: Instant,
  language: z.string(),
  format: FormatSchema,
  status: z.enum(['scheduled', 'cancelled']),
});
export const DeliveryRetriedSchema = z.object({ delivery: DeliverySchema });
export const ReplayedSchema = z.object({ replayed: z.int().meta({ description: 'Deliveries started' }) });

export type PartnerSchemasDescribeTheirTypes = [
  Assert<Describes<ReturnType<typeof endpointView>, typeof EndpointSchema>>,
  Assert<Describes<ReturnType<typeof deliveryView>, typeof DeliverySchema>>,
];
