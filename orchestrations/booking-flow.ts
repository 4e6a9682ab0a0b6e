// The booking saga's coordination (docs/architecture.md, Sagas) as plain generator functions, registered by
// booking-saga.ts and booking-recovery.ts and driven through real replay by the unit tests. Pure
// coordination (docs/architecture.md, Layers): no I/O, clock or randomness here — time is currentUtcDateTime, every
// effect is an activity with a retry policy for transient faults, and every end state is saved on
// the booking by an activity before the event about it is published.
//
//   holdSeats ─refused→ failed (SEATS_UNAVAILABLE) → publish
//   createPaymentSession → customStatus {step, paymentUrl, holdExpiresAt}
//                         (the hold already ran out → release → expired → publish)
//   race timer(holdExpiresAt) vs event PaymentResult
//     paid     → confirmSeats → confirmBooking (tickets) → publish booking.confirmed
//                (seats lost → refund → failed → release → publish booking.failed)
//     declined → releaseSeats → failed → publish
//     timeout  → ask the provider: paid → as above (honoured if the seats are still free);
//                otherwise releaseSeats → expired → publish
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import {
  BookingActivity,
  Saga,
  SagaEvent,
  type BookingRef,
  type PaymentResult,
  type PaymentStep,
  type ProviderStatus,
  type SagaOutcome,
} from '../shared/booking/saga-contracts.js';
import type { BookingEventType, PublishRequest } from '../shared/booking/events.js';
import type { BookingFailureCode } from '../shared/booking/view.js';
import { callWithRetry, inputOf, waitForEvent, type Flow } from './durable.js';

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

  ctx.df.setCustomStatus({ step: 'creating_payment', holdExpiresAt: hold.holdExpiresAt });
  let pay: PaymentStep;
  try {
    pay = yield* callWithRetry(ctx, BookingActivity.createPayment, stepRetry(), { ...ref, returnUrl: input.returnUrl });
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

  ctx.df.setCustomStatus({ step: 'awaiting_payment', paymentUrl: pay.paymentUrl, holdExpiresAt: pay.holdExpiresAt });
  const timer = ctx.df.createTimer(new Date(pay.holdExpiresAt));
  const event = waitForEvent(ctx, SagaEvent.paymentResult);
  const winner = yield ctx.df.Task.any([timer, event]);
  let result: PaymentResult | undefined;
  if (winner === event) {
    timer.cancel();
    result = event.result;
  } else {
    ctx.df.setCustomStatus({ step: 'checking_payment', holdExpiresAt: pay.holdExpiresAt });
    result = yield* askProvider(ctx, ref, pay.sessionId);
  }
  return yield* settle(ctx, ref, result);
}

/** After the hold timer: a payment the provider knows about still counts; otherwise nothing came. */
export function* askProvider(
  ctx: OrchestrationContext,
  ref: BookingRef,
  sessionId: string,
): Flow<PaymentResult | undefined> {
  let status: ProviderStatus = { status: 'unknown' };
  try {
    status = yield* callWithRetry(ctx, BookingActivity.paymentStatus, stepRetry(), ref);
  } catch {
    // The provider stayed unreachable: expire; a payment that did land arrives by webhook later
    // and is refunded as a late payment.
  }
  if (status.status === 'paid' && status.paymentId && status.amount) {
    return {
      outcome: 'paid',
      sessionId,
      paymentId: status.paymentId,
      amount: status.amount,
      eventId: `status:${sessionId}`,
    };
  }
  if (status.status === 'declined' && status.amount)
    return { outcome: 'declined', sessionId, amount: status.amount, eventId: `status:${sessionId}` };
  return undefined;
}

/** Drives the booking to its end state given the payment outcome (none = the hold ran out). */
export function* settle(
  ctx: OrchestrationContext,
  ref: BookingRef,
  result: PaymentResult | undefined,
): Flow<SagaOutcome> {
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
  const seats = yield* callWithRetry(ctx, BookingActivity.confirmSeats, stepRetry(), ref);
  if (seats.ok) {
    yield* callWithRetry(ctx, BookingActivity.confirmBooking, stepRetry(), { ...ref, payment: result });
    yield* publish(ctx, ref, 'booking.confirmed');
    ctx.df.setCustomStatus({ step: 'confirmed' });
    return { status: 'confirmed' };
  }

  // Paid, but the seats went to someone else after the hold expired: give the money back.
  ctx.df.setCustomStatus({ step: 'refunding' });
  const reason = `The seats ${seats.seats.join(', ')} were no longer available when the payment arrived; refunded in full.`;
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
