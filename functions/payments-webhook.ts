// POST /api/payments/webhook (anonymous; authenticated by the provider's signature): verified by the
// payments adapter (forged or tampered → 400 WEBHOOK_SIGNATURE_INVALID, replayed outside the
// tolerance → 400 WEBHOOK_TIMESTAMP_STALE), de-duplicated by event id, handed to the booking saga
// (shared/booking/payments.ts). 200 tells the provider to stop redelivering.
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { UserError } from '../shared/errors.js';
import { sagaClient } from '../shared/booking/ports.js';

app.http('payments-webhook', {
  route: 'payments/webhook',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(async (req, context) => {
    const raw = await req.text();
    if (raw.length > 64 * 1024)
      throw new UserError('PAYLOAD_TOO_LARGE', { detail: 'A webhook body may be at most 64 KiB.' });
    const r = await services().paymentEvents.webhook(raw, req.headers, sagaClient(df.getClient(context)));
    context.log(`payment webhook ${r.eventId}: ${r.duplicate ? 'duplicate' : r.outcome}`);
    return json(200, { received: true, eventId: r.eventId, duplicate: r.duplicate, outcome: r.outcome });
  }),
});
