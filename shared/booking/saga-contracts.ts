// The sagas' contracts: one descriptor per activity, orchestration and external event, giving its
// name and the types of what goes in and comes out. The orchestrators call, the activities register
// and the use-cases start and signal through these descriptors (orchestrations/durable.ts and the
// SagaClient port), so a caller and its callee cannot disagree on a name or a shape.
//
// The names are part of the stored state: a running instance's history refers to its activities,
// its orchestration and its events by name, and is replayed by name after a deploy. Never rename one.
import type { BookingStatus, Money } from '../domain/booking/index.js';
import type { PaymentStatusValue } from '../ports/payments.js';
import type { PublishRequest } from './events.js';
import type { LatePayment } from './model.js';
import type { BookingFailureCode, PaymentStartRefusalCode } from './view.js';

// ─── the kinds of descriptor ─────────────────────────────────────────────────────────────────────
// `types` is never set: it only carries the input and output types to the typed helpers. Being a
// function type, it makes a descriptor assignable only where its input is accepted.

export interface ActivityContract<I, O> {
  readonly kind: 'activity';
  readonly name: string;
  readonly types?: (input: I) => O;
}

export interface OrchestrationContract<I, O> {
  readonly kind: 'orchestration';
  readonly name: string;
  readonly types?: (input: I) => O;
}

export interface EventContract<T> {
  readonly kind: 'event';
  readonly name: string;
  readonly types?: (payload: T) => void;
}

/** A descriptor's input (an event's payload) and output, read off its type. */
export type InputOf<D> = D extends { readonly types?: (input: infer I) => unknown } ? I : never;
export type OutputOf<D> = D extends { readonly types?: (input: never) => infer O } ? O : never;

const activity = <I, O>(name: string): ActivityContract<I, O> => ({ kind: 'activity', name });
const orchestration = <I, O>(name: string): OrchestrationContract<I, O> => ({ kind: 'orchestration', name });
const event = <T>(name: string): EventContract<T> => ({ kind: 'event', name });

// ─── what the sagas exchange ─────────────────────────────────────────────────────────────────────

export interface BookingRef {
  bookingId: string;
  userId: string;
  /** The attempt the saga runs (sagas started before this field existed leave it out). */
  attempt?: number;
}

export interface BookingSagaInput extends BookingRef {
  returnUrl: string;
  /**
   * How long past the hold the saga keeps the seats while the provider cannot say whether the
   * booking was paid, and how often it asks meanwhile (settings PAYMENT_GRACE_*). Sagas started
   * before this field existed expire at the hold as they did.
   */
  paymentGrace?: { seconds: number; pollSeconds: number };
  /**
   * A declined payment keeps the seats held for a retry (POST …/retry-payment) until the hold ends.
   * Sagas started before retries existed leave it out and fail on a decline, as they did: their
   * recorded histories must replay the same way.
   */
  retryDeclined?: boolean;
  /**
   * A verified payment is used in one step (bookingConfirmPaid: seats booked, booking confirmed,
   * tickets issued, booking.confirmed published) instead of three activities in a row. Sagas
   * started before it leave it out and replay their recorded three steps.
   */
  confirmInOneStep?: boolean;
}

export type SagaOutcome = { status: 'confirmed' | 'failed' | 'expired'; code?: BookingFailureCode };

/** What the webhook (or the reconciler) tells the saga. */
export interface PaymentResult {
  outcome: 'paid' | 'declined';
  sessionId: string;
  paymentId?: string;
  amount: Money;
  eventId: string;
}

export interface ProviderStatus {
  status: PaymentStatusValue | 'unknown';
  paymentId?: string;
  amount?: Money;
}

/**
 * What verification made of a payment result (shared/booking/steps.ts verifyPayment): `paid` with
 * the payment as the provider reports it, `declined` as the provider confirms, or `rejected` — it may
 * not settle this booking; `refund` is the payment to give back when it was made for this booking.
 */
export type PaymentVerdict =
  | { verdict: 'paid'; payment: PaymentResult }
  | { verdict: 'declined' }
  | { verdict: 'rejected'; reason: string; key: string; refund?: PaymentResult };

export type HoldStep =
  | { ok: true; holdExpiresAt: string; seatIds: string[] }
  | { ok: false; code: BookingFailureCode; detail: string; seats: string[] };
export type PaymentStep =
  | { ok: true; sessionId: string; paymentUrl: string; holdExpiresAt: string }
  | { ok: false; code: PaymentStartRefusalCode | 'PAYMENT_UNAVAILABLE'; detail: string };
