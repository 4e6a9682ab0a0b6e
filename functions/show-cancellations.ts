// The `show-cancellations` subscription on SHOW_EVENTS_TOPIC: a show.cancelled event, checked
// against the stored show, starts that show's one fan-out (orchestrations/show-cancellation.ts).
// A redelivered event finds it running, or walks the bookings again and finds nothing left to do.
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { sagaClient } from '../shared/booking/ports.js';

app.serviceBusTopic('show-cancellations', {
  // Resolved by the host from the app setting, as the publisher's (functions/ops-shows.ts).
  topicName: '%SHOW_EVENTS_TOPIC%',
  subscriptionName: 'show-cancellations',
  connection: 'SERVICEBUS',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    const outcome = await services().showCancellations.start(message, sagaClient(df.getClient(context)));
    if (outcome === 'ignored' || outcome === 'stale')
      context.warn(`show-cancellations: message ${String(context.triggerMetadata?.messageId)} ${outcome}, dropped`);
    else context.log(`show-cancellations: fan-out ${outcome}`);
  },
});
