// Activities of the show-cancellation fan-out (shared/booking/show-cancel.ts holds the rules): read a
// page of the show's bookings, and cancel a chunk of it (or, for a walk started before batches, decide
// what to do with one booking). A chunk's booking events go out through the
// same `serviceBus` output binding as orchestrations/activities/publish-event.ts, as one array after
// the activity's commits (built from them, ids derived from state: a re-run sends the same ids).
import { output } from '@azure/functions';
import { services } from '../../shared/services.js';
import { ShowCancellationActivity } from '../../shared/booking/saga-contracts.js';
import { registerActivity } from '../durable.js';

const topic = output.serviceBusTopic({ topicName: '%BOOKING_EVENTS_TOPIC%', connection: 'SERVICEBUS' });

registerActivity(ShowCancellationActivity.page, (input) => services().showCancellations.page(input));
// Walks started before batches (orchestrations/show-cancellation.ts, Deploys) still schedule it.
registerActivity(ShowCancellationActivity.prepare, (input) => services().showCancellations.prepare(input));
registerActivity(
  ShowCancellationActivity.cancelBatch,
  async (input, context) => {
    const { steps, events } = await services().showCancellations.cancelBatch(input);
    if (events.length) context.extraOutputs.set(topic, events);
    return steps;
  },
  { extraOutputs: [topic] },
);
