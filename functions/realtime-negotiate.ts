// GET /api/realtime/negotiate?showId=: a Web PubSub client URL that may join only that show's
// group (pre-joined), valid REALTIME_TOKEN_MINUTES. Anonymous viewers get a seat-map-only URL; a
// signed-in caller (optional bearer) also gets their user channel (docs/realtime.md).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { notFound } from '../shared/errors.js';
import { parseQuery } from '../shared/http/validate.js';
import { negotiate } from '../shared/realtime/index.js';
import { NegotiateQuerySchema } from '../shared/realtime/api-schemas.js';

app.http('realtime-negotiate', {
  route: 'realtime/negotiate',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { showId } = parseQuery(req, NegotiateQuerySchema);
    const s = services();
    const principal = await s.auth.optional(req);
    const result = await negotiate(
      { catalog: s.catalog, realtime: s.realtime, tokenMinutes: s.config.REALTIME_TOKEN_MINUTES },
      showId,
      principal?.userId,
    );
    if (!result) throw notFound(`Show ${showId}`);
    // The URL is a credential: never cached, by anyone.
    return json(200, result, { 'cache-control': 'no-store' });
  }),
});
