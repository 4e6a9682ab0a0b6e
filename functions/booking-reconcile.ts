// The booking reconciler (timer on the app setting RECONCILE_SCHEDULE, every minute in the shipped settings): bookings stuck past their
// deadline are driven to a final state and successful payments nobody used are refunded
// (shared/booking/payments.ts). Every action is idempotent, so an overlapping run does no harm.
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { sagaClient } from '../shared/booking/ports.js';

app.timer('booking-reconcile', {
  // A binding expression, resolved by the host from the app settings: registering reads no settings, so the
  // app loads wherever the settings are incomplete (docs/architecture.md, Deployment contract).
  schedule: '%RECONCILE_SCHEDULE%',
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
