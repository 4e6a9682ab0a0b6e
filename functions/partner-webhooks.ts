// Partner webhook delivery (docs/webhooks.md): the `partner-webhooks` subscription on the booking
// events topic hands each event to the dispatcher (shared/partners/dispatcher.ts), which re-derives
// it from the committed booking, fans it out to the matching endpoints and starts durable retries
// for the attempts that failed. A throw (a store failing) abandons the message and Service Bus
// redelivers it; the per-(event, endpoint) delivery id makes that harmless.
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { sagaClient } from '../shared/booking/ports.js';
import { retryStarter } from '../shared/partners/retry-contracts.js';
import type { CloudEvent } from '../shared/booking/events.js';

app.serviceBusTopic('partner-webhooks', {
  // An app setting resolved by the host, like every consumer of the topic (registration reads no setting).
  topicName: '%BOOKING_EVENTS_TOPIC%',
  subscriptionName: 'partner-webhooks',
  connection: 'SERVICEBUS',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    const r = await services().webhooks.dispatch(
      message as CloudEvent,
      retryStarter(sagaClient(df.getClient(context))),
    );
    if (r.status === 'ignored')
      context.warn(`partner-webhooks: event ${context.triggerMetadata?.messageId} ignored: ${r.reason}`);
  },
});
