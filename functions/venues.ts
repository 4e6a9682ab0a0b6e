// Venues: GET /api/venues?city= (a city's venues, for search and the operator's catalog screen),
// GET /api/venues/{venueId}; operator: POST /api/venues (screens given as row specs, each
// becoming an immutable layout), PATCH and DELETE /api/venues/{venueId} (DELETE closes it).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { cacheable } from '../shared/http/caching.js';
import { parseBody, parseParams, parseQuery } from '../shared/http/validate.js';
import { invalidInput, notFound } from '../shared/errors.js';
import {
  VenueBodySchema,
  VenueParamsSchema as ParamsSchema,
  VenuePatchSchema,
  VenueQuerySchema,
} from '../shared/catalog/api-schemas.js';

app.http('venues-list', {
  route: 'venues',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { city } = parseQuery(req, VenueQuerySchema);
    const s = services();
    if (!(await s.catalog.city(city)))
      throw invalidInput(`Unknown city ${city}.`, [{ field: 'query.city', message: 'unknown city' }]);
    const items = await s.catalog.venues(city);
    return cacheable(req, JSON.stringify({ items }), { cacheControl: 'public, max-age=60' });
  }),
});

app.http('venues-get', {
  route: 'venues/{venueId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { venueId } = parseParams(req, ParamsSchema);
    const venue = await services().catalog.venue(venueId);
    if (!venue) throw notFound(`Venue ${venueId}`);
    return cacheable(req, JSON.stringify(venue), { cacheControl: 'public, max-age=300' });
  }),
});

app.http('venues-create', {
  route: 'venues',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const venue = await s.catalogAdmin.createVenue(await parseBody(req, VenueBodySchema));
    return json(201, venue, { location: `/api/venues/${venue.id}` });
  }),
});

app.http('venues-update', {
  route: 'venues/{venueId}',
  methods: ['PATCH'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { venueId } = parseParams(req, ParamsSchema);
    return json(200, await s.catalogAdmin.updateVenue(venueId, await parseBody(req, VenuePatchSchema)));
  }),
});

app.http('venues-close', {
  route: 'venues/{venueId}',
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { venueId } = parseParams(req, ParamsSchema);
    return json(200, await s.catalogAdmin.closeVenue(venueId));
  }),
});
