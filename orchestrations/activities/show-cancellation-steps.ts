// Activities of the show-cancellation fan-out (shared/booking/show-cancel.ts holds the rules): read a
// page of the show's bookings, and decide (and record) what to do with one booking.
import { services } from '../../shared/services.js';
import { ShowCancellationActivity } from '../../shared/booking/saga-contracts.js';
import { registerActivity } from '../durable.js';

registerActivity(ShowCancellationActivity.page, (input) => services().showCancellations.page(input));
registerActivity(ShowCancellationActivity.prepare, (input) => services().showCancellations.prepare(input));
