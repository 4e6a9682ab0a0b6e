// The `notifications` subscription on booking-events (docs/architecture.md, Notifications): each
// booking event becomes the email, SMS, web push and in-app messages its owner asked for. A channel
// that failed transiently makes the handler throw, so the broker redelivers (peek-lock; dead-lettered
// after maxDeliveryCount) and only what was not sent yet is sent; the saga never waits for this.
// It also schedules the reminder of a confirmed booking and cancels that of a cancelled one.
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { sagaClient } from '../shared/booking/ports.js';

app.serviceBusTopic('notifications', {
  // Resolved by the host from the app setting, as the publisher's (orchestrations/activities/publish-event.ts).
  topicName: '%BOOKING_EVENTS_TOPIC%',
  subscriptionName: 'notifications',
  connection: 'SERVICEBUS',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    const s = services();
    // The reminder first: a channel failing below must not delay scheduling it.
    await s.reminders.follow(message, sagaClient(df.getClient(context)));
    const outcome = await s.notifications.handle(message);
    if (outcome === 'ignored' || outcome === 'stale')
      context.warn(`notifications: message ${String(context.triggerMetadata?.messageId)} ${outcome}, dropped`);
  },
});
