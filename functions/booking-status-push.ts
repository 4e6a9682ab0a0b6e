// Pushes each booking event to its owner's Web PubSub user channel (docs/architecture.md, Realtime;
// docs/realtime.md "booking"), so a checkout or tickets page learns of confirmed / failed / expired / cancelled /
// refunded the moment it is committed. It consumes the same booking-events topic as every other
// consumer: the push follows the commit (docs/architecture.md, Events) and the saga knows nothing about browsers.
// A failed push throws, so the broker redelivers it (peek-lock; dead-lettered after
// maxDeliveryCount); pushing the same status twice is harmless — clients refetch the booking.
import { app, type InvocationContext } from '@azure/functions';
import { services } from '../shared/services.js';
import { statusPushFor } from '../shared/realtime/booking-status.js';

app.serviceBusTopic('booking-status-push', {
  // The same app setting as the publisher (orchestrations/activities/publish-event.ts), resolved by the host.
  topicName: '%BOOKING_EVENTS_TOPIC%',
  subscriptionName: 'realtime-status',
  connection: 'SERVICEBUS',
  handler: async (message: unknown, context: InvocationContext) => {
    const push = statusPushFor(message);
    if (!push) {
      context.warn('booking-status-push: not a booking event, dropped', context.triggerMetadata?.messageId);
      return;
    }
    await services().realtime.sendToUser(push.userId, push.message);
  },
});
