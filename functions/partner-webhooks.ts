// Partner webhook delivery (docs/webhooks.md): the `partner-webhooks` subscription on the booking
// events topic hands each event to the dispatcher (shared/partners/dispatcher.ts), which re-derives
// it from the committed booking, fans it out to the matching endpoints and starts durable retries
// for the attempts that failed. A throw (a store failing) abandons the message and Service Bus
// redelivers it; the per-(event, endpoint) delivery id makes that harmless. First attempts an
// endpoint's lane did not make are parked; a timer hands them to durable retries when they are due.
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

// Every 5 s: parked deliveries that are due go to their durable retries, as far as their endpoint's
// circuit lets them (shared/partners/dispatcher.ts, sweepParked). A timer runs on one instance at a
// time; an overlapping or repeated sweep starts nothing twice (one retry instance per delivery run).
app.timer('partner-webhooks-parked', {
  schedule: '*/5 * * * * *',
  extraInputs: [df.input.durableClient()],
  handler: async (_timer, context) => {
    const r = await services().webhooks.sweepParked(retryStarter(sagaClient(df.getClient(context))));
    if (r.started || r.expired)
      context.log(`partner-webhooks-parked: ${r.started} retries started, ${r.expired} expired, ${r.held} held`);
  },
});
