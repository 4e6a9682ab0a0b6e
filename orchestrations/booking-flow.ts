// The booking saga's coordination (docs/architecture.md, Sagas) as plain generator functions, registered by
// booking-saga.ts and booking-recovery.ts and driven through real replay by the unit tests. Pure
// coordination (docs/architecture.md, Layers): no I/O, clock or randomness here — time is currentUtcDateTime, every
// effect is an activity with a retry policy for transient faults, and every end state is saved on
// the booking by an activity before the event about it is published.
//
//   holdSeats ─refused→ failed (SEATS_UNAVAILABLE) → publish
//   createPaymentSession → customStatus {step, paymentUrl, holdExpiresAt}
//                         (the hold already ran out → release → expired → publish)
//   race timer(holdExpiresAt) vs events PaymentResult and ReleaseRequested — every result is
//   verified first (verifyPayment: the provider's record, the committed booking, the settlement
//   claim); a refused one is recorded, refunded when it was made for this booking, published
//   (payment.rejected), and the saga goes back to waiting
//     paid     → confirmSeats → confirmBooking (re-checks the claim; tickets) → publish booking.confirmed
//                (sagas with confirmInOneStep: the three as one activity, confirmPaid)
//                (seats lost → refund → failed → release → publish booking.failed;
//                 the booking already ended — a late confirm — → its seats back → refund)
//     declined → declinePayment (back to held, seats kept) → race timer vs PaymentRetry / ReleaseRequested:
//                retry (verifyRetry) → a new payment session for the same seats, and wait again;
//                timer → releaseSeats → failed (PAYMENT_DECLINED) → publish
//                (sagas started without retryDeclined: releaseSeats → failed → publish at once)
//     release  → release (verified against the committed request; not when the provider says paid)
//                → expired (HOLD_RELEASED) → publish booking.expired
//     timeout  → ask the provider: paid → as above (honoured if the seats are still free);
//                no answer → keep the seats (holdForGrace) and ask every poll until the grace ends;
//                otherwise releaseSeats → expired → publish
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import {
  BookingActivity,
  Saga,
  SagaEvent,
  type BookingRef,
  type BookingSagaInput,
  type ConfirmSeatsStep,
  type PaymentResult,
  type PaymentStep,
  type PaymentVerdict,
  type ProviderStatus,
  type SagaOutcome,
} from '../shared/booking/saga-contracts.js';
import type { BookingEventType, PublishRequest } from '../shared/booking/events.js';
import type { BookingFailureCode } from '../shared/booking/view.js';
import { attemptEnded, type BookingStatus } from '../shared/domain/booking/index.js';
import { callWithRetry, Inbox, inputOf, type Flow } from './durable.js';

/** Transient faults (Cosmos, the provider, the broker): 5 attempts, 0.5 s doubling to 8 s. */
export function stepRetry(): df.RetryOptions {
  const r = new df.RetryOptions(500, 5);
  r.backoffCoefficient = 2;
  r.maxRetryIntervalInMilliseconds = 8000;
  return r;
}

/** Money must go back even through a long provider outage: 8 attempts, up to a minute apart. */
export function refundRetry(): df.RetryOptions {
  const r = new df.RetryOptions(1000, 8);
  r.backoffCoefficient = 2;
  r.maxRetryIntervalInMilliseconds = 60_000;
  return r;
}

export function* publish(
  ctx: OrchestrationContext,
  ref: BookingRef,
  type: BookingEventType,
  extra: Partial<PublishRequest> = {},
): Flow<void> {
  yield* callWithRetry(ctx, BookingActivity.publish, stepRetry(), { type, ...ref, ...extra });
}