/**
 * BOOKING_ENDED: the booking had ended (failed, expired, …: its saga or the reconciler ended it)
 * before its seats could be confirmed — a late confirmation; the step gave back whatever it held or
 * booked for the attempt, and the payment is to be refunded.
 */
export type ConfirmSeatsStep =
  | { ok: true }
  | { ok: false; code: 'HOLD_EXPIRED' | 'SEATS_UNAVAILABLE' | 'HOLD_NOT_FOUND' | 'SHOW_NOT_ON_SALE'; seats: string[] }
  | { ok: false; code: 'BOOKING_ENDED'; status: BookingStatus; seats: string[] };

/**
 * bookingConfirmPaid's answer: the seats step's refusal, or — the seats booked — the booking's
 * status after the confirm and the event published when it is confirmed.
 */
export type ConfirmPaidStep =
  | Extract<ConfirmSeatsStep, { ok: false }>
  | {
      ok: true;
      status: BookingStatus;
      /** An earlier run had confirmed it (its answer lost); a cancellation may have followed since. */
      confirmedBefore?: true;
      published?: { id: string; type: string };
    };

export type CreatePaymentInput = BookingRef & { returnUrl: string };
export type ConfirmBookingInput = BookingRef & { payment: PaymentResult };
export type FailInput = BookingRef & {
  event: 'paymentFailed' | 'confirmFailed' | 'seatsUnavailable';
  code: BookingFailureCode;
  detail: string;
  paymentId?: string;
};
/** `mismatch`: the payment failed verification (recorded with code PAYMENT_MISMATCH) rather than came late. */
export type RefundUnusableInput = BookingRef & { payment: PaymentResult; reason?: string; mismatch?: boolean };
export type GraceInput = BookingRef & { until: string };
export type StatusStep = { status: BookingStatus };
export type ReleaseStep = { released: boolean; detail?: string };

/** A booking stuck past its deadline; `payment` is the provider's answer, when it has one. */
export interface RecoveryInput extends BookingRef {
  payment?: PaymentResult;
}
export type LatePaymentInput = BookingRef & { payment: PaymentResult; reason?: string; mismatch?: boolean };
export type LatePaymentOutcome = { refunded: boolean; error?: string };

export interface CancelSagaInput extends BookingRef {
  cancellationId: string;
}
/** Attempts and first interval come from settings CANCEL_REFUND_*, doubling each time. */
export interface CancellationInput extends CancelSagaInput {
  refundAttempts: number;
  refundRetryMs: number;
}

// ─── the descriptors ─────────────────────────────────────────────────────────────────────────────

/** The booking saga's steps (shared/booking/steps.ts) and the event publisher. */
export const BookingActivity = {
  holdSeats: activity<BookingRef, HoldStep>('bookingHoldSeats'),
  createPayment: activity<CreatePaymentInput, PaymentStep>('bookingCreatePayment'),
  paymentStatus: activity<BookingRef, ProviderStatus>('bookingPaymentStatus'),
  verifyPayment: activity<ConfirmBookingInput, PaymentVerdict>('bookingVerifyPayment'),
  holdForGrace: activity<GraceInput, { extended: boolean }>('bookingHoldForGrace'),
  confirmSeats: activity<BookingRef, ConfirmSeatsStep>('bookingConfirmSeats'),
  confirmBooking: activity<ConfirmBookingInput, StatusStep>('bookingConfirm'),
  /** confirmSeats, confirmBooking and publish(booking.confirmed) as one idempotent step. */
  confirmPaid: activity<ConfirmBookingInput, ConfirmPaidStep>('bookingConfirmPaid'),
  fail: activity<FailInput, StatusStep>('bookingFail'),
  expire: activity<BookingRef, StatusStep>('bookingExpire'),
  abandon: activity<BookingRef, StatusStep>('bookingAbandon'),
  releaseSeats: activity<BookingRef, { released: string[] }>('bookingReleaseSeats'),
  declinePayment: activity<BookingRef, StatusStep>('bookingDeclinePayment'),
  verifyRetry: activity<BookingRef, { ok: boolean }>('bookingVerifyRetry'),
  release: activity<BookingRef, ReleaseStep>('bookingRelease'),
  refundUnusable: activity<RefundUnusableInput, LatePayment>('bookingRefundUnusable'),
  publish: activity<PublishRequest, { id: string; type: string }>('bookingPublishEvent'),
} as const;

/** The cancellation saga's steps (shared/booking/cancel.ts). */
export const CancellationActivity = {
  refund: activity<CancelSagaInput, { refundId?: string; amount: number }>('cancellationRefund'),
  releaseSeats: activity<CancelSagaInput, { released: string[] }>('cancellationReleaseSeats'),
  finish: activity<CancelSagaInput, { status: string }>('cancellationFinish'),
  refundFailed: activity<CancelSagaInput & { error: string }, { status: string }>('cancellationRefundFailed'),
} as const;

