// Activities of the cancellation saga (shared/booking/cancel.ts holds the rules): refund under a
// per-cancellation idempotency key, free the booked seats, record the outcome.
import * as df from 'durable-functions';
import { services } from '../../shared/services.js';
import type { CancelSagaInput } from '../../shared/booking/cancel.js';
import { A } from '../names.js';

const cancels = () => services().cancellations;

df.app.activity(A.cancelRefund, { handler: (input: CancelSagaInput) => cancels().refund(input) });
df.app.activity(A.cancelRelease, { handler: (input: CancelSagaInput) => cancels().releaseSeats(input) });
df.app.activity(A.cancelFinish, { handler: (input: CancelSagaInput) => cancels().finish(input) });
df.app.activity(A.cancelRefundFailed, {
  handler: (input: CancelSagaInput & { error: string }) => cancels().refundFailed(input),
});
