// Recommendations (docs/architecture.md, Recommendations): GET /api/me/recommendations?city=&limit=
// (signed in: a personal rail; the city defaults to the profile's) and GET /api/recommendations?city=
// (anyone: trending and new in the city). Each item carries its reason, its score components and
// its next three bookable shows. An unknown city is a 400 naming `city`.
//
// The service answers the same Rail object while nothing it was scored from changed, so each rail is
// serialised and hashed once (an ETag; If-None-Match gets a 304). The personal rail is `private,
// no-cache`: a browser may keep it but asks again each time, because a profile change must show at
// once and a new booking within seconds (docs/architecture.md, Recommendations) — a max-age would
// hide both from the home page; the revalidation is a 304 without a body when nothing moved.
import { app, type HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { answerPrepared, prepareCacheable, preparedFor, type PreparedCacheable } from '../shared/http/caching.js';
import type { Rail } from '../shared/recommendations/service.js';
import { parseQueryMemo } from '../shared/http/validate.js';
import { invalidInput } from '../shared/errors.js';
import { RecommendationQuerySchema as QuerySchema } from '../shared/recommendations/api-schemas.js';

const queries = new Map<string, Readonly<z.infer<typeof QuerySchema>>>();
const personal = new WeakMap<Rail, PreparedCacheable>();
const anyone = new WeakMap<Rail, PreparedCacheable>();
const PERSONAL_CACHE = 'private, no-cache';
const ANYONE_CACHE = 'public, max-age=10';

async function knownCity(id: string | undefined): Promise<string> {
  if (id === undefined)
    throw invalidInput('Name a city: none was given and the profile has none.', [
      { field: 'query.city', message: 'required' },
    ]);
  if (!(await services().catalog.city(id)))
    throw invalidInput(`Unknown city ${id}.`, [{ field: 'query.city', message: 'unknown city' }]);
  return id;
}

/** The flag recommendations-rail off (docs/feature-flags.md): the same answer with no items, so clients hide the rail. */
async function railOff(cityId: string, basis: Rail['basis']): Promise<Rail> {
  const city = (await services().catalog.city(cityId))!;
  return { city: city.id, cityName: city.name, basis, items: [] };
}

app.http('me-recommendations', {
  route: 'me/recommendations',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req: HttpRequest) => {
    const s = services();
    const user = await s.auth.require(req);
    const q = parseQueryMemo(req, QuerySchema, queries);
    const city = await knownCity(q.city ?? (await s.recommendations.homeCity(user.userId)));
    if (!(await s.features.isEnabled('recommendations-rail')))
      return json(200, await railOff(city, 'history'), { 'cache-control': 'no-store' });
    const rail = await s.recommendations.forUser(user.userId, city, q.limit);
    return answerPrepared(
      req,
      preparedFor(personal, rail, (r) => prepareCacheable(JSON.stringify(r), { cacheControl: PERSONAL_CACHE })),
    );
  }),
});

app.http('recommendations', {
  route: 'recommendations',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req: HttpRequest) => {
    const s = services();
    const q = parseQueryMemo(req, QuerySchema, queries);
    const city = await knownCity(q.city);
    if (!(await s.features.isEnabled('recommendations-rail')))
      return json(200, await railOff(city, 'trending'), { 'cache-control': 'public, max-age=10' });
    const rail = await s.recommendations.forAnyone(city, q.limit);
    return answerPrepared(
      req,
      preparedFor(anyone, rail, (r) => prepareCacheable(JSON.stringify(r), { cacheControl: ANYONE_CACHE })),
    );
  }),
});