/** One booking of a cancelled show, as the fan-out walks them (shared/booking/show-cancel.ts). */
export interface ShowBookingRef {
  bookingId: string;
  userId: string;
}

/**
 * The show-cancellation fan-out's input: each episode handles one page of the show's bookings (in id
 * order, after `after`) and continues as new with the next, so its history stays one page long.
 * A pass walks every page; another pass follows while some booking was still in flight.
 */
export interface ShowCancelInput {
  showId: string;
  /** Bookings per page (setting SHOW_CANCEL_BATCH). */
  batch: number;
  /**
   * Bookings per cancelBatch activity; a page's activities run side by side (SHOW_CANCEL_CHUNK).
   * Also the walk's version: absent in an instance started before batches, which keeps the steps
   * its history recorded — a prepare activity per booking, then cancellation sagas — to the end
   * (orchestrations/show-cancellation.ts).
   */
  chunk?: number;
  /**
   * When this walk began (the first episode's orchestration time): a booking whose show
   * cancellation completed since then has its events published again by a re-run batch (a crash
   * between its commit and the publish), never one a walk before this one completed.
   */
  walkStartedAt?: string;
  /** Pause before another pass, and how many passes at most (SHOW_CANCEL_PASS_SECONDS, _MAX_PASSES). */
  passPauseSeconds: number;
  maxPasses: number;
  pass: number;
  after?: string;
  /** Bookings of this pass still in flight so far (held, paying, a cancellation under way). */
  waiting: number;
  /** Bookings whose refund failed for good so far in this pass (operators retry them). */
  failed: number;
}

export type ShowCancelOutcome = { passes: number; waiting: number; failed: number };

export type ShowCancelPage = { items: ShowBookingRef[]; next?: string };

/**
 * What the fan-out did or still does with one booking: cancelled and refunded it in the batch
 * (`done`), run its cancellation saga (a failed refund's retry, or a refund the batch could not
 * make), nothing (`none`: nothing is owed), wait for it to settle (`wait`: in flight), or leave it
 * to operators (`failed`: the refund failed every run).
 */
export type ShowCancelStep =
  { action: 'cancel'; instanceId: string; input: CancellationInput } | { action: 'done' | 'none' | 'wait' | 'failed' };

/** The show-cancellation fan-out's steps (shared/booking/show-cancel.ts). */
export const ShowCancellationActivity = {
  page: activity<{ showId: string; after?: string; limit: number }, ShowCancelPage>('showCancellationPage'),
  /** One booking's step, for walks started before batches (input without `chunk`). */
  prepare: activity<ShowBookingRef & { showId: string }, ShowCancelStep>('showCancellationPrepare'),
  /**
   * A chunk of a page: each booking's show cancellation recorded, refunded (idempotency key per
   * cancellation), its seats released, finished, and its events published — one activity for many
   * bookings instead of a saga each (shared/booking/show-cancel.ts cancelBatch).
   */
  cancelBatch: activity<{ showId: string; walkStartedAt: string; items: ShowBookingRef[] }, ShowCancelStep[]>(
    'showCancellationBatch',
  ),
} as const;

export const Saga = {
  /** instanceId = bookingId, started by POST /api/bookings. */
  booking: orchestration<BookingSagaInput, SagaOutcome>('bookingSaga'),
  /** Started by the reconciler for a booking whose saga is gone or was terminated. */
  recovery: orchestration<RecoveryInput, SagaOutcome | StatusStep>('bookingRecovery'),
  /** Refunds a payment whose booking already ended. */
  latePayment: orchestration<LatePaymentInput, LatePaymentOutcome>('latePaymentSaga'),
  cancellation: orchestration<CancellationInput, { status: string }>('cancellationSaga'),
  /** instanceId = showCancelInstanceId(showId), started from the show.cancelled event. */
  showCancellation: orchestration<ShowCancelInput, ShowCancelOutcome>('showCancellation'),
} as const;

export const SagaEvent = {
  /** Raised on the booking saga by the webhook or the reconciler. */
  paymentResult: event<PaymentResult>('PaymentResult'),
  /** Raised by POST …/release once the request is committed; the saga verifies it (bookingRelease). */
  releaseRequested: event<{ requestedAt: string }>('ReleaseRequested'),
  /** Raised by POST …/retry-payment once the new try is committed; the saga verifies it (bookingVerifyRetry). */
  paymentRetry: event<{ paymentTry: number }>('PaymentRetry'),
} as const;
