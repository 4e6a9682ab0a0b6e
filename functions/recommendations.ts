// Recommendations (docs/architecture.md, Recommendations): GET /api/me/recommendations?city=&limit=
// (signed in: a personal rail; the city defaults to the profile's) and GET /api/recommendations?city=
// (anyone: trending and new in the city). Each item carries its reason, its score components and
// its next three bookable shows. An unknown city is a 400 naming `city`.
import { app, type HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { parseQueryMemo } from '../shared/http/validate.js';
import { invalidInput } from '../shared/errors.js';
import type { Rail } from '../shared/recommendations/service.js';

const QuerySchema = z.strictObject({
  city: z.string().min(1).max(20).optional(),
  limit: z.coerce.number().int().min(1).max(30).default(10),
});
const queries = new Map<string, Readonly<z.infer<typeof QuerySchema>>>();

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
    return json(200, await s.recommendations.forUser(user.userId, city, q.limit), { 'cache-control': 'no-store' });
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
    return json(200, await s.recommendations.forAnyone(city, q.limit), { 'cache-control': 'public, max-age=10' });
  }),
});
