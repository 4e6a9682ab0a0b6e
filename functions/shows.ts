// Shows. GET /api/shows (city required; date defaults to today in the city's time zone, `to` makes
// it a range of up to 14 days; movieId, venueId, kind, genre/language/format/time as comma lists,
// maxPrice, q over title, venue and cast; sorted by start; paged with an opaque continuation token),
// GET /api/shows/{showId} (always with `nonRefundable`); operator: POST /api/shows, PATCH and
// DELETE /api/shows/{showId} (DELETE cancels; refused with 409 while the show has bookings: those
// go through POST /api/ops/shows/{showId}/cancel, functions/ops-shows.ts). An
// operator may mark a show `nonRefundable` (default false): its bookings cannot be cancelled.
import { app } from '@azure/functions';
import { z } from 'zod';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import {
  answerPrepared,
  cacheable,
  prepareCacheable,
  preparedFor,
  type PreparedCacheable,
} from '../shared/http/caching.js';
import { parseBody, parseParams, parseQueryMemo } from '../shared/http/validate.js';
import { invalidInput, notFound } from '../shared/errors.js';
import {
  ShowBodySchema,
  ShowParamsSchema as ParamsSchema,
  ShowPatchSchema,
  ShowQuerySchema as QuerySchema,
} from '../shared/catalog/api-schemas.js';
import { decodeCursor, encodeCursor } from '../shared/catalog/cursor.js';

/** Validated search queries by raw query string, and each cached page's two answers. */
const searchQueries = new Map<string, Readonly<z.infer<typeof QuerySchema>>>();
const searchAnswers = new WeakMap<{ body: string; etag: string }, PreparedCacheable>();
const prepareSearch = (page: { body: string; etag: string }) =>
  prepareCacheable(page.body, { etag: page.etag, cacheControl: 'public, max-age=15' });
app.http('shows-search', {
  route: 'shows',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { continuation, ...q } = parseQueryMemo(req, QuerySchema, searchQueries);
    const s = services();
    const city = await s.catalog.city(q.city);
    if (!city) throw invalidInput(`Unknown city ${q.city}.`, [{ field: 'query.city', message: 'unknown city' }]);
    const after = continuation === undefined ? undefined : decodeCursor(continuation);
    if (continuation !== undefined && !after)
      throw invalidInput('The continuation token is not valid.', [
        { field: 'query.continuation', message: 'not a token this API issued' },
      ]);
    const cached = await s.catalog.searchBody(city, { ...q, after }, (page) =>
      JSON.stringify({
        city: page.city.id,
        date: page.date,
        to: page.to,
        timeZone: page.city.timeZone,
        items: page.items,
        ...(page.next ? { continuation: encodeCursor(page.next) } : {}),
      }),
    );
    return answerPrepared(req, preparedFor(searchAnswers, cached, prepareSearch));
  }),
});

app.http('shows-get', {
  route: 'shows/{showId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { showId } = parseParams(req, ParamsSchema);
    const show = await services().catalog.show(showId);
    if (!show) throw notFound(`Show ${showId}`);
    // Shows stored before the flag existed (and demo shows sold with refunds) do not carry it.
    return cacheable(req, JSON.stringify(show.nonRefundable === undefined ? { ...show, nonRefundable: false } : show), {
      cacheControl: 'public, max-age=30',
    });
  }),
});

app.http('shows-create', {
  route: 'shows',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const show = await s.catalogAdmin.createShow(await parseBody(req, ShowBodySchema));
    return json(201, show, { location: `/api/shows/${show.id}` });
  }),
});

app.http('shows-update', {
  route: 'shows/{showId}',
  methods: ['PATCH'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { showId } = parseParams(req, ParamsSchema);
    return json(200, await s.catalogAdmin.updateShow(showId, await parseBody(req, ShowPatchSchema)));
  }),
});

app.http('shows-cancel', {
  route: 'shows/{showId}',
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { showId } = parseParams(req, ParamsSchema);
    return json(200, await s.catalogAdmin.cancelShow(showId));
  }),
});
