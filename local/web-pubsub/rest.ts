// The REST API `WebPubSubServiceClient` 1.2.0 calls, route by route. Every call
// is authenticated (tokens.ts) and answers errors as `{code, message}`. `messageTtlSeconds` is accepted
// and ignored: delivery here is immediate, so nothing is ever old enough to expire.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../core/http-server.js';
import { FilterSyntaxError, parseFilter } from './filter.js';
import type { Hub, SendOptions } from './hub.js';
import { payloadFromRest, PayloadError, type Origin } from './payload.js';
import { signClientToken, TokenError, verifyRestToken } from './tokens.js';

export interface RestContext {
  readonly accessKey: string;
  /** The hub by name (case-insensitive), created on first use. */
  hub(name: string): Hub;
}

interface Call {
  hub: Hub;
  hubName: string;
  params: Record<string, string>;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

/** A handler returns the success status, or writes the response itself and returns undefined. */
type Handler = (call: Call, ctx: RestContext) => Promise<number | void> | number | void;

const HUB_NAME = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;
const DEFAULT_REASON = 'The connection was closed by the server.';
const PERMISSIONS = new Set(['joinLeaveGroup', 'sendToGroup']);

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendOptions(query: URLSearchParams): SendOptions {
  const filter = query.get('filter');
  try {
    return { excluded: new Set(query.getAll('excluded')), filter: filter ? parseFilter(filter) : undefined };
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new RestError(400, 'InvalidRequest', `filter: ${err.message}`);
    throw err;
  }
}

async function payload(call: Call, origin: Origin) {
  return payloadFromRest(await readBody(call.req), call.req.headers['content-type'], origin);
}

function connection(call: Call) {
  const session = call.hub.connections.get(call.params.conn!);
  if (!session) throw new RestError(404, 'NotFound', `Connection ${call.params.conn} does not exist.`);
  return session;
}

function permissionKey(call: Call): string {
  const perm = call.params.perm!;
  if (!PERMISSIONS.has(perm))
    throw new RestError(400, 'InvalidRequest', `Unknown permission ${perm}; use joinLeaveGroup or sendToGroup.`);
  const target = call.query.get('targetName');
  return target ? `webpubsub.${perm}.${target}` : `webpubsub.${perm}`;
}

async function groupsAndFilter(call: Call): Promise<{ groups: string[]; select: ReturnType<Hub['select']> }> {
  let body: { groups?: unknown; filter?: unknown };
  try {
    body = JSON.parse((await readBody(call.req)).toString('utf8')) as typeof body;
  } catch {
    throw new RestError(400, 'InvalidRequest', 'The body must be JSON {groups, filter}.');
  }
  if (!Array.isArray(body.groups) || !body.groups.every((g) => typeof g === 'string'))
    throw new RestError(400, 'InvalidRequest', 'groups must be an array of strings.');
  const query = new URLSearchParams(typeof body.filter === 'string' && body.filter ? { filter: body.filter } : {});
  return {
    groups: body.groups as string[],
    select: call.hub.select(call.hub.connections.values(), sendOptions(query)),
  };
}

const routes: [method: string, pattern: string, handler: Handler][] = [
  [
    'POST',
    ':send',
    async (c) => (
      c.hub.deliver(
        c.hub.select(c.hub.connections.values(), sendOptions(c.query)),
        await payload(c, { from: 'server' }),
      ),
      202
    ),
  ],
  [
    'POST',
    ':closeConnections',
    (c) => (
      c.hub.closeAll(
        c.hub.select(c.hub.connections.values(), sendOptions(c.query)),
        c.query.get('reason') ?? DEFAULT_REASON,
      ),
      204
    ),
  ],
  [
    'POST',
    ':addToGroups',
    async (c) => {
      const { groups, select } = await groupsAndFilter(c);
      for (const s of select) for (const g of groups) c.hub.join(s, g);
      return 200;
    },
  ],
  [
    'POST',
    ':removeFromGroups',
    async (c) => {
      const { groups, select } = await groupsAndFilter(c);
      for (const s of select) for (const g of groups) c.hub.leave(s, g);
      return 200;
    },
  ],
  [
    'POST',
    ':generateToken',
    async (c, ctx) => {
      const minutes = Number(c.query.get('minutesToExpire') ?? 60);
      const audience = `http://${c.req.headers.host}/client/hubs/${c.hubName}`;
      const token = await signClientToken(
        ctx.accessKey,
        audience,
        { userId: c.query.get('userId'), roles: c.query.getAll('role'), groups: c.query.getAll('group') },
        Number.isFinite(minutes) ? minutes : 60,
      );
      json(c.res, 200, { token });
    },
  ],

  [
    'POST',
    'groups/{group}/:send',
    async (c) => {
      const p = await payload(c, { from: 'group', group: c.params.group! });
      c.hub.deliver(c.hub.select(c.hub.groups.get(c.params.group!), sendOptions(c.query)), p);
      return 202;
    },
  ],
  [
    'POST',
    'groups/{group}/:closeConnections',
    (c) => (
      c.hub.closeAll(
        c.hub.select(c.hub.groups.get(c.params.group!), sendOptions(c.query)),
        c.query.get('reason') ?? DEFAULT_REASON,
      ),
      204
    ),
  ],
  ['HEAD', 'groups/{group}', (c) => (c.hub.groups.has(c.params.group!) ? 200 : 404)],
  ['PUT', 'groups/{group}/connections/{conn}', (c) => (c.hub.join(connection(c), c.params.group!), 200)],
  [
    'DELETE',
    'groups/{group}/connections/{conn}',
    (c) => {
      const s = c.hub.connections.get(c.params.conn!);
      if (s) c.hub.leave(s, c.params.group!);
      return 204;
    },
  ],

  [
    'POST',
    'users/{user}/:send',
    async (c) => {
      const p = await payload(c, { from: 'server' });
      c.hub.deliver(c.hub.select(c.hub.users.get(c.params.user!), sendOptions(c.query)), p);
      return 202;
    },
  ],
  [
    'POST',
    'users/{user}/:closeConnections',
    (c) => (
      c.hub.closeAll(
        c.hub.select(c.hub.users.get(c.params.user!), sendOptions(c.query)),
        c.query.get('reason') ?? DEFAULT_REASON,
      ),
      204
    ),
  ],
  ['HEAD', 'users/{user}', (c) => (c.hub.users.has(c.params.user!) ? 200 : 404)],
  ['PUT', 'users/{user}/groups/{group}', (c) => (c.hub.addUserToGroup(c.params.user!, c.params.group!), 200)],
  ['DELETE', 'users/{user}/groups/{group}', (c) => (c.hub.removeUserFromGroup(c.params.user!, c.params.group!), 204)],
  ['DELETE', 'users/{user}/groups', (c) => (c.hub.removeUserFromAllGroups(c.params.user!), 204)],

  [
    'POST',
    'connections/{conn}/:send',
    async (c) => {
      const p = await payload(c, { from: 'server' });
      const s = c.hub.connections.get(c.params.conn!);
      if (s) c.hub.deliver([s], p);
      return 202;
    },
  ],
  ['HEAD', 'connections/{conn}', (c) => (c.hub.connections.has(c.params.conn!) ? 200 : 404)],
  [
    'DELETE',
    'connections/{conn}',
    (c) => {
      const s = c.hub.connections.get(c.params.conn!);
      if (s) c.hub.closeAll([s], c.query.get('reason') ?? DEFAULT_REASON);
      return 204;
    },
  ],
  [
    'DELETE',
    'connections/{conn}/groups',
    (c) => {
      const s = c.hub.connections.get(c.params.conn!);
      if (s) for (const g of [...s.groups]) c.hub.leave(s, g);
      return 204;
    },
  ],

  ['PUT', 'permissions/{perm}/connections/{conn}', (c) => (connection(c).permissions.add(permissionKey(c)), 200)],
  [
    'DELETE',
    'permissions/{perm}/connections/{conn}',
    (c) => (c.hub.connections.get(c.params.conn!)?.permissions.delete(permissionKey(c)), 204),
  ],
  [
    'HEAD',
    'permissions/{perm}/connections/{conn}',
    (c) => {
      const key = permissionKey(c);
      const s = c.hub.connections.get(c.params.conn!);
      const general = `webpubsub.${c.params.perm}`;
      return s && (s.permissions.has(key) || s.permissions.has(general)) ? 200 : 404;
    },
  ],
];

function match(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith('{')) params[part.slice(1, -1)] = segments[i]!;
    else if (part !== segments[i]) return undefined;
  }
  return params;
}

