// Venues: GET /api/venues/{venueId}; operator: POST /api/venues (screens given as row specs, each
// becoming an immutable layout), PATCH and DELETE /api/venues/{venueId} (DELETE closes it).
import { app } from '@azure/functions';
import { z } from 'zod';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { cacheable } from '../shared/http/caching.js';
import { documentId, parseBody, parseParams } from '../shared/http/validate.js';
import { notFound } from '../shared/errors.js';
import { FORMATS, type Format } from '../shared/domain/catalog.js';

const ParamsSchema = z.object({ venueId: documentId });
const format = z.enum(FORMATS as [Format, ...Format[]]);

const RowSchema = z.strictObject({
  label: z.string().regex(/^[A-Z]{1,3}$/, 'upper-case letters'),
  category: z.string().min(1).max(30),
  blocks: z.array(z.number().int().min(1).max(60)).min(1).max(6),
  indent: z.number().int().min(0).max(20).optional(),
  wheelchairPairs: z.number().int().min(0).max(10).optional(),
});

export const ScreenSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]{1,12}$/, 'lower-case letters and digits'),
  name: z.string().trim().min(1).max(80),
  formats: z.array(format).min(1),
  categories: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,30}$/), name: z.string().min(1).max(40) }))
    .min(1)
    .max(5),
  rows: z.array(RowSchema).min(1).max(60),
  aisleWidth: z.number().int().min(1).max(4).optional(),
});

export const VenueBodySchema = z.strictObject({
  city: z.string().min(1).max(20),
  name: z.string().trim().min(1).max(120),
  kind: z.enum(['multiplex', 'stadium']).default('multiplex'),
  address: z.string().trim().min(1).max(300),
  screens: z.array(ScreenSchema).min(1).max(20),
});

const VenuePatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  address: z.string().trim().min(1).max(300).optional(),
  screens: z.array(ScreenSchema).min(1).max(20).optional(),
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
