// The booking routes' HTTP contract (functions/bookings.ts, tickets.ts, ops-bookings.ts,
// payments-webhook.ts) as zod schemas: the requests the handlers validate and the answers they
// give. shared/booking/openapi.ts describes the routes with them (docs/api.md).
import { z } from 'zod';
import { documentId } from '../http/validate.js';
import { Instant, MoneySchema, type Assert, type Describes } from '../http/openapi/common.js';
import { BOOKING_STATUSES } from '../domain/booking/index.js';
import { AdmissionTokenSchema } from '../waiting-room/api-schemas.js';
import type { BookingView, CancellationView } from './view.js';
import type { ShowCancelProgress } from './show-cancel.js';

const seatId = z.string().min(1).max(20);

export const BookingBodySchema = z
  .strictObject({
    showId: documentId,
    seatIds: z.array(seatId).min(1).max(10).optional().meta({ description: 'The seats picked on the map' }),
    quantity: z.number().int().min(1).max(10).optional().meta({ description: 'Or: this many best seats' }),
    category: z.string().min(1).max(30).optional().meta({ description: 'With quantity: only in this category' }),
    wheelchair: z.boolean().optional().meta({ description: 'With quantity: wheelchair spaces' }),
  })
  .superRefine((b, ctx) => {
    if (!b.seatIds === (b.quantity === undefined))
      ctx.addIssue({
        code: 'custom',
        path: b.seatIds ? ['quantity'] : ['seatIds'],
        message: 'send either seatIds or quantity (with an optional category), not both or neither',
      });
    if (b.seatIds && (b.category !== undefined || b.wheelchair !== undefined))
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'category and wheelchair go with quantity' });
  })
  .meta({ description: 'Either `seatIds`, or `quantity` with an optional `category`/`wheelchair`.' });
export const BookingParamsSchema = z.object({ bookingId: documentId });
export const RefundQuoteQuerySchema = z.strictObject({
  seatIds: z.string().max(300).optional().meta({ description: 'Comma-separated seats; all of them by default' }),
});
export const CancelBodySchema = z.strictObject({
  seatIds: z.array(seatId).min(1).max(10).optional().meta({ description: 'Seats to cancel; all of them by default' }),
});
export const CheckoutQuerySchema = z.object({
  u: documentId.meta({ description: "The booking's user" }),
  t: z.string().min(1).max(100).meta({ description: "The link's token (the credential)" }),
});
/** The Idempotency-Key header's value (functions/bookings.ts idempotencyKey() checks it with this). */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/)
  .meta({ description: '1–255 visible ASCII characters, unique per attempt (e.g. a UUID)', example: 'b6f1c7d2-…' });
