// Publishes one booking event (CloudEvents 1.0 JSON, shared/booking/events.ts) to the topic
// BOOKING_EVENTS_TOPIC through a `serviceBus` output binding. The event is built from the booking
// as committed, with an id derived from that state: running twice sends the same id again, and
// consumers de-duplicate on it. The body is the CloudEvent itself (structured mode), which is what
// the binding sends on Azure too.
import { output } from '@azure/functions';
import { services } from '../../shared/services.js';
import { buildEvent } from '../../shared/booking/events.js';
import { BookingActivity } from '../../shared/booking/saga-contracts.js';
import { registerActivity } from '../durable.js';

// The topic is the app setting BOOKING_EVENTS_TOPIC, resolved by the host (a binding expression).
const topic = output.serviceBusTopic({ topicName: '%BOOKING_EVENTS_TOPIC%', connection: 'SERVICEBUS' });

registerActivity(
  BookingActivity.publish,
  async (req, context) => {
    const doc = await services().bookingStore.get(req.userId, req.bookingId);
    if (!doc) throw new Error(`booking ${req.bookingId} does not exist`);
    const event = buildEvent(doc, req);
    // Not committed yet (a bug, or a read from a lagging replica): retry rather than invent state.
    if (!event) throw new Error(`booking ${req.bookingId} does not show ${req.type} yet`);
    context.extraOutputs.set(topic, event);
    return { id: event.id, type: event.type };
  },
  { extraOutputs: [topic] },
);
