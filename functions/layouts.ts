// GET /api/layouts/{layoutId}: a screen's seat layout. Immutable per id (the id carries the
// version), so it is cached for a year and is CDN-friendly.
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle } from '../shared/http/handler.js';
import { cacheable } from '../shared/http/caching.js';
import { parseParams } from '../shared/http/validate.js';
import { LayoutParamsSchema as ParamsSchema } from '../shared/catalog/api-schemas.js';
import { notFound } from '../shared/errors.js';

app.http('layouts-get', {
  route: 'layouts/{layoutId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { layoutId } = parseParams(req, ParamsSchema);
    const body = await services().catalog.layoutBody(layoutId);
    if (!body) throw notFound(`Layout ${layoutId}`);
    return cacheable(req, body, { cacheControl: 'public, max-age=31536000, immutable' });
  }),
});
