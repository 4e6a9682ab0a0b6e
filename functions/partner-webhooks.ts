// Partner webhook delivery (docs/webhooks.md): the `partner-webhooks` subscription on the booking
// events topic hands each event to the dispatcher (shared/partners/dispatcher.ts), which re-derives
// it from the committed booking, fans it out to the matching endpoints, and answers what it could
// not finish at once (a send an endpoint's lane did not make, the retry of a failed one). Those go
// out as one message each on the `partner-webhook-retries` queue, sent by the output binding when
// the handler returns, so this handler never waits on a slow partner or on starting an
// orchestration; the queue's own handler makes that attempt or starts the durable retry. A throw (a
// store failing) abandons the message and Service Bus redelivers it; the per-(event, endpoint)
// delivery id makes that harmless.
import { app, output, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { sagaClient } from '../shared/booking/ports.js';
import { RETRY_QUEUE, RetryInputSchema, retryStarter } from '../shared/partners/retry-contracts.js';
import type { CloudEvent } from '../shared/booking/events.js';

const handedOver = output.serviceBusQueue({ queueName: RETRY_QUEUE, connection: 'SERVICEBUS' });

app.serviceBusTopic('partner-webhooks', {
  // An app setting resolved by the host, like every consumer of the topic (registration reads no setting).
  topicName: '%BOOKING_EVENTS_TOPIC%',
  subscriptionName: 'partner-webhooks',
  connection: 'SERVICEBUS',
  extraOutputs: [handedOver],
  handler: async (message: unknown, context: InvocationContext) => {
    const r = await services().webhooks.dispatch(message as CloudEvent);
    if (r.status === 'ignored')
      context.warn(`partner-webhooks: event ${context.triggerMetadata?.messageId} ignored: ${r.reason}`);
    // An array is one message per element.
    else if (r.handOver.length > 0) context.extraOutputs.set(handedOver, r.handOver);
  },
});

// Each handed-over delivery, on its own: its endpoint's lane may keep it waiting for a slot, and the
// start of its durable retry may be slow under load, without holding any other endpoint's event.
app.serviceBusQueue('partner-webhook-retries', {
  queueName: RETRY_QUEUE,
  connection: 'SERVICEBUS',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    const input = RetryInputSchema.parse(message);
    await services().webhooks.takeOver(input, retryStarter(sagaClient(df.getClient(context))));
  },
});