export function* bookingSagaFlow(ctx: OrchestrationContext): Flow<SagaOutcome> {
  const input = inputOf(ctx, Saga.booking);
  const ref: BookingRef = {
    bookingId: input.bookingId,
    userId: input.userId,
    ...(input.attempt ? { attempt: input.attempt } : {}),
  };
  ctx.df.setCustomStatus({ step: 'holding' });
  const hold = yield* callWithRetry(ctx, BookingActivity.holdSeats, stepRetry(), ref);
  if (!hold.ok) {
    ctx.df.setCustomStatus({ step: 'failed', code: hold.code });
    yield* publish(ctx, ref, 'booking.failed');
    return { status: 'failed', code: hold.code };
  }

  const inbox = new Inbox(ctx);
  for (;;) {
    ctx.df.setCustomStatus({ step: 'creating_payment', holdExpiresAt: hold.holdExpiresAt });
    let pay: PaymentStep;
    try {
      pay = yield* callWithRetry(ctx, BookingActivity.createPayment, stepRetry(), {
        ...ref,
        returnUrl: input.returnUrl,
      });
    } catch (err) {
      pay = {
        ok: false,
        code: 'PAYMENT_UNAVAILABLE',
        detail: `The payment provider could not be reached: ${(err as Error).message}`.slice(0, 300),
      };
    }
    if (!pay.ok)
      return pay.code === 'HOLD_EXPIRED'
        ? yield* settle(ctx, ref, undefined)
        : yield* failUnpaid(ctx, ref, pay.code, pay.detail);

    const holdEnds = new Date(pay.holdExpiresAt);
    const awaiting = { step: 'awaiting_payment', paymentUrl: pay.paymentUrl, holdExpiresAt: pay.holdExpiresAt };
    ctx.df.setCustomStatus(awaiting);
    const got = yield* awaitVerified(ctx, ref, inbox, holdEnds, awaiting);
    if (got.kind === 'released') return yield* released(ctx, ref);
    if (got.kind === 'result' && got.result.outcome === 'declined' && input.retryDeclined) {
      const next = yield* afterDecline(ctx, ref, inbox, holdEnds);
      if (next === 'retry') continue;
      if (next === 'released') return yield* released(ctx, ref);
      return yield* failUnpaid(ctx, ref, 'PAYMENT_DECLINED', 'The payment was declined and not tried again in time.');
    }
    const oneStep = input.confirmInOneStep === true;
    if (got.kind === 'result') return yield* settle(ctx, ref, got.result, true, oneStep);
    ctx.df.setCustomStatus({ step: 'checking_payment', holdExpiresAt: pay.holdExpiresAt });
    const found = yield* paymentAfterHold(ctx, ref, inbox, pay.sessionId, pay.holdExpiresAt, input.paymentGrace);
    return yield* settle(ctx, ref, found, true, oneStep);
  }
}

/** What woke a wait: the timer, an event (PaymentResult, ReleaseRequested or PaymentRetry). */
type Woken = { kind: 'timer' } | { kind: 'payment'; result: PaymentResult } | { kind: 'release' } | { kind: 'retry' };
type Listen = 'payment' | 'release' | 'retry';

const EVENT_OF = {
  payment: SagaEvent.paymentResult,
  release: SagaEvent.releaseRequested,
  retry: SagaEvent.paymentRetry,
} as const;

/** Races a fresh timer for `until` against the events of `listen`; an event already taken is answered first. */
function* race(ctx: OrchestrationContext, inbox: Inbox, until: Date, listen: Listen[]): Flow<Woken> {
  const woken = (kind: Listen, payload: unknown): Woken =>
    kind === 'payment' ? { kind, result: payload as PaymentResult } : { kind };
  for (const kind of listen) {
    const got = inbox.taken(EVENT_OF[kind]);
    if (got) return woken(kind, got.payload);
  }
  // A fresh timer per wait (a task is yielded once): the cancelled one of an earlier round is ignored.
  const timer = ctx.df.createTimer(until);
  const waiters = listen.map((kind) => ({ kind, task: inbox.wait(EVENT_OF[kind]) }));
  const winner = yield ctx.df.Task.any([timer, ...waiters.map((w) => w.task)]);
  if (winner === timer) return { kind: 'timer' };
  timer.cancel();
  const w = waiters.find((x) => x.task === winner)!;
  inbox.done(w.task);
  return woken(w.kind, w.task.result);
}

/** Asks the release step to let the seats go; false when it refused (paid, not asked) or could not run. */
function* tryRelease(ctx: OrchestrationContext, ref: BookingRef): Flow<boolean> {
  try {
    return (yield* callWithRetry(ctx, BookingActivity.release, stepRetry(), ref)).released;
  } catch {
    return false; // the hold timer still ends the booking
  }
}

function* released(ctx: OrchestrationContext, ref: BookingRef): Flow<SagaOutcome> {
  yield* publish(ctx, ref, 'booking.expired');
  ctx.df.setCustomStatus({ step: 'released' });
  return { status: 'expired', code: 'HOLD_RELEASED' };
}

