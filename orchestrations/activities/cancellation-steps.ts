// Activities of the cancellation saga (shared/booking/cancel.ts holds the rules): refund under a
// per-cancellation idempotency key, free the booked seats, record the outcome.
import { services } from '../../shared/services.js';
import { CancellationActivity } from '../../shared/booking/saga-contracts.js';
import { registerActivity } from '../durable.js';

const cancels = () => services().cancellations;

registerActivity(CancellationActivity.refund, (input) => cancels().refund(input));
registerActivity(CancellationActivity.releaseSeats, (input) => cancels().releaseSeats(input));
registerActivity(CancellationActivity.finish, (input) => cancels().finish(input));
registerActivity(CancellationActivity.refundFailed, (input) => cancels().refundFailed(input));
