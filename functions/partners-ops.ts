// Operators' partner webhook routes (docs/webhooks.md, docs/architecture.md, Partner webhooks):
//   POST   /api/ops/partners                          register → 201 {endpoint, secret} (the secret only here)
//   GET    /api/ops/partners                          endpoints with their health
//   GET    /api/ops/partners/{id}                     one endpoint (never its secret)
//   PATCH  /api/ops/partners/{id}                     name, url, events, filter, status (enabled|disabled)
//   DELETE /api/ops/partners/{id}
//   POST   /api/ops/partners/{id}/rotate-secret       → {endpoint, secret}; the old one signs through the overlap
//   GET    /api/ops/partners/{id}/deliveries          ?status&eventType&limit&cursor, newest first
//   POST   /api/ops/partners/{id}/deliveries/{deliveryId}/retry
//   POST   /api/ops/partners/{id}/replay              {since}: resend everything since then
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { parseBody, parseParams, parseQuery } from '../shared/http/validate.js';
import { sagaClient } from '../shared/booking/ports.js';
import { retryStarter } from '../shared/partners/retry-contracts.js';
import { deliveryView, endpointView } from '../shared/partners/model.js';
import {
  DeliveryParamsSchema as DeliveryParams,
  DeliveryQuerySchema,
  EndpointInputSchema,
  EndpointParamsSchema as IdParams,
  EndpointPatchSchema,
  ReplayBodySchema as ReplaySchema,
} from '../shared/partners/api-schemas.js';

const noStore = { 'cache-control': 'no-store' };

const operator = async (req: HttpRequest) => {
  const s = services();
  await s.auth.require(req, 'operator');
  return s;
};
const retries = (context: InvocationContext) => retryStarter(sagaClient(df.getClient(context)));

app.http('ops-partners-create', {
  route: 'ops/partners',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const principal = await s.auth.require(req, 'operator');
    const input = await parseBody(req, EndpointInputSchema);
    // The registering operator is told if the endpoint is ever disabled for failing.
    const { endpoint, secret } = await s.partnerEndpoints.create(input, principal.userId);
    return json(201, { endpoint: endpointView(endpoint), secret }, noStore);
  }),
});

app.http('ops-partners-list', {
  route: 'ops/partners',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = await operator(req);
    return json(200, { items: (await s.partnerEndpoints.list()).map(endpointView) }, noStore);
  }),
});

app.http('ops-partners-one', {
  route: 'ops/partners/{id}',
  methods: ['GET', 'PATCH', 'DELETE'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = await operator(req);
    const { id } = parseParams(req, IdParams);
    if (req.method === 'DELETE') {
      await s.partnerEndpoints.remove(id);
      return { status: 204 };
    }
    const endpoint =
      req.method === 'PATCH'
        ? await s.partnerEndpoints.update(id, await parseBody(req, EndpointPatchSchema))
        : await s.partnerEndpoints.get(id);
    return json(200, { endpoint: endpointView(endpoint) }, noStore);
  }),
});

app.http('ops-partners-rotate-secret', {
  route: 'ops/partners/{id}/rotate-secret',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = await operator(req);
    const { id } = parseParams(req, IdParams);
    const { endpoint, secret } = await s.partnerEndpoints.rotate(id);
    return json(200, { endpoint: endpointView(endpoint), secret }, noStore);
  }),
});

app.http('ops-partners-deliveries', {
  route: 'ops/partners/{id}/deliveries',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = await operator(req);
    const { id } = parseParams(req, IdParams);
    const q = parseQuery(req, DeliveryQuerySchema);
    await s.partnerEndpoints.get(id);
    const page = await s.deliveries.list(id, q);
    return json(200, { items: page.items.map(deliveryView), cursor: page.cursor }, noStore);
  }),
});

app.http('ops-partners-delivery-retry', {
  route: 'ops/partners/{id}/deliveries/{deliveryId}/retry',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(async (req, context) => {
    const s = await operator(req);
    const { id, deliveryId } = parseParams(req, DeliveryParams);
    const delivery = await s.webhooks.retry(id, deliveryId, retries(context));
    return json(202, { delivery: deliveryView(delivery) }, noStore);
  }),
});

app.http('ops-partners-replay', {
  route: 'ops/partners/{id}/replay',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(async (req, context) => {
    const s = await operator(req);
    const { id } = parseParams(req, IdParams);
    const { since } = await parseBody(req, ReplaySchema);
    const replayed = await s.webhooks.replay(id, new Date(since).toISOString(), retries(context));
    return json(202, { replayed }, noStore);
  }),
});
