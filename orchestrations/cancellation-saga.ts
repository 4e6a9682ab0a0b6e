// cancellationSaga: the request was checked against the refund policy and recorded (booking →
// cancelling) by POST /api/bookings/{id}/cancel. Here: refund with retries and backoff → release the
// seats (free at once) → mark cancelled (or confirmed with fewer seats) → publish. A refund that keeps
// failing ends refund_failed (seats stay booked, the customer keeps the tickets until an operator
// retry succeeds), visible at GET /api/ops/bookings?status=refund_failed.
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { CancelSagaInput } from '../shared/booking/cancel.js';
import { publish, stepRetry } from './booking-flow.js';
import { A, O } from './names.js';

/** Attempts and first interval come from the input (settings CANCEL_REFUND_*), doubling each time. */
export interface CancellationInput extends CancelSagaInput {
  refundAttempts: number;
  refundRetryMs: number;
}

export function* cancellationFlow(ctx: OrchestrationContext) {
  const input = ctx.df.getInput<CancellationInput>();
  const ref: CancelSagaInput = {
    bookingId: input.bookingId,
    userId: input.userId,
    cancellationId: input.cancellationId,
  };
  const bookingRef = { bookingId: input.bookingId, userId: input.userId };
  const retry = new df.RetryOptions(input.refundRetryMs, input.refundAttempts);
  retry.backoffCoefficient = 2;
  retry.maxRetryIntervalInMilliseconds = 5 * 60_000;
  ctx.df.setCustomStatus({ step: 'refunding' });
  try {
    yield ctx.df.callActivityWithRetry(A.cancelRefund, retry, ref);
  } catch (err) {
    yield ctx.df.callActivityWithRetry(A.cancelRefundFailed, stepRetry(), { ...ref, error: (err as Error).message });
    yield* publish(ctx, bookingRef, 'refund.failed', { cancellationId: ref.cancellationId });
    ctx.df.setCustomStatus({ step: 'refund_failed' });
    return { status: 'refund_failed' };
  }
  ctx.df.setCustomStatus({ step: 'releasing' });
  yield ctx.df.callActivityWithRetry(A.cancelRelease, stepRetry(), ref);
  const done = (yield ctx.df.callActivityWithRetry(A.cancelFinish, stepRetry(), ref)) as { status: string };
  yield* publish(ctx, bookingRef, 'booking.cancelled', { cancellationId: ref.cancellationId });
  yield* publish(ctx, bookingRef, 'refund.issued', { cancellationId: ref.cancellationId });
  ctx.df.setCustomStatus({ step: 'done', status: done.status });
  return done;
}

df.app.orchestration(O.cancellation, cancellationFlow);
