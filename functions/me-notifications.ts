// The signed-in user's notifications (docs/architecture.md, Notifications): GET /api/me/notifications
// (the in-app inbox, newest first, paged, with the unread count), POST
// /api/me/notifications/{id}/read, and the browser's web push subscription: GET
// /api/me/push-subscriptions/key (the VAPID public key), GET, POST and DELETE /api/me/push-subscriptions.
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { invalidInput, notFound } from '../shared/errors.js';
import { parseBody, parseParams, parseQuery } from '../shared/http/validate.js';
import {
  InboxQuerySchema,
  NotificationParamsSchema,
  PushSubscriptionSchema,
  UnsubscribeBodySchema,
} from '../shared/notifications/api-schemas.js';

const encode = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');
function decode(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T[^|]+\|ntf_[A-Za-z0-9_-]+$/.test(text))
    throw invalidInput('The continuation token is not valid.', [
      { field: 'query.continuation', message: 'not a token this API issued' },
    ]);
  return text;
}

app.http('me-notifications', {
  route: 'me/notifications',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    const q = parseQuery(req, InboxQuerySchema);
    const page = await s.inbox.list(
      user.userId,
      q.limit,
      q.continuation === undefined ? undefined : decode(q.continuation),
    );
    return json(
      200,
      { items: page.items, unread: page.unread, ...(page.next ? { continuation: encode(page.next) } : {}) },
      { 'cache-control': 'no-store' },
    );
  }),
});

app.http('me-notification-read', {
  route: 'me/notifications/{id}/read',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    const { id } = parseParams(req, NotificationParamsSchema);
    return json(200, await s.inbox.markRead(user.userId, id));
  }),
});

app.http('me-push-key', {
  route: 'me/push-subscriptions/key',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req);
    const key = s.config.WEB_PUSH_VAPID_PUBLIC_KEY;
    if (!key) throw notFound('Web push');
    return json(200, { publicKey: key });
  }),
});

app.http('me-push-subscriptions', {
  route: 'me/push-subscriptions',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    return json(200, { items: await s.inbox.subscriptions(user.userId) }, { 'cache-control': 'no-store' });
  }),
});

app.http('me-push-subscribe', {
  route: 'me/push-subscriptions',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    const body = await parseBody(req, PushSubscriptionSchema);
    return json(201, await s.inbox.subscribe(user.userId, body));
  }),
});

app.http('me-push-unsubscribe', {
  route: 'me/push-subscriptions',
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    const { endpoint } = await parseBody(req, UnsubscribeBodySchema);
    await s.inbox.unsubscribe(user.userId, endpoint);
    return { status: 204 };
  }),
});
