// Operators cancel a show that has bookings (docs/architecture.md, Show cancellation; docs/operations.md):
// POST /api/ops/shows/{showId}/cancel {reason} marks the show cancelled at once and publishes
// `show.cancelled` on SHOW_EVENTS_TOPIC (a serviceBus output binding), whose subscriber starts the
// fan-out that refunds and tells every holder; 202 with the progress URL. Cancelling an
// already-cancelled show is 202 again with the same body (the first reason stands) and publishes the
// same event id, which starts nothing while the fan-out runs and finds nothing left to do after it.
// GET /api/ops/shows/{showId}/cancellation: the progress, counted from the committed bookings.
import { app, output } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { parseBody, parseParams } from '../shared/http/validate.js';
import { ShowCancelBodySchema, ShowParamsSchema as ParamsSchema } from '../shared/booking/api-schemas.js';
import { sagaClient } from '../shared/booking/ports.js';

// The topic is the app setting SHOW_EVENTS_TOPIC, resolved by the host (a binding expression).
const showEvents = output.serviceBusTopic({ topicName: '%SHOW_EVENTS_TOPIC%', connection: 'SERVICEBUS' });

app.http('ops-shows-cancel', {
  route: 'ops/shows/{showId}/cancel',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [showEvents],
  handler: handle(async (req, context) => {
    const s = services();
    const operator = await s.auth.require(req, 'operator');
    const { showId } = parseParams(req, ParamsSchema);
    const { reason } = await parseBody(req, ShowCancelBodySchema);
    const { show, event } = await s.showCancellations.cancel(showId, reason, operator.userId);
    context.extraOutputs.set(showEvents, event);
    context.log(`operator ${operator.userId} cancelled show ${showId}`);
    const progress = `/api/ops/shows/${encodeURIComponent(showId)}/cancellation`;
    return json(
      202,
      { showId, status: show.status, cancellation: show.cancellation, eventId: event.id, progress },
      { location: progress },
    );
  }),
});

app.http('ops-shows-cancellation', {
  route: 'ops/shows/{showId}/cancellation',
  methods: ['GET'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(async (req, context) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { showId } = parseParams(req, ParamsSchema);
    const progress = await s.showCancellations.progress(showId, sagaClient(df.getClient(context)));
    return json(200, progress, { 'cache-control': 'no-store' });
  }),
});
