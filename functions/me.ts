// The signed-in user's own resources: GET /api/me/bookings (history: upcoming or past, paged with an
// opaque continuation), GET and PUT /api/me/profile; and GET /api/users/{userId}/profile (the user
// themself or an operator; anyone else 404).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { invalidInput, notFound } from '../shared/errors.js';
import { parseBody, parseParams, parseQuery } from '../shared/http/validate.js';
import { bookingView } from '../shared/booking/model.js';
import { HistoryQuerySchema, ProfileBodySchema, UserParamsSchema } from '../shared/profile/api-schemas.js';

const encode = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');
function decode(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T[^|]+\|bk_[A-Za-z0-9_-]+$/.test(text))
    throw invalidInput('The continuation token is not valid.', [
      { field: 'query.continuation', message: 'not a token this API issued' },
    ]);
  return text;
}

app.http('me-bookings', {
  route: 'me/bookings',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    const q = parseQuery(req, HistoryQuerySchema);
    const page = await s.bookings.history(
      user.userId,
      q.when,
      q.limit,
      q.continuation === undefined ? undefined : decode(q.continuation),
    );
    return json(
      200,
      { when: q.when, items: page.items.map(bookingView), ...(page.next ? { continuation: encode(page.next) } : {}) },
      { 'cache-control': 'no-store' },
    );
  }),
});

app.http('me-profile-get', {
  route: 'me/profile',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    return json(200, await s.profiles.get(user.userId, user.name), { 'cache-control': 'no-store' });
  }),
});

app.http('me-profile-put', {
  route: 'me/profile',
  methods: ['PUT'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    const body = await parseBody(req, ProfileBodySchema);
    const saved = await s.profiles.put(user.userId, body);
    // Stated preferences and the home city change the user's recommendations at once.
    s.recommendations.forget(user.userId);
    return json(200, saved);
  }),
});

app.http('users-profile-get', {
  route: 'users/{userId}/profile',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    const { userId } = parseParams(req, UserParamsSchema);
    if (userId !== user.userId && !user.roles.includes('operator')) throw notFound(`User ${userId}`);
    return json(200, await s.profiles.get(userId, userId === user.userId ? user.name : undefined), {
      'cache-control': 'no-store',
    });
  }),
});
