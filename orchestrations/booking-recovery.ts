// Two small sagas that finish what the booking saga could not:
// - bookingRecovery (started by the reconciler for a booking stuck past its deadline whose saga is
//   gone or was terminated): settles it with what the provider says — paid → confirm (or refund if
//   the seats were lost), declined → failed, nothing → release and expire or fail;
// - latePaymentSaga (started by the webhook or the reconciler for a payment whose booking already
//   ended): refunds the payment in full, records why on the booking, publishes refund.issued.
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { BookingRef, PaymentResult } from '../shared/booking/steps.js';
import { publish, refundRetry, settle, stepRetry } from './booking-flow.js';
import { A, O } from './names.js';

export interface RecoveryInput extends BookingRef {
  payment?: PaymentResult;
}

df.app.orchestration(O.recovery, function* (ctx: OrchestrationContext) {
  const input = ctx.df.getInput<RecoveryInput>();
  const ref: BookingRef = { bookingId: input.bookingId, userId: input.userId };
  if (input.payment) return yield* settle(ctx, ref, input.payment);
  yield ctx.df.callActivityWithRetry(A.releaseSeats, stepRetry(), ref);
  const ended = (yield ctx.df.callActivityWithRetry(A.abandon, stepRetry(), ref)) as { status: string };
  if (ended.status === 'expired') yield* publish(ctx, ref, 'booking.expired');
  else if (ended.status === 'failed') yield* publish(ctx, ref, 'booking.failed');
  return ended;
});

df.app.orchestration(O.latePayment, function* (ctx: OrchestrationContext) {
  const input = ctx.df.getInput<BookingRef & { payment: PaymentResult }>();
  const ref: BookingRef = { bookingId: input.bookingId, userId: input.userId };
  try {
    yield ctx.df.callActivityWithRetry(A.refundUnusable, refundRetry(), { ...ref, payment: input.payment });
  } catch (err) {
    // The reconciler starts this saga again while the payment's webhook record stays unsettled.
    return { refunded: false, error: (err as Error).message.slice(0, 300) };
  }
  yield* publish(ctx, ref, 'refund.issued', { paymentId: input.payment.paymentId });
  return { refunded: true };
});
