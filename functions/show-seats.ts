// A show's seats. GET /api/shows/{showId}/seats: availability in the compact encoding
// (docs/seat-map.md), ≤ 1 s old, ETag from the sections' _etags, 304 on If-None-Match.
// POST /api/shows/{showId}/best-available {count, category?, wheelchair?}: suggested seats.
// POST /api/shows/{showId}/quote {seatIds}: checks a selection and prices it.
// POST /api/shows/{showId}/seat-blocks {action, seatIds} (operator): block or unblock seats.
import { app } from '@azure/functions';
import { z } from 'zod';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { answerPrepared, prepareCacheable, preparedFor, type PreparedCacheable } from '../shared/http/caching.js';
import type { Availability } from '../shared/inventory/service.js';
import { parseBody, parseParams, parseParamsMemo } from '../shared/http/validate.js';
import { invalidInput, notFound, UserError } from '../shared/errors.js';
import { inventoryProblem } from '../shared/inventory/problems.js';
import { quoteSeats } from '../shared/inventory/quote.js';
import { admissionTokenOf } from '../shared/http/admission.js';
import {
  BestAvailableBodySchema as BestSchema,
  QuoteBodySchema as QuoteSchema,
  SeatBlockBodySchema as BlockSchema,
  SeatsParamsSchema as ParamsSchema,
} from '../shared/inventory/api-schemas.js';

/** The seat map's two answers per availability snapshot (which lives ≤ 1 s in the service's cache). */
const seatMapAnswers = new WeakMap<Availability, PreparedCacheable>();
const prepareSeatMap = (a: Availability) =>
  prepareCacheable(a.body, { etag: a.etag, cacheControl: 'public, max-age=1' });
/** Validated route values of the seat map, per raw showId (the hot GET validates each id once). */
const seatMapParams = new Map<string, Readonly<z.infer<typeof ParamsSchema>>>();
app.http('show-seats', {
  route: 'shows/{showId}/seats',
  methods: ['GET'],
  authLevel: 'anonymous',
  // Not async: a fresh cached snapshot (the hot case) is answered without awaiting a promise.
  handler: handle((req) => {
    const { showId } = parseParamsMemo(req, ParamsSchema, 'showId', seatMapParams);
    const inventory = services().inventory;
    const fresh = inventory.freshAvailability(showId);
    if (fresh) return answerPrepared(req, preparedFor(seatMapAnswers, fresh, prepareSeatMap));
    return inventory.availability(showId).then((availability) => {
      if (!availability) throw notFound(`Show ${showId}`);
      return answerPrepared(req, preparedFor(seatMapAnswers, availability, prepareSeatMap));
    });
  }),
});

app.http('show-best-available', {
  route: 'shows/{showId}/best-available',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { showId } = parseParams(req, ParamsSchema);
    const body = await parseBody(req, BestSchema);
    const s = services();
    // While the show sells through its waiting room, suggestions are for admitted buyers only.
    if ((await s.waitingRoom.room(showId))?.enabled) {
      const user = await s.auth.require(req, 'customer');
      await s.waitingRoom.requireAdmission(user.userId, showId, admissionTokenOf(req.headers), body.count);
    }
    const found = await s.catalog.showWithLayout(showId);
    if (!found) throw notFound(`Show ${showId}`);
    const categories = found.index.layout.categories.map((c) => c.id);
    if (body.category && !categories.includes(body.category))
      throw invalidInput(`Unknown category ${body.category}.`, [
        { field: 'body.category', message: `one of ${categories.join(', ')}` },
      ]);
    const result = await s.inventory.bestAvailable(showId, body);
    if (!result.ok && result.reason === 'SHOW_NOT_FOUND') throw notFound(`Show ${showId}`);
    if (!result.ok)
      throw new UserError('NOT_ENOUGH_SEATS', {
        detail: `No ${body.count} seats are free together${body.category ? ` in ${body.category}` : ''}.`,
      });
    const quote = quoteSeats(found, result.seatIds);
    return json(200, {
      showId,
      seatIds: result.seatIds,
      sectionId: result.sectionId,
      adjacent: result.adjacent,
      ...quote,
    });
  }),
});

app.http('show-quote', {
  route: 'shows/{showId}/quote',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { showId } = parseParams(req, ParamsSchema);
    const body = await parseBody(req, QuoteSchema);
    const result = await services().inventory.quote(showId, body.seatIds);
    if (!result.ok) throw inventoryProblem(result, 'body.seatIds');
    return json(200, result);
  }),
});

app.http('show-seat-blocks', {
  route: 'shows/{showId}/seat-blocks',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { showId } = parseParams(req, ParamsSchema);
    const body = await parseBody(req, BlockSchema);
    const result =
      body.action === 'block'
        ? await s.inventory.block(showId, body.seatIds)
        : await s.inventory.unblock(showId, body.seatIds);
    if (!result.ok) throw inventoryProblem(result, 'body.seatIds');
    return json(200, result);
  }),
});
