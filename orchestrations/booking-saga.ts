// bookingSaga (docs/architecture.md, Sagas): instanceId = bookingId, started by POST /api/bookings. The
// coordination is in booking-flow.ts so the unit tests can replay it through the library.
import * as df from 'durable-functions';
import { bookingSagaFlow } from './booking-flow.js';
import { O } from './names.js';

df.app.orchestration(O.booking, bookingSagaFlow);
