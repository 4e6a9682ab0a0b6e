// The booking document (Cosmos `bookings`, partition /userId) and the small pure helpers around it
// that are not business rules (those live in shared/domain/booking): ids derived from keys, the
// status history, the public view. A booking records everything the saga committed — status,
// seats, prices, payment and refund references — so events and answers derive from saved state.
import { createHash } from 'node:crypto';
import type { Show } from '../domain/catalog.js';
import type { BookingStatus, Money, PriceBreakdown, PriceLine } from '../domain/booking/index.js';
import type {
  BookingFailure,
  BookingView,
  CancellationView,
  DeclinedPayment,
  HistoryEntry,
  LatePayment,
  PaymentRejection,
  ShowSnapshot,
} from './view.js';

export type {
  BookingView,
  CancellationStatus,
  CancellationView,
  DeclinedPayment,
  HistoryEntry,
  LatePayment,
  PaymentRejection,
  ShowSnapshot,
} from './view.js';

export interface PaymentRecord {
  attemptId: string;
  sessionId: string;
  paymentUrl: string;
  expiresAt: string;
  paymentId?: string;
  amount: Money;
  paidAt?: string;
}

/** A cancellation as stored: the view plus the request's Idempotency-Key fingerprint, when one was sent. */
export interface Cancellation extends CancellationView {
  fingerprint?: string;
}

export interface BookingDoc {
  id: string;
  userId: string;
  showId: string;
  city: string;
  show: ShowSnapshot;
  /** Seats the booking holds now (cancelled seats removed). */
  seatIds: string[];
  /** Price lines of `seatIds`; `price` totals them. */
  lines: PriceLine[];
  price: PriceBreakdown;
  /** What was charged at confirmation (unchanged by cancellations). */
  charged?: Money;
  status: BookingStatus;
  /** 1 for the first run; a retried key after a refused hold starts attempt 2, ... */
  attempt: number;
  request: { fingerprint: string; kind: 'seats' | 'best' };
  holdExpiresAt?: string;
  /** When the current step must be over; the reconciler looks at bookings past it. */
  deadline: string;
  /**
   * The booking's own payment link (GET /api/bookings/{id}/checkout?u=…&t=…): it redirects to the
   * provider's checkout once the session exists, so the booking answer never waits for the provider.
   * `checkoutToken` (random per attempt) is what makes the link unguessable.
   */
  checkoutUrl?: string;
  checkoutToken?: string;
  /** The payment session of the current try; cleared when the provider declines it. */
  payment?: PaymentRecord;
  /** The payment try under way; absent = 1 (bookings made before retries existed never have another). */
  paymentTry?: number;
  declinedPayments?: DeclinedPayment[];
  /** When the owner asked to let the seats go (POST …/release); the saga acts on it. */
  releaseRequestedAt?: string;
  failure?: BookingFailure;
  cancelledSeatIds: string[];
  cancellations: Cancellation[];
  latePayments: LatePayment[];
  /** Absent on bookings made before payment verification existed. */
  paymentRejections?: PaymentRejection[];
  history: HistoryEntry[];
  /** `${show.startsAt}|${id}`: one indexed field orders a user's history on any Cosmos. */
  sortKey: string;
  createdAt: string;
  updatedAt: string;
}

/** Payment tries per booking: the first and two retries after declines (a bound against card testing). */
export const MAX_PAYMENT_TRIES = 3;

export const paymentTryOf = (doc: Pick<BookingDoc, 'paymentTry'>) => doc.paymentTry ?? 1;

/**
 * The id of the booking's current payment attempt: the provider session is created under it and a
 * payment may settle the booking only on it (shared/booking/verification.ts). A retry after a
 * decline is a new attempt on the same seats and hold, so it gets a new id (and a new session).
 */
export function paymentAttemptId(doc: Pick<BookingDoc, 'id' | 'attempt' | 'paymentTry'>): string {
  const base = `${doc.id}.${doc.attempt}`;
  return paymentTryOf(doc) > 1 ? `${base}.${paymentTryOf(doc)}` : base;
}

