// Keeps the recommender's signals up to date (docs/architecture.md, Recommendations): subscription
// `recommendations` on the booking-events topic. Each event is applied once (the service
// de-duplicates on its id and verifies it against the committed booking); a fault throws, so the
// broker redelivers it (peek-lock; dead-lettered after maxDeliveryCount).
import { app, type InvocationContext } from '@azure/functions';
import { services } from '../shared/services.js';

app.serviceBusTopic('recommendation-signals', {
  // Same source of the topic name as the publisher (orchestrations/activities/publish-event.ts).
  // An app setting resolved by the host, like every consumer of the topic (registration reads no setting).
  topicName: '%BOOKING_EVENTS_TOPIC%',
  subscriptionName: 'recommendations',
  connection: 'SERVICEBUS',
  handler: async (message: unknown, context: InvocationContext) => {
    const outcome = await services().recommendations.ingest(message);
    if (outcome === 'unverified')
      context.warn(
        'recommendation-signals: the booking does not show this event, dropped',
        context.triggerMetadata?.messageId,
      );
  },
});
