// The partner role's routes (docs/webhooks.md, The partner API), all read-only and all for a
// `partner` token only (a customer or operator token is 403):
//   GET /api/partners/me/event-types                          the event catalogue with JSON Schemas
//   GET /api/partners/me/endpoints                            its endpoints and their health
//   GET /api/partners/me/endpoints/{id}/deliveries            their delivery log (?status&eventType&limit&cursor)
//   GET /api/partners/me/bookings/{bookingId}                 a booking one of its deliveries named
//   GET /api/partners/me/shows/{showId}                       a show one of its deliveries named
import { app, type HttpRequest } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { parseParams, parseQuery } from '../shared/http/validate.js';
import { deliveryView, endpointView } from '../shared/partners/model.js';
import { eventCatalogue } from '../shared/partners/payloads.js';
import {
  DeliveryQuerySchema,
  EndpointParamsSchema,
  PartnerBookingParamsSchema,
  PartnerShowParamsSchema,
} from '../shared/partners/api-schemas.js';

const noStore = { 'cache-control': 'no-store' };

const partner = async (req: HttpRequest) => {
  const s = services();
  const principal = await s.auth.require(req, 'partner');
  return { s, partnerId: principal.userId };
};

app.http('partners-event-types', {
  route: 'partners/me/event-types',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    await partner(req);
    return json(200, { items: eventCatalogue() }, { 'cache-control': 'private, max-age=3600' });
  }),
});

app.http('partners-endpoints', {
  route: 'partners/me/endpoints',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { s, partnerId } = await partner(req);
    return json(200, { items: (await s.partnerReads.endpoints(partnerId)).map(endpointView) }, noStore);
  }),
});

app.http('partners-deliveries', {
  route: 'partners/me/endpoints/{id}/deliveries',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { s, partnerId } = await partner(req);
    const { id } = parseParams(req, EndpointParamsSchema);
    const page = await s.partnerReads.deliveries(partnerId, id, parseQuery(req, DeliveryQuerySchema));
    return json(200, { items: page.items.map(deliveryView), cursor: page.cursor }, noStore);
  }),
});

app.http('partners-booking', {
  route: 'partners/me/bookings/{bookingId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { s, partnerId } = await partner(req);
    const { bookingId } = parseParams(req, PartnerBookingParamsSchema);
    return json(200, await s.partnerReads.booking(partnerId, bookingId), noStore);
  }),
});

app.http('partners-show', {
  route: 'partners/me/shows/{showId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { s, partnerId } = await partner(req);
    const { showId } = parseParams(req, PartnerShowParamsSchema);
    return json(200, await s.partnerReads.show(partnerId, showId), noStore);
  }),
});
