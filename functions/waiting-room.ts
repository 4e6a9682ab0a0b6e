// The waiting room of hot on-sales (docs/architecture.md, Waiting room).
// PUT  /api/ops/shows/{showId}/waiting-room {opensAt, admitPerMinute, admissionMinutes, maxTicketsPerUser?,
//      enabled?, alsoShowIds?} (operator): switch it on (or off) for the show and, with alsoShowIds, for
//      the other shows of the same event at once; GET …/waiting-room (operator): live queue figures.
// GET  /api/shows/{showId}/waiting-room: whether the show sells through a queue, when it opens.
// POST /api/shows/{showId}/queue (customer): join — the same ticket when joining again.
// GET  /api/queue/{ticket} (the ticket's user): position, wait, state; the admission token once in.
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { parseBody, parseParams } from '../shared/http/validate.js';
import {
  RoomBodySchema,
  ShowParamsSchema as ShowParams,
  TicketParamsSchema as TicketParams,
} from '../shared/waiting-room/api-schemas.js';

app.http('waiting-room-configure', {
  route: 'ops/shows/{showId}/waiting-room',
  methods: ['PUT'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const operator = await s.auth.require(req, 'operator');
    const { showId } = parseParams(req, ShowParams);
    const body = await parseBody(req, RoomBodySchema);
    const { alsoShowIds, ...settings } = body;
    const showIds = [showId, ...(alsoShowIds ?? []).filter((id) => id !== showId)];
    const opensAt = new Date(settings.opensAt).toISOString();
    const rooms = await s.waitingRoom.configure(showIds, { ...settings, opensAt }, operator.userId);
    return json(
      200,
      { rooms: rooms.map(({ id: _id, kind: _kind, ...room }) => room) },
      { 'cache-control': 'no-store' },
    );
  }),
});

app.http('waiting-room-stats', {
  route: 'ops/shows/{showId}/waiting-room',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { showId } = parseParams(req, ShowParams);
    return json(200, await s.waitingRoom.stats(showId), { 'cache-control': 'no-store' });
  }),
});

app.http('waiting-room-overview', {
  route: 'shows/{showId}/waiting-room',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { showId } = parseParams(req, ShowParams);
    return json(200, await services().waitingRoom.overview(showId), { 'cache-control': 'no-store' });
  }),
});

app.http('waiting-room-join', {
  route: 'shows/{showId}/queue',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(
    async (req) => {
      const s = services();
      const user = await s.auth.require(req, 'customer');
      const { showId } = parseParams(req, ShowParams);
      const r = await s.waitingRoom.join(user.userId, showId);
      return json(
        r.created ? 201 : 200,
        { ticket: r.ticket, statusUrl: `/api/queue/${r.ticket}`, ...r.status },
        { 'cache-control': 'no-store', location: `/api/queue/${r.ticket}` },
      );
    },
    { limit: 'queue-join' },
  ),
});

app.http('waiting-room-status', {
  route: 'queue/{ticket}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req, 'customer');
    const { ticket } = parseParams(req, TicketParams);
    const status = await s.waitingRoom.status(user.userId, ticket);
    // Poll again sooner when the page has no live channel; an admitted page stops polling.
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (status.state === 'waiting') headers['retry-after'] = '5';
    return json(200, status, headers);
  }),
});
