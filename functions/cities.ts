// Cities: GET /api/cities (public, cacheable); PUT /api/cities/{cityId} (operator).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { cacheable } from '../shared/http/caching.js';
import { parseBody, parseParams } from '../shared/http/validate.js';
import { CityBodySchema, CityParamsSchema } from '../shared/catalog/api-schemas.js';

app.http('cities-list', {
  route: 'cities',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const cities = await services().catalog.cities();
    return cacheable(req, JSON.stringify({ items: cities }), { cacheControl: 'public, max-age=300' });
  }),
});

app.http('cities-put', {
  route: 'cities/{cityId}',
  methods: ['PUT'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { cityId } = parseParams(req, CityParamsSchema);
    const body = await parseBody(req, CityBodySchema);
    return json(200, await s.catalogAdmin.putCity({ id: cityId, ...body }));
  }),
});
