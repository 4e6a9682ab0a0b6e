// The booking as its owner and operators read it over HTTP (GET /api/bookings/{id}, /api/me/bookings,
// /api/ops/bookings, the cancel answer). Types only, no runtime code and no Node imports: the web
// client imports them with `import type` (erased at build), so this file must stay declaration-only.
// The stored document (shared/booking/model.ts BookingDoc) adds what the API never shows.
import type { Money } from '../domain/money.js';
import type { PriceBreakdown } from '../domain/booking/pricing.js';
import type { BookingStatus } from '../domain/booking/state-machine.js';
import type { SeatRefusalCode } from '../inventory/refusal.js';
import type { PaymentErrorCode } from '../ports/payments.js';

export interface ShowSnapshot {
  title: string;
  venueName: string;
  screenName: string;
  startsAt: string;
  endsAt: string;
  language: string;
  format: string;
  nonRefundable: boolean;
}

export type CancellationStatus = 'requested' | 'refunded' | 'refund_failed' | 'completed';

/** A cancellation as the API shows it (the stored one also keeps the request's fingerprint). */
export interface CancellationView {
  id: string;
  seatIds: string[];
  whole: boolean;
  refund: Money;
  ticketValue: Money;
  feesKept: Money;
  refundBp: number;
  status: CancellationStatus;
  refundId?: string;
  /** Saga runs so far (an operator retry starts another). */
  runs: number;
  lastError?: string;
  requestedAt: string;
  completedAt?: string;
  /** `show`: the operator cancelled the show, everything paid is refunded (the policy does not apply). */
  cause?: 'show';
  /** The operator's reason, for a cancellation caused by the show's. */
  reason?: string;
}

export interface LatePayment {
  paymentId: string;
  sessionId: string;
  amount: Money;
  reason: string;
  /** Set when the payment was refunded because it failed verification rather than for coming late. */
  code?: 'PAYMENT_MISMATCH';
  refundId?: string;
  status: 'refunding' | 'refunded' | 'refund_failed';
  at: string;
}

/**
 * A payment (or a payment result) that was not allowed to settle the booking
 * (docs/architecture.md, Sagas: Payment verification), kept for operators.
 */
export interface PaymentRejection {
  code: 'PAYMENT_MISMATCH';
  /** The payment id as the event or webhook gave it, when it gave one. */
  paymentId?: string;
  sessionId: string;
  amount: Money;
  reason: string;
  /** `refund`: the payment was made for this booking, so it is refunded (see latePayments); `none`: nothing of ours to give back. */
  action: 'refund' | 'none';
  at: string;
}

export interface HistoryEntry {
  at: string;
  status: BookingStatus;
  event: string;
  detail?: string;
}

/**
 * Why a booking failed: the inventory refused the seats, the payment could not start or was
 * declined, the hold ran out, or the booking never got past the hold.
 */
export type BookingFailureCode =
  | SeatRefusalCode
  | PaymentStartRefusalCode
  | 'PAYMENT_DECLINED'
  | 'PAYMENT_UNAVAILABLE'
  | 'BOOKING_ABANDONED'
  | 'HOLD_RELEASED';

/** A payment session the provider declined while the seats were held; the customer may pay again on a new one. */
export interface DeclinedPayment {
  /** Which payment try of the booking (1 for the first session, 2 after one retry, …). */
  try: number;
  sessionId: string;
  at: string;
}

/** Why the payment step refused to start: the booking is no longer held, or the provider said no for good. */
export type PaymentStartRefusalCode = 'NOT_HELD' | 'HOLD_EXPIRED' | PaymentErrorCode;

export interface BookingFailure {
  code: BookingFailureCode;
  detail: string;
  seats?: string[];
}

/**
 * The cancellation policy the booking falls under, shown before paying (GET /api/bookings/{id}):
 * a cancellation at least `minHoursBefore` the show gets `refundBp` of the ticket price back (the
 * first tier that applies); below the last tier, or for a non-refundable show, none. Fees are kept.
 */
export interface CancellationPolicyView {
  nonRefundable: boolean;
  tiers: { minHoursBefore: number; refundBp: number }[];
}

export interface BookingView {
  bookingId: string;
  userId: string;
  showId: string;
  show: ShowSnapshot;
  status: BookingStatus;
  /** Seats the booking holds now (cancelled seats removed). */
  seatIds: string[];
  cancelledSeatIds: string[];
  price: PriceBreakdown;
  /** What was charged at confirmation (unchanged by cancellations). */
  charged?: Money;
  /** What the cancellations gave back so far (absent before anything was charged). */
  refunded?: Money;
  /** charged − refunded: what the booking costs the customer now. */
  net?: Money;
  holdExpiresAt?: string;
  /** The payment try under way (1 until a declined payment is tried again). */
  paymentTry: number;
  /** Payments declined while the seats were held (newest last). */
  declinedPayments: DeclinedPayment[];
  /** True while the current try was declined, the seats are still held and tries are left: POST …/retry-payment. */
  canRetryPayment: boolean;
  paymentUrl?: string;
  paymentId?: string;
  failure?: BookingFailure;
  cancellations: CancellationView[];
  latePayments: LatePayment[];
  /** Payments refused by verification (newest last, the last 20). */
  paymentRejections: PaymentRejection[];
  /** Only on GET /api/bookings/{id}. */
  cancellationPolicy?: CancellationPolicyView;
  history: HistoryEntry[];
  createdAt: string;
  updatedAt: string;
}
