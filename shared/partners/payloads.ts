// What partners receive: the Standard Webhooks payload `{type, timestamp, data}` for each booking
// event (docs/webhooks.md, Events). `data` is the booking event's data (shared/booking/events.ts)
// cut down to public fields: no user id, no personal data; a partner that needs more fetches the
// booking with its own token. The zod schemas below are the contract twice over: parsing an event
// through one strips whatever it does not name, and GET /api/partners/me/event-types publishes each
// one as JSON Schema (zod's toJSONSchema), so the documentation cannot drift from what is sent.
import { z } from 'zod';
import { BOOKING_EVENT_TYPES, type BookingEventType, type CloudEvent } from '../booking/events.js';

const Money = z.object({
  minor: z.number().int().describe('amount in minor units (paise, cents)'),
  currency: z.string().length(3).describe('ISO 4217'),
});

const ShowSummary = z.object({
  title: z.string(),
  venueName: z.string(),
  startsAt: z.string().describe('ISO-8601 UTC'),
});

const BookingRef = {
  bookingId: z.string(),
  showId: z.string(),
  show: ShowSummary,
};

const Outcome = (status: 'confirmed' | 'failed' | 'expired') =>
  z.object({
    ...BookingRef,
    status: z.literal(status),
    seatIds: z.array(z.string()),
    total: Money,
    ...(status === 'confirmed'
      ? {}
      : { reason: z.object({ code: z.string() }).optional().describe('why the booking did not complete') }),
  });

const Cancellation = z.object({
  ...BookingRef,
  cancellationId: z.string().optional(),
  seatIds: z.array(z.string()).optional().describe('the seats cancelled'),
  whole: z.boolean().optional().describe('the whole booking was cancelled'),
  refund: Money.optional(),
  feesKept: Money.optional(),
  refundId: z.string().optional(),
  bookingStatus: z.string().optional().describe('the booking status after the cancellation'),
  late: z.boolean().optional().describe('a payment that arrived after the booking ended, refunded in full'),
  paymentId: z.string().optional(),
  amount: Money.optional(),
});

export const PARTNER_EVENT_SCHEMAS = {
  'booking.confirmed': Outcome('confirmed').describe('Seats are booked and paid.'),
  'booking.failed': Outcome('failed').describe('The booking ended without seats (declined payment, seats lost, …).'),
  'booking.expired': Outcome('expired').describe('The hold ran out before payment.'),
  'booking.cancelled': Cancellation.describe('Seats of a confirmed booking were cancelled.'),
  'refund.issued': Cancellation.describe('A refund was issued (a cancellation or a late payment).'),
  'refund.failed': Cancellation.describe('A refund could not be issued; operators are on it.'),
} satisfies Record<PartnerEventType, z.ZodType>;

/** Every booking event but `payment.rejected`, which is an operators' record, not a partner's business. */
export const PARTNER_EVENT_TYPES = BOOKING_EVENT_TYPES.filter(
  (t): t is Exclude<BookingEventType, 'payment.rejected'> => t !== 'payment.rejected',
);
export type PartnerEventType = Exclude<BookingEventType, 'payment.rejected'>;
export const PartnerEventTypeSchema = z.enum(PARTNER_EVENT_TYPES as [PartnerEventType, ...PartnerEventType[]]);

/** The delivery body for a booking event: `{type, timestamp, data}`, as the exact JSON text to sign. */
export function partnerPayload(event: CloudEvent): string {
  if (event.type === 'payment.rejected') throw new Error('payment.rejected is not delivered to partners');
  const data = PARTNER_EVENT_SCHEMAS[event.type].parse(event.data);
  return JSON.stringify({ type: event.type, timestamp: event.time, data });
}

/** The event catalogue partners read: each type with its description and the JSON Schema of the payload. */
export function eventCatalogue(): { type: PartnerEventType; description: string; schema: unknown }[] {
  return PARTNER_EVENT_TYPES.map((type) => {
    const data = PARTNER_EVENT_SCHEMAS[type];
    const envelope = z.object({ type: z.literal(type), timestamp: z.string(), data });
    return { type, description: data.description ?? '', schema: z.toJSONSchema(envelope) };
  });
}
