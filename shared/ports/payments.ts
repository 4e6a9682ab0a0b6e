// The payment port. Its one real adapter is shared/adapters/payments/, built in shared/services.ts.
import type { Money } from '../domain/money.js';
import { AppError } from '../errors.js';

// A hosted-checkout provider: the app creates a session, the customer pays on the provider's page,
// the provider reports the outcome by a signed webhook. Every key sent to the provider is derived
// from the payment attempt (attemptId), so a new attempt after a decline gets a fresh session.

export interface PaymentItem {
  /** e.g. "PREMIUM F7". */
  label: string;
  quantity: number;
  unit: Money;
}

export interface CreateSessionInput {
  bookingId: string;
  /** Unique per payment attempt of a booking (e.g. `${bookingId}:1`). */
  attemptId: string;
  amount: Money;
  description: string;
  items: PaymentItem[];
  /** Where the checkout page sends the customer afterwards. */
  returnUrl: string;
  /** Same key → the same session (retries of the activity are safe). Derive it from attemptId. */
  idempotencyKey: string;
  /** When the session stops accepting payment; align it with the seat hold. Provider default otherwise. */
  expiresAt?: string;
}

export interface PaymentSession {
  sessionId: string;
  paymentUrl: string;
  /** ISO-8601 UTC. */
  expiresAt: string;
}

export type PaymentEventType = 'payment.succeeded' | 'payment.declined';

export interface PaymentEvent {
  /** Unique per event; a redelivered event has the same id (consumers de-duplicate on it). */
  eventId: string;
  type: PaymentEventType;
  sessionId: string;
  bookingId: string;
  attemptId: string;
  /** Present when the payment succeeded. */
  paymentId?: string;
  amount: Money;
  /** ISO-8601 UTC time the provider created the event. */
  createdAt: string;
}

export interface RefundInput {
  paymentId: string;
  amount: Money;
  /** Same key → the same refund; derive it from the booking and the cancellation. */
  idempotencyKey: string;
  reason: string;
}

export interface RefundResult {
  refundId: string;
  status: 'succeeded' | 'pending';
}

export type PaymentStatusValue = 'pending' | 'paid' | 'declined' | 'expired';

export interface PaymentStatus {
  status: PaymentStatusValue;
  sessionId: string;
  paymentId?: string;
  amount: Money;
  /** Sum of successful refunds of this payment. */
  refunded: Money;
  /** The booking and attempt the session was created for (the provider keeps them as metadata). */
  bookingId?: string;
  attemptId?: string;
  /** When the payment was made (payments only). */
  paidAt?: string;
}

/** One page of the provider's payments made since `paidAfter`, oldest first. */
export interface PaymentPage {
  payments: PaymentStatus[];
  /** Pass as `startingAfter` to read the next page; undefined on the last page. */
  next?: string;
}

export type PaymentRef = { sessionId: string } | { paymentId: string };

export interface PaymentProvider {
  createSession(input: CreateSessionInput): Promise<PaymentSession>;
  /** Verifies the signature and freshness of a webhook and parses it; throws PaymentError otherwise. */
  verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<PaymentEvent>;
  refund(input: RefundInput): Promise<RefundResult>;
  getPaymentStatus(ref: PaymentRef): Promise<PaymentStatus>;
  /** The payments the provider has taken since `paidAfter` (the provider's own record, for reconciliation). */
  listPayments(query: { paidAfter: string; limit: number; startingAfter?: string }): Promise<PaymentPage>;
}

/** Fetch `Headers`, the Functions `HttpRequest.headers`, or a plain record (names any case). */
export type WebhookHeaders = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export type PaymentErrorCode =
  /** Signature missing, malformed or wrong (forged or tampered body). Expected; the caller's fault. */
  | 'WEBHOOK_SIGNATURE_INVALID'
  /** Timestamp outside the tolerance (a replay or a badly skewed clock). Expected; the caller's fault. */
  | 'WEBHOOK_TIMESTAMP_STALE'
  /** Signed, but the body is not an event we understand. */
  | 'WEBHOOK_PAYLOAD_INVALID'
  /** The provider refused the request for good (4xx): e.g. a refund above what was paid. */
  | 'PAYMENT_REQUEST_REFUSED'
  /** No such session or payment at the provider. */
  | 'PAYMENT_NOT_FOUND'
  /** Timeouts, 5xx, network faults after the adapter's retries; retry later. */
  | 'PAYMENT_PROVIDER_FAILED'
  /** The circuit breaker is open; the provider is not called until it cools down. */
  | 'PAYMENT_PROVIDER_UNAVAILABLE';

/** Faults of the payment port. `retryable` says whether trying again later may help. */
export class PaymentError extends AppError<PaymentErrorCode> {
  constructor(code: PaymentErrorCode, detail: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(code, { detail, ...options });
  }
}