export const CreateBookingHeadersSchema = z.object({
  'Idempotency-Key': IdempotencyKeySchema,
  'Admission-Token': AdmissionTokenSchema.optional(),
});
export const CancelHeadersSchema = z.object({ 'Idempotency-Key': IdempotencyKeySchema.optional() });
export const TicketVerifyBodySchema = z.strictObject({ showId: documentId, code: z.string().min(10).max(400) });
export const OpsBookingsQuerySchema = z.strictObject({
  status: z
    .enum([...BOOKING_STATUSES, 'stuck'])
    .default('stuck')
    .meta({ description: '`stuck`: pending, held, paying or cancelling past the deadline' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// --- Answers
const BookingStatusSchema = z.enum(BOOKING_STATUSES).meta({ id: 'BookingStatus' });
const PriceLineSchema = z.object({
  seatId: z.string(),
  category: z.string(),
  ticket: MoneySchema,
  ticketTax: MoneySchema,
  fee: MoneySchema,
  feeTax: MoneySchema,
  total: MoneySchema,
});
export const PriceBreakdownSchema = z
  .object({
    currency: z.string(),
    lines: z.array(PriceLineSchema),
    tickets: MoneySchema,
    fees: MoneySchema,
    taxes: MoneySchema,
    total: MoneySchema,
  })
  .meta({ id: 'PriceBreakdown' });
export const ShowSnapshotSchema = z
  .object({
    title: z.string(),
    venueName: z.string(),
    screenName: z.string(),
    startsAt: Instant,
    endsAt: Instant,
    language: z.string(),
    format: z.string(),
    nonRefundable: z.boolean(),
  })
  .meta({ id: 'ShowSnapshot', description: 'What the booking keeps of its show' });
export const CancellationSchema = z
  .object({
    id: z.string(),
    seatIds: z.array(z.string()),
    whole: z.boolean(),
    refund: MoneySchema,
    ticketValue: MoneySchema,
    feesKept: MoneySchema,
    refundBp: z.int().meta({ description: 'Share of the ticket value refunded, 10000 = all' }),
    status: z.enum(['requested', 'refunded', 'refund_failed', 'completed']),
    refundId: z.string().optional(),
    runs: z.int(),
    lastError: z.string().optional(),
    requestedAt: Instant,
    completedAt: Instant.optional(),
    cause: z
      .literal('show')
      .optional()
      .meta({ description: '`show`: the operator cancelled the show; everything paid is refunded' }),
    reason: z.string().optional().meta({ description: "The operator's reason, when the show was cancelled" }),
  })
  .meta({ id: 'Cancellation' });
export const CancellationPolicySchema = z
  .object({
    nonRefundable: z.boolean(),
    tiers: z.array(z.object({ minHoursBefore: z.number().min(0), refundBp: z.int().min(0).max(10_000) })),
  })
  .meta({
    id: 'CancellationPolicy',
    description:
      'At least `minHoursBefore` the show, `refundBp` of the ticket value comes back (the first tier that applies); ' +
      'below the last tier, or when non-refundable, nothing. Fees are kept.',
  });
export const BookingSchema = z
  .object({
    bookingId: z.string(),
    userId: z.string(),
    showId: z.string(),
    show: ShowSnapshotSchema,
    status: BookingStatusSchema,
    seatIds: z.array(z.string()).meta({ description: 'Seats the booking holds now' }),
    cancelledSeatIds: z.array(z.string()),
    price: PriceBreakdownSchema,
    charged: MoneySchema.optional().meta({ description: 'What was charged at confirmation' }),
    refunded: MoneySchema.optional().meta({ description: 'What the cancellations gave back so far' }),
    net: MoneySchema.optional().meta({ description: 'charged − refunded: what the booking costs now' }),
    holdExpiresAt: Instant.optional(),
    paymentTry: z
      .int()
      .min(1)
      .meta({ description: 'The payment try under way (1 until a declined payment is retried)' }),
    declinedPayments: z
      .array(z.object({ try: z.int().min(1), sessionId: z.string(), at: Instant }))
      .meta({ description: 'Payments declined while the seats were held (newest last)' }),
    canRetryPayment: z.boolean().meta({
      description: 'The current try was declined, the seats are still held and tries are left: POST …/retry-payment',
    }),
    paymentUrl: z.url().optional().meta({ description: 'Where the buyer pays (while held or paying)' }),
    paymentId: z.string().optional(),
    failure: z
      .object({ code: z.string(), detail: z.string(), seats: z.array(z.string()).optional() })
      .optional()
      .meta({ description: 'Why the booking failed (a seat refusal, a declined payment, an expired hold...)' }),
    cancellations: z.array(CancellationSchema),
    latePayments: z.array(
      z.object({
        paymentId: z.string(),
        sessionId: z.string(),
        amount: MoneySchema,
        reason: z.string(),
        code: z.literal('PAYMENT_MISMATCH').optional(),
        refundId: z.string().optional(),
        status: z.enum(['refunding', 'refunded', 'refund_failed']),
        at: Instant,
      }),
    ),
    paymentRejections: z.array(
      z.object({
        code: z.literal('PAYMENT_MISMATCH'),
        paymentId: z.string().optional(),
        sessionId: z.string(),
        amount: MoneySchema,
        reason: z.string(),
        action: z.enum(['refund', 'none']),
        at: Instant,
      }),
    ),
    cancellationPolicy: CancellationPolicySchema.optional().meta({ description: 'Only on GET /api/bookings/{id}' }),
    history: z.array(
      z.object({ at: Instant, status: BookingStatusSchema, event: z.string(), detail: z.string().optional() }),
    ),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Booking' });
export const BookingWorkingSchema = z
  .object({ bookingId: z.string(), status: BookingStatusSchema, statusUrl: z.string() })
  .meta({ id: 'BookingWorking', description: 'Still working: poll statusUrl (or listen on Web PubSub)' });
export const TicketsSchema = z
  .object({
    bookingId: z.string(),
    showId: z.string(),
    show: ShowSnapshotSchema,
    tickets: z.array(
      z.object({
        seatId: z.string(),
        category: z.string(),
        code: z.string().meta({ description: "The QR code's content, verified at the door" }),
        status: z.enum(['valid', 'used', 'void']),
        usedAt: Instant.optional(),
      }),
    ),
  })
  .meta({ id: 'Tickets' });
export const RefundQuoteSchema = z
  .union([
    z.object({
      bookingId: z.string(),
      cancellable: z.literal(true),
      seatIds: z.array(z.string()),
      refund: MoneySchema,
      ticketValue: MoneySchema,
      feesKept: MoneySchema,
      whole: z.boolean(),
      refundBp: z.int(),
      remainingSeatIds: z.array(z.string()),
    }),
    z.object({
      bookingId: z.string(),
      cancellable: z.literal(false),
      reason: z.enum([
        'NOT_CONFIRMED',
        'NON_REFUNDABLE',
        'SHOW_STARTED',
        'TOO_LATE',
        'NO_SEATS',
        'UNKNOWN_SEAT',
        'DUPLICATE_SEAT',
      ]),
      detail: z.string(),
    }),
  ])
  .meta({ id: 'RefundQuote' });
export const CancelResultSchema = z
  .object({ booking: BookingSchema, cancellation: CancellationSchema })
  .meta({ id: 'CancelResult' });
export const OpsBookingListSchema = z.object({
  status: z.string(),
  items: z.array(BookingSchema),
});
export const TicketAdmittedSchema = z.object({
  admitted: z.literal(true),
  showId: z.string(),
  bookingId: z.string(),
  seatId: z.string(),
  category: z.string(),
  usedAt: Instant,
});
export const PaymentWebhookReceiptSchema = z.object({
  received: z.literal(true),
  eventId: z.string(),
  duplicate: z.boolean(),
  outcome: z.string().meta({ description: 'What the event did to the booking (paid, declined, ignored...)' }),
});

// --- An operator's show cancellation (functions/ops-shows.ts)
export const ShowParamsSchema = z.object({ showId: documentId });
export const ShowCancelBodySchema = z.strictObject({
  reason: z.string().trim().min(3).max(500).meta({ description: 'Told to every holder' }),
});
const ShowCancellationSchema = z
  .object({ reason: z.string(), at: Instant, by: z.string().meta({ description: 'The operator' }) })
  .meta({ id: 'ShowCancellation' });
export const ShowCancelAcceptedSchema = z.object({
  showId: z.string(),
  status: z.literal('cancelled'),
  cancellation: ShowCancellationSchema.optional(),
  eventId: z.string().meta({ description: 'The show.cancelled event (the same on every call)' }),
  progress: z.string().meta({ description: 'GET it for the refunds’ progress' }),
});
export const ShowCancelProgressSchema = z
  .object({
    showId: z.string(),
    status: z.enum(['scheduled', 'cancelled']),
    cancellation: ShowCancellationSchema.optional(),
    bookings: z.object({
      total: z.int(),
      refunded: z.int().meta({ description: 'Refunded in full and cancelled by the show' }),
      refunding: z.int(),
      failed: z.int().meta({ description: 'Refund failed (retried by later passes, then by an operator)' }),
      inFlight: z
        .int()
        .meta({ description: "Held or paying when the show was cancelled, or a customer's cancellation under way" }),
      nothingOwed: z.int(),
      notStarted: z.int().meta({ description: 'Confirmed and not reached by the fan-out yet' }),
    }),
    refundedAmount: MoneySchema.optional(),
    fanout: z
      .object({ state: z.string(), customStatus: z.unknown() })
      .optional()
      .meta({ description: "The fan-out orchestration's runtime status and custom status" }),
  })
  .meta({ id: 'ShowCancelProgress' });

export type BookingSchemasDescribeTheirTypes = [
  Assert<Describes<BookingView, typeof BookingSchema>>,
  Assert<Describes<CancellationView, typeof CancellationSchema>>,
  Assert<Describes<ShowCancelProgress, typeof ShowCancelProgressSchema>>,
];
