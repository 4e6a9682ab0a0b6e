// cancellationSaga: the request was checked against the refund policy and recorded (booking →
// cancelling) by POST /api/bookings/{id}/cancel. Here: refund with retries and backoff → release the
// seats (free at once) → mark cancelled (or confirmed with fewer seats) → publish. A refund that keeps
// failing ends refund_failed (seats stay booked, the customer keeps the tickets until an operator
// retry succeeds), visible at GET /api/ops/bookings?status=refund_failed.
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { CancellationActivity, Saga, type CancelSagaInput } from '../shared/booking/saga-contracts.js';
import { publish, stepRetry } from './booking-flow.js';
import { callWithRetry, inputOf, registerOrchestration, type Flow } from './durable.js';

export function* cancellationFlow(ctx: OrchestrationContext): Flow<{ status: string }> {
  const input = inputOf(ctx, Saga.cancellation);
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
    yield* callWithRetry(ctx, CancellationActivity.refund, retry, ref);
  } catch (err) {
    yield* callWithRetry(ctx, CancellationActivity.refundFailed, stepRetry(), {
      ...ref,
      error: (err as Error).message,
    });
    yield* publish(ctx, bookingRef, 'refund.failed', { cancellationId: ref.cancellationId });
    ctx.df.setCustomStatus({ step: 'refund_failed' });
    return { status: 'refund_failed' };
  }
  ctx.df.setCustomStatus({ step: 'releasing' });
  yield* callWithRetry(ctx, CancellationActivity.releaseSeats, stepRetry(), ref);
  const done = yield* callWithRetry(ctx, CancellationActivity.finish, stepRetry(), ref);
  yield* publish(ctx, bookingRef, 'booking.cancelled', { cancellationId: ref.cancellationId });
  yield* publish(ctx, bookingRef, 'refund.issued', { cancellationId: ref.cancellationId });
  ctx.df.setCustomStatus({ step: 'done', status: done.status });
  return done;
}

registerOrchestration(Saga.cancellation, cancellationFlow);