/**
 * The provider declined within the hold: the seats stay held (declinePayment) while the owner may
 * ask for a retry or let them go; the hold's end fails the booking. A paid result in the meantime
 * can only be on the declined session (there is no other): verification refuses it and refunds it.
 */
function* afterDecline(
  ctx: OrchestrationContext,
  ref: BookingRef,
  inbox: Inbox,
  until: Date,
): Flow<'retry' | 'released' | 'timer'> {
  yield* callWithRetry(ctx, BookingActivity.declinePayment, stepRetry(), ref);
  ctx.df.setCustomStatus({ step: 'declined', holdExpiresAt: until.toISOString() });
  for (;;) {
    const woken = yield* race(ctx, inbox, until, ['retry', 'release', 'payment']);
    if (woken.kind === 'timer') return 'timer';
    if (woken.kind === 'release' && (yield* tryRelease(ctx, ref))) return 'released';
    if (woken.kind === 'retry') {
      let ok = false;
      try {
        ok = (yield* callWithRetry(ctx, BookingActivity.verifyRetry, stepRetry(), ref)).ok;
      } catch {
        // Not decidable now: the owner may ask again; the hold timer still ends the booking.
      }
      if (ok) return 'retry';
    }
    if (woken.kind === 'payment' && woken.result.outcome === 'paid') yield* verify(ctx, ref, woken.result);
  }
}

/** What verification made of a result: usable (verified), refused, or not decidable now (the provider did not answer). */
type Checked = PaymentResult | 'rejected' | 'unknown';

/**
 * Waits for a PaymentResult event that passes verification, or a release the owner asked for;
 * `timer` once the hold ends. The event is never trusted (anyone who can reach the Durable API can
 * raise it): each one is verified against the provider and the committed booking, and a refused one
 * is recorded and, when it was made for this booking, refunded — then the saga keeps waiting for
 * the real payment. A release is verified the same way, by the step that performs it.
 */
function* awaitVerified(
  ctx: OrchestrationContext,
  ref: BookingRef,
  inbox: Inbox,
  until: Date,
  awaiting: Record<string, unknown>,
): Flow<{ kind: 'result'; result: PaymentResult } | { kind: 'released' } | { kind: 'timer' }> {
  for (;;) {
    const woken = yield* race(ctx, inbox, until, ['payment', 'release']);
    if (woken.kind === 'timer') return woken;
    if (woken.kind === 'release') {
      if (yield* tryRelease(ctx, ref)) return { kind: 'released' };
      continue;
    }
    if (woken.kind !== 'payment') continue;
    const checked = yield* verify(ctx, ref, woken.result);
    if (checked !== 'rejected' && checked !== 'unknown') return { kind: 'result', result: checked };
    // 'unknown': the provider could not be asked; the hold timer's own question settles it.
    ctx.df.setCustomStatus({ ...awaiting, ...(checked === 'rejected' ? { rejected: 'PAYMENT_MISMATCH' } : {}) });
  }
}

/** Verifies a result (bookingVerifyPayment) and handles a refusal. */
function* verify(ctx: OrchestrationContext, ref: BookingRef, result: PaymentResult): Flow<Checked> {
  let v: PaymentVerdict;
  try {
    v = yield* callWithRetry(ctx, BookingActivity.verifyPayment, stepRetry(), { ...ref, payment: result });
  } catch {
    return 'unknown';
  }
  if (v.verdict === 'paid') return v.payment;
  if (v.verdict === 'declined') return result;
  let refunded = false;
  if (v.refund) {
    try {
      yield* callWithRetry(ctx, BookingActivity.refundUnusable, stepRetry(), {
        ...ref,
        payment: v.refund,
        reason: `Payment refused: ${v.reason} Refunded in full.`,
        mismatch: true,
      });
      refunded = true;
    } catch {
      // The reconciler's pass over the provider's payments refunds it (it settles no booking).
    }
  }
  yield* publish(ctx, ref, 'payment.rejected', { rejectionKey: v.key });
  if (refunded) yield* publish(ctx, ref, 'refund.issued', { paymentId: v.refund!.paymentId });
  return 'rejected';
}

/**
 * After the hold timer: what the provider says about the booking's session. When it cannot say
 * (down, or its breaker open), the seats that may have been paid for are kept — for at most the
 * grace, asking again every poll interval — instead of being released; only then does the booking
 * expire, and a payment that lands later is refunded by the reconciler.
 */