/** The current try was declined (and nothing else started since): the customer may retry while tries are left. */
export const declinedNow = (doc: BookingDoc) =>
  doc.status === 'held' && !doc.payment && (doc.declinedPayments ?? []).some((d) => d.try === paymentTryOf(doc));

export const canRetryPayment = (doc: BookingDoc) => declinedNow(doc) && paymentTryOf(doc) < MAX_PAYMENT_TRIES;

/** What the cancellations gave back: refunds that went out (refunded, or completed with the seats freed). */
export function refundedOf(doc: BookingDoc): Money | undefined {
  if (!doc.charged) return undefined;
  const minor = doc.cancellations
    .filter((c) => c.status === 'refunded' || c.status === 'completed')
    .reduce((sum, c) => sum + c.refund.minor, 0);
  return { minor, currency: doc.charged.currency };
}

export const ACTIVE_STATUSES: readonly BookingStatus[] = ['pending', 'held', 'paying'];

/** Ids derived from a caller's key: the same (user, key) always names the same thing. */
export function derivedId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${createHash('sha256').update(parts.join('\0')).digest('base64url').slice(0, 22)}`;
}

export const bookingIdFor = (userId: string, idempotencyKey: string) =>
  derivedId('bk', 'booking', userId, idempotencyKey);

export function withHistory(
  doc: BookingDoc,
  status: BookingStatus,
  event: string,
  at: string,
  detail?: string,
): BookingDoc {
  return {
    ...doc,
    status,
    updatedAt: at,
    history: [...doc.history, { at, status, event, ...(detail ? { detail } : {}) }],
  };
}

/** The booking as its owner and operators see it over HTTP. */
export function bookingView(doc: BookingDoc): BookingView {
  return {
    bookingId: doc.id,
    userId: doc.userId,
    showId: doc.showId,
    show: doc.show,
    status: doc.status,
    seatIds: doc.seatIds,
    cancelledSeatIds: doc.cancelledSeatIds,
    price: doc.price,
    ...money(doc),
    ...(doc.holdExpiresAt ? { holdExpiresAt: doc.holdExpiresAt } : {}),
    paymentTry: paymentTryOf(doc),
    declinedPayments: doc.declinedPayments ?? [],
    canRetryPayment: canRetryPayment(doc),
    ...paymentLinks(doc),
    ...(doc.failure ? { failure: doc.failure } : {}),
    cancellations: doc.cancellations.map(({ fingerprint: _f, ...c }) => c),
    latePayments: doc.latePayments,
    paymentRejections: doc.paymentRejections ?? [],
    history: doc.history,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function money(doc: BookingDoc): Pick<BookingView, 'charged' | 'refunded' | 'net'> {
  const refunded = refundedOf(doc);
  if (!doc.charged || !refunded) return {};
  return { charged: doc.charged, refunded, net: { ...doc.charged, minor: doc.charged.minor - refunded.minor } };
}

/** Bookings made before the checkout link existed answer the provider's URL, as they did. */
function paymentLinks(doc: BookingDoc): Pick<BookingView, 'paymentUrl' | 'paymentId'> {
  const paymentUrl = doc.checkoutUrl ?? doc.payment?.paymentUrl;
  return {
    ...(paymentUrl && (doc.payment || doc.status === 'held') ? { paymentUrl } : {}),
    ...(doc.payment?.paymentId ? { paymentId: doc.payment.paymentId } : {}),
  };
}

/** What a booking keeps of its show, so its pages and messages never depend on the catalog later. */
export function showSnapshot(show: Show): ShowSnapshot {
  return {
    title: show.title,
    venueName: show.venueName,
    screenName: show.screenName,
    startsAt: show.startsAt,
    endsAt: show.endsAt,
    language: show.language,
    format: show.format,
    nonRefundable: show.nonRefundable === true,
  };
}
