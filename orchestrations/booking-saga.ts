// bookingSaga (docs/architecture.md, Sagas): instanceId = bookingId, started by POST /api/bookings. The
// coordination is in booking-flow.ts so the unit tests can replay it through the library.
import { Saga } from '../shared/booking/saga-contracts.js';
import { bookingSagaFlow } from './booking-flow.js';
import { registerOrchestration } from './durable.js';

registerOrchestration(Saga.booking, bookingSagaFlow);
