// Publishes one booking event (CloudEvents 1.0 JSON, shared/booking/events.ts) to the topic
// BOOKING_EVENTS_TOPIC through a `serviceBus` output binding. The event is built from the booking
// as committed, with an id derived from that state: running twice sends the same id again, and
// consumers de-duplicate on it. The body is the CloudEvent itself (structured mode), which is what
// the binding sends on Azure too.
import { output, type InvocationContext } from '@azure/functions';
import { services } from '../../shared/services.js';
import { buildEvent, type PublishRequest } from '../../shared/booking/events.js';
import type { BookingDoc } from '../../shared/booking/model.js';
import { BookingActivity } from '../../shared/booking/saga-contracts.js';
import { registerActivity } from '../durable.js';

// The topic is the app setting BOOKING_EVENTS_TOPIC, resolved by the host (a binding expression).
export const bookingEventsTopic = output.serviceBusTopic({
  topicName: '%BOOKING_EVENTS_TOPIC%',
  connection: 'SERVICEBUS',
});

/**
 * Sets the event for `req` on the invocation's topic output (sent when the activity succeeds).
 * `committed`: the booking as the same invocation has just committed it (bookingConfirmPaid), used
 * when it shows the event; otherwise the booking is read.
 */
export async function publishBookingEvent(
  req: PublishRequest,
  context: InvocationContext,
  committed?: BookingDoc,
): Promise<{ id: string; type: string }> {
  const store = services().bookingStore;
  let event = committed && committed.userId === req.userId ? buildEvent(committed, req) : undefined;
  if (!event) {
    const doc = await store.get(req.userId, req.bookingId);
    if (!doc) throw new Error(`booking ${req.bookingId} does not exist`);
    event = buildEvent(doc, req);
  }
  // Not committed yet (a bug, or a read from a lagging replica): retry rather than invent state.
  if (!event) throw new Error(`booking ${req.bookingId} does not show ${req.type} yet`);
  context.extraOutputs.set(bookingEventsTopic, event);
  return { id: event.id, type: event.type };
}

registerActivity(BookingActivity.publish, (req, context) => publishBookingEvent(req, context), {
  extraOutputs: [bookingEventsTopic],
});