/** Serves `/api/...`; returns false for paths that are not REST API paths. */
export async function handleRest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: RestContext,
): Promise<boolean> {
  if (url.pathname === '/api/health') return (res.writeHead(200).end(), true);
  const raw = url.pathname.split('/').filter(Boolean);
  if (raw[0] !== 'api' || raw[1] !== 'hubs' || raw.length < 3) return false;
  try {
    let segments: string[];
    try {
      segments = raw.map((s) => decodeURIComponent(s));
    } catch {
      throw new RestError(400, 'InvalidRequest', 'The path is not valid percent-encoding.');
    }
    const hubName = segments[2]!;
    if (!HUB_NAME.test(hubName))
      throw new RestError(400, 'InvalidRequest', `Invalid hub name ${JSON.stringify(hubName)}.`);
    const rest = segments.slice(3);
    let found: { handler: Handler; params: Record<string, string> } | undefined;
    let pathKnown = false;
    for (const [method, pattern, handler] of routes) {
      const params = match(pattern, rest);
      if (!params) continue;
      pathKnown = true;
      if (method === req.method) found = { handler, params };
    }
    if (!found)
      throw new RestError(
        pathKnown ? 405 : 404,
        pathKnown ? 'MethodNotAllowed' : 'NotFound',
        `${req.method} ${url.pathname} is not part of the Web PubSub REST API.`,
      );
    try {
      await verifyRestToken(req.headers.authorization, ctx.accessKey);
    } catch (err) {
      if (err instanceof TokenError) throw new RestError(401, 'Unauthorized', err.message);
      throw err;
    }
    const call: Call = { hub: ctx.hub(hubName), hubName, params: found.params, query: url.searchParams, req, res };
    const status = await found.handler(call, ctx);
    if (status !== undefined) res.writeHead(status).end();
  } catch (err) {
    if (err instanceof RestError || err instanceof PayloadError)
      errorResponse(req, res, err.status, err.code, err.message);
    else if ((err as { status?: number }).status === 413)
      errorResponse(req, res, 413, 'PayloadTooLarge', 'The body is too large.');
    else throw err;
  }
  return true;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    .end(body);
}

function errorResponse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
  // HEAD answers carry no body; the SDK maps 404 to false from the status alone.
  if (req.method === 'HEAD') res.writeHead(status).end();
  else json(res, status, { code, message });
  // Let the client reuse the socket: drain what it sent that we did not read.
  req.resume();
}
