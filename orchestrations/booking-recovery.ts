// Two small sagas that finish what the booking saga could not:
// - bookingRecovery (started by the reconciler for a booking stuck past its deadline whose saga is
//   gone or was terminated): settles it with what the provider says — paid → confirm (or refund if
//   the seats were lost), declined → failed, nothing → release and expire or fail;
// - latePaymentSaga (started by the webhook or the reconciler for a payment whose booking already
//   ended, or that failed verification, or that the provider reports and no booking used): refunds
//   the payment in full, records why on the booking, publishes refund.issued (and payment.rejected
//   for a mismatch).
import type { OrchestrationContext } from 'durable-functions';
import { BookingActivity, Saga, type BookingRef } from '../shared/booking/saga-contracts.js';
import { publish, refundRetry, settle, stepRetry } from './booking-flow.js';
import { callWithRetry, inputOf, registerOrchestration } from './durable.js';

registerOrchestration(Saga.recovery, function* (ctx: OrchestrationContext) {
  const input = inputOf(ctx, Saga.recovery);
  const ref: BookingRef = { bookingId: input.bookingId, userId: input.userId };
  if (input.payment) return yield* settle(ctx, ref, input.payment);
  yield* callWithRetry(ctx, BookingActivity.releaseSeats, stepRetry(), ref);
  const ended = yield* callWithRetry(ctx, BookingActivity.abandon, stepRetry(), ref);
  if (ended.status === 'expired') yield* publish(ctx, ref, 'booking.expired');
  else if (ended.status === 'failed') yield* publish(ctx, ref, 'booking.failed');
  return ended;
});

registerOrchestration(Saga.latePayment, function* (ctx: OrchestrationContext) {
  const input = inputOf(ctx, Saga.latePayment);
  const ref: BookingRef = { bookingId: input.bookingId, userId: input.userId };
  try {
    yield* callWithRetry(ctx, BookingActivity.refundUnusable, refundRetry(), {
      ...ref,
      payment: input.payment,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.mismatch ? { mismatch: true } : {}),
    });
  } catch (err) {
    // The reconciler starts this saga again while the payment's webhook record stays unsettled.
    return { refunded: false, error: (err as Error).message.slice(0, 300) };
  }
  if (input.mismatch && input.payment.paymentId)
    yield* publish(ctx, ref, 'payment.rejected', { rejectionKey: input.payment.paymentId });
  yield* publish(ctx, ref, 'refund.issued', { paymentId: input.payment.paymentId });
  return { refunded: true };
});
