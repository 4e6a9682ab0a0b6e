// The booking reconciler (timer, RECONCILE_SCHEDULE, default every minute): bookings stuck past their
// deadline are driven to a final state and successful payments nobody used are refunded
// (shared/booking/payments.ts). Every action is idempotent, so an overlapping run does no harm.
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { config } from '../shared/config.js';
import { services } from '../shared/services.js';
import { sagaClient } from '../shared/booking/ports.js';

app.timer('booking-reconcile', {
  schedule: config().RECONCILE_SCHEDULE,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer, context) => {
    const r = await services().paymentEvents.reconcile(sagaClient(df.getClient(context)));
    if (r.providerError) context.warn(`reconcile: the provider's payments could not be read: ${r.providerError}`);
    if (r.driven.length || r.refunding || r.settled)
      context.log(
        `reconcile: ${r.stuck} stuck, driven ${r.driven.join(' ') || 'none'}, ${r.settled} payments settled, ${r.refunding} refunding`,
      );
  },
});
