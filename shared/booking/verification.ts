// Payment verification (docs/architecture.md, Sagas: Payment verification): whether a payment, as
// the provider reports it, may settle a booking. Pure — the facts come from the provider and from
// the booking as committed in Cosmos, never from the message that announced the payment.
import type { Money } from '../domain/money.js';
import { paymentAttemptId, paymentTryOf, type BookingDoc } from './model.js';
import type { PaymentRejection } from './view.js';

/** What the provider says about a payment (or, for the webhook, what its signed event says). */
export interface PaymentFacts {
  sessionId: string;
  amount: Money;
}

/** Provider payment ids are short tokens; anything else is not looked up (nor used as a document id). */
export const PAYMENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

/** Rejections kept on a booking: enough for an operator, bounded against a flood of forged events. */
export const MAX_REJECTIONS = 20;

const money = (m: Money) => `${m.minor} ${m.currency}`;

/**
 * Why the payment may not settle the booking's current attempt, or undefined when it may: it must
 * be paid on the session recorded for that attempt, for exactly the amount and currency it charges.
 * (That no other booking has settled it is the settlement claim's job: shared/booking/store.ts.)
 */
export function mismatchOf(doc: BookingDoc, facts: PaymentFacts): string | undefined {
  const attempt = doc.payment;
  if (!attempt || attempt.attemptId !== paymentAttemptId(doc))
    return `The booking's current attempt (${doc.attempt}, payment try ${paymentTryOf(doc)}) has no payment session.`;
  if (facts.amount.minor !== attempt.amount.minor || facts.amount.currency !== attempt.amount.currency)
    return `The payment is for ${money(facts.amount)}, but the booking charges ${money(attempt.amount)}.`;
  if (facts.sessionId !== attempt.sessionId)
    return `The payment was made on session ${facts.sessionId}, not on this booking's current session ${attempt.sessionId}.`;
  return undefined;
}

const keyOf = (x: PaymentRejection) => x.paymentId ?? `${x.sessionId}|${x.reason}`;

/** The rejection's key: one record (and one event) per payment id, or per session and reason without one. */
export const rejectionKey = keyOf;

/**
 * The booking's rejections with `r` added (newest last, the last MAX_REJECTIONS), or undefined when
 * it is already there: a repeated verification records nothing new.
 */
export function withRejection(
  list: readonly PaymentRejection[] | undefined,
  r: PaymentRejection,
): PaymentRejection[] | undefined {
  if ((list ?? []).some((x) => keyOf(x) === keyOf(r))) return undefined;
  return [...(list ?? []), r].slice(-MAX_REJECTIONS);
}