function* paymentAfterHold(
  ctx: OrchestrationContext,
  ref: BookingRef,
  inbox: Inbox,
  sessionId: string,
  holdExpiresAt: string,
  grace: BookingSagaInput['paymentGrace'],
): Flow<PaymentResult | undefined> {
  let found = yield* askProvider(ctx, ref, sessionId);
  if (found === 'unknown' && grace) {
    const end = new Date(Date.parse(holdExpiresAt) + grace.seconds * 1000);
    ctx.df.setCustomStatus({ step: 'payment_unknown', holdExpiresAt, graceEndsAt: end.toISOString() });
    yield* callWithRetry(ctx, BookingActivity.holdForGrace, stepRetry(), { ...ref, until: end.toISOString() });
    while (found === 'unknown' && ctx.df.currentUtcDateTime.getTime() < end.getTime()) {
      const next = Math.min(end.getTime(), ctx.df.currentUtcDateTime.getTime() + grace.pollSeconds * 1000);
      const woken = yield* race(ctx, inbox, new Date(next), ['payment']);
      if (woken.kind === 'payment') {
        const checked = yield* verify(ctx, ref, woken.result);
        if (checked !== 'rejected' && checked !== 'unknown') return checked;
      }
      found = yield* askProvider(ctx, ref, sessionId);
    }
  }
  return found === 'unknown' ? undefined : found;
}

/** The provider's answer for the session, verified when it says paid; 'unknown' when it cannot be had. */
export function* askProvider(
  ctx: OrchestrationContext,
  ref: BookingRef,
  sessionId: string,
): Flow<PaymentResult | undefined | 'unknown'> {
  let status: ProviderStatus;
  try {
    status = yield* callWithRetry(ctx, BookingActivity.paymentStatus, stepRetry(), ref);
  } catch {
    return 'unknown';
  }
  if (status.status === 'paid' && status.paymentId && status.amount) {
    const checked = yield* verify(ctx, ref, {
      outcome: 'paid',
      sessionId,
      paymentId: status.paymentId,
      amount: status.amount,
      eventId: `status:${sessionId}`,
    });
    return checked === 'rejected' ? undefined : checked;
  }
  if (status.status === 'declined' && status.amount)
    return { outcome: 'declined', sessionId, amount: status.amount, eventId: `status:${sessionId}` };
  return undefined;
}

/** Drives the booking to its end state given the payment outcome (none = the hold ran out). */
export function* settle(
  ctx: OrchestrationContext,
  ref: BookingRef,
  given: PaymentResult | undefined,
  verified = false,
  oneStep = false,
): Flow<SagaOutcome> {
  // An unverified result (the reconciler's, for bookingRecovery) is verified first; one that cannot
  // be used leaves the booking unpaid, and the reconciler's pass over the provider's payments
  // refunds whatever was taken.
  let result = given;
  if (result && !verified) {
    const checked = yield* verify(ctx, ref, result);
    result = checked === 'rejected' || checked === 'unknown' ? undefined : checked;
  }
  if (!result) {
    ctx.df.setCustomStatus({ step: 'expiring' });
    yield* callWithRetry(ctx, BookingActivity.releaseSeats, stepRetry(), ref);
    yield* callWithRetry(ctx, BookingActivity.expire, stepRetry(), ref);
    yield* publish(ctx, ref, 'booking.expired');
    ctx.df.setCustomStatus({ step: 'expired' });
    return { status: 'expired' };
  }
  if (result.outcome === 'declined')
    return yield* failUnpaid(ctx, ref, 'PAYMENT_DECLINED', 'The payment was declined.');

  ctx.df.setCustomStatus({ step: 'confirming' });
  if (oneStep) {
    // Seats, confirm, tickets and booking.confirmed in one idempotent activity (bookingConfirmPaid).
    const r = yield* callWithRetry(ctx, BookingActivity.confirmPaid, stepRetry(), { ...ref, payment: result });
    if (!r.ok) return yield* unusable(ctx, ref, result, r);
    // Confirmed before (a cancellation that followed is the cancellation saga's to finish).
    if (attemptEnded(r.status) && !r.confirmedBefore) return yield* endedUnconfirmed(ctx, ref, result, r.status);
    ctx.df.setCustomStatus({ step: 'confirmed' });
    return { status: 'confirmed' };
  }
  const seats = yield* callWithRetry(ctx, BookingActivity.confirmSeats, stepRetry(), ref);
  if (seats.ok) {
    const done = yield* callWithRetry(ctx, BookingActivity.confirmBooking, stepRetry(), { ...ref, payment: result });
    if (attemptEnded(done.status)) return yield* endedUnconfirmed(ctx, ref, result, done.status);
    yield* publish(ctx, ref, 'booking.confirmed');
    ctx.df.setCustomStatus({ step: 'confirmed' });
    return { status: 'confirmed' };
  }
  return yield* unusable(ctx, ref, result, seats);
}

/** The seats could not be booked for a verified payment: the booking ended meanwhile, or the seats or show are gone. */
function* unusable(
  ctx: OrchestrationContext,
  ref: BookingRef,
  result: PaymentResult,
  seats: Extract<ConfirmSeatsStep, { ok: false }>,
): Flow<SagaOutcome> {
  if (seats.code === 'BOOKING_ENDED') return yield* endedUnconfirmed(ctx, ref, result, seats.status);

  // Paid, but the seats went to someone else after the hold expired, or the show was cancelled
  // meanwhile: give the money back.
  ctx.df.setCustomStatus({ step: 'refunding' });
  const reason =
    seats.code === 'SHOW_NOT_ON_SALE'
      ? 'The show was cancelled before the payment could be used; refunded in full.'
      : `The seats ${seats.seats.join(', ')} were no longer available when the payment arrived; refunded in full.`;
  let refunded = true;
  try {
    yield* callWithRetry(ctx, BookingActivity.refundUnusable, refundRetry(), { ...ref, payment: result, reason });
  } catch {
    refunded = false; // the reconciler keeps trying: the payment's webhook record stays unsettled
  }
  yield* callWithRetry(ctx, BookingActivity.fail, stepRetry(), {
    ...ref,
    event: 'confirmFailed',
    code: seats.code,
    detail: refunded ? reason : `${reason} The refund is still being retried.`,
    paymentId: result.paymentId,
  });
  yield* callWithRetry(ctx, BookingActivity.releaseSeats, stepRetry(), ref);
  yield* publish(ctx, ref, 'booking.failed');
  if (refunded && result.paymentId) yield* publish(ctx, ref, 'refund.issued', { paymentId: result.paymentId });
  ctx.df.setCustomStatus({ step: 'failed', code: seats.code });
  return { status: 'failed', code: seats.code };
}

/**
 * A late confirm: the payment was verified, but the booking had already ended (its saga or the
 * reconciler failed or expired it meanwhile). The booking stays as it ended; whatever the attempt
 * still held or booked goes back (releaseSeats frees late-booked seats of an ended booking), and the
 * payment is refunded in full — or, if the provider refuses now, by the reconciler's pass over its payments.
 */
function* endedUnconfirmed(
  ctx: OrchestrationContext,
  ref: BookingRef,
  result: PaymentResult,
  status: BookingStatus,
): Flow<SagaOutcome> {
  ctx.df.setCustomStatus({ step: 'refunding' });
  yield* callWithRetry(ctx, BookingActivity.releaseSeats, stepRetry(), ref);
  let refunded = false;
  try {
    yield* callWithRetry(ctx, BookingActivity.refundUnusable, refundRetry(), {
      ...ref,
      payment: result,
      reason: `The booking had already ${status === 'failed' ? 'failed' : 'ended'} when its payment could be used; refunded in full.`,
    });
    refunded = true;
  } catch {
    // The reconciler's pass over the provider's payments refunds it (the booking did not use it).
  }
  if (refunded && result.paymentId) yield* publish(ctx, ref, 'refund.issued', { paymentId: result.paymentId });
  ctx.df.setCustomStatus({ step: status });
  return { status: status === 'failed' ? 'failed' : 'expired' };
}

function* failUnpaid(
  ctx: OrchestrationContext,
  ref: BookingRef,
  code: BookingFailureCode,
  detail: string,
): Flow<SagaOutcome> {
  yield* callWithRetry(ctx, BookingActivity.releaseSeats, stepRetry(), ref);
  yield* callWithRetry(ctx, BookingActivity.fail, stepRetry(), { ...ref, event: 'paymentFailed', code, detail });
  yield* publish(ctx, ref, 'booking.failed');
  ctx.df.setCustomStatus({ step: 'failed', code });
  return { status: 'failed', code };
}
