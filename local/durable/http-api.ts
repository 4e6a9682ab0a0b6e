// The Durable HTTP API under /runtime/webhooks/durabletask/: the routes
// the extension's HttpApiHandler serves, so the library's own DurableClient (rpc mode) and any
// external poller work unchanged. Status codes and error bodies follow the extension.
//
// Behind keys as on Azure (local/README.md, Keys): a caller needs the master key or the Durable
// system key (`code`, which the management URLs carry) or an operator's bearer token. The app's
// own DurableClient calls the same routes under its rpcBaseUrl, `<API>/rpc/<token>/`, whose random
// per-start token stands for the extension's local-only RPC listener: the client sends no key.
// A request body must be JSON (`application/json`), so no HTML form can start or signal a saga.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ControlPlane } from '../core/control-plane.js';
import { readBody } from '../core/http-server.js';
import { sameSecret } from '../http/keys.js';
import { managementUrls } from './client-binding.js';
import { purge, raiseEvent, resume, suspend, terminate, type ControlResult } from './control.js';
import { AlreadyExistsError, ArgumentError, type Engine } from './engine.js';
import { RUNTIME_STATUSES, TERMINAL, type InstanceRecord, type ListFilter, type RuntimeStatus } from './store.js';
import { statusJson } from './status.js';

export const API_BASE = '/runtime/webhooks/durabletask';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

export interface ApiAccess {
  controlPlane: ControlPlane;
  /** The path token of the in-process client's rpcBaseUrl. */
  rpcToken: string;
  /** The `code` the management URLs carry. */
  systemKey: string;
}

/** What the routes read of a request: its method, headers and body (an HTTP request, or an in-process call). */
export interface ApiRequest {
  method?: string;
  headers: IncomingHttpHeaders;
  body(): Promise<Buffer>;
}

/** An answer as the wire carries it: status, headers and the JSON text. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  payload: string;
}

export function durableApi(engine: Engine, access: ApiAccess) {
  const rpc = `${API_BASE}/rpc/`;
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    let base = API_BASE;
    if (url.pathname.startsWith(rpc)) {
      const token = url.pathname.slice(rpc.length).split('/', 1)[0]!;
      if (!sameSecret(token, access.rpcToken)) return false;
      base = rpc + token;
    } else if (!(await access.controlPlane.admit(req, res, url, { key: 'system', operator: true }))) return true;
    const answer = await answerApi(
      engine,
      { method: req.method, headers: req.headers, body: () => readBody(req) },
      url,
      base,
      access.systemKey,
    );
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.payload)) });
    res.end(answer.payload);
    return true;
  };
}

/** One call of the API under `base` (already admitted), answered as the extension would. */
export async function answerApi(
  engine: Engine,
  req: ApiRequest,
  url: URL,
  base: string,
  systemKey: string,
): Promise<ApiAnswer> {
  const reply = await route(engine, req, url, base, systemKey).catch((err): Reply => {
    if (err instanceof ArgumentError) return error(400, 'One or more of the arguments submitted is incorrect', err);
    engine.host.log.error('durable API %s %s: %s', req.method, url.pathname, (err as Error)?.stack ?? err);
    return error(500, 'Something went wrong while processing your request', err as Error);
  });
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  return { status: reply.status, headers, payload };
}

/** The extension's error body (`CreateErrorResponse`): Message, plus the exception when there is one. */
function error(status: number, message: string, err?: Error): Reply {
  const body: Record<string, string> = { Message: message };
  if (err) Object.assign(body, { ExceptionMessage: err.message, ExceptionType: err.name });
  return { status, body };
}

async function route(engine: Engine, req: ApiRequest, url: URL, base: string, systemKey: string): Promise<Reply> {
  const rest = url.pathname.slice(base.length).replace(/^\/+|\/+$/g, '');
  const parts = rest.split('/').map((p) => decodeURIComponent(p));
  const method = req.method ?? 'GET';
  const q = url.searchParams;
  const [head, id, op, eventName] = parts;
  if (head === 'orchestrators' && id) {
    if (method !== 'POST' || parts.length > 3) return { status: 404 };
    return startRoute(engine, req, url, id, op, systemKey);
  }
  if (head === 'instances') {
    if (!id) {
      if (method === 'GET') return listRoute(engine, req, q);
      if (method === 'DELETE') return purgeManyRoute(engine, q);
      return { status: 404 };
    }
    if (!op) {
      if (method === 'GET') return statusRoute(engine, url, id);
      if (method === 'DELETE') return purgeOneRoute(engine, id);
      return { status: 404 };
    }
    if (method !== 'POST') return { status: 404 };
    const reason = q.get('reason');
    switch (op.toLowerCase()) {
      case 'raiseevent':
        return eventName && parts.length === 4 ? raiseRoute(engine, req, id, eventName) : { status: 404 };
      case 'terminate':
        return control(await terminate(engine, id, reason));
      case 'suspend':
        return control(await suspend(engine, id, reason));
      case 'resume':
        return control(await resume(engine, id, reason));
      case 'rewind':
        return rewindRoute(engine, id);
      case 'restart':
        return restartRoute(engine, url, id, q.get('restartWithNewInstanceId') !== 'false', systemKey);
    }
    return { status: 404 };
  }
  if (head === 'entities') return error(501, 'Durable entities are not supported by the Marquee local host.');
  return { status: 404 };
}

function control(result: ControlResult): Reply {
  return { status: result === 'accepted' ? 202 : result === 'gone' ? 410 : 404 };
}

/**
 * The request body as normalised JSON text (null when empty), or the extension's 400 for a body
 * that is not `application/json` or not JSON. Requiring the JSON media type keeps browsers from
 * sending it cross-site without a preflight (a form can post only text/plain and form types).
 */
async function readJsonInput(req: ApiRequest): Promise<string | null | Reply> {
  const text = (await req.body()).toString('utf8');
  if (text.trim() === '') return null;
  if (!isJson(req)) return error(400, 'Only application/json request content is supported');
  try {
    return JSON.stringify(JSON.parse(text));
  } catch (err) {
    return error(400, 'Invalid JSON content', err as Error);
  }
}

async function lookup(engine: Engine, id: string): Promise<InstanceRecord | undefined> {
  return engine.live.get(id)?.record ?? (await engine.store.getInstance(id));
}

async function startRoute(
  engine: Engine,
  req: ApiRequest,
  url: URL,
  name: string,
  instanceId: string | undefined,
  systemKey: string,
): Promise<Reply> {
  const input = await readJsonInput(req);
  if (typeof input === 'object' && input !== null) return input;
  const inputText = input;
  const id = instanceId || randomUUID().replace(/-/g, '');
  try {
    // The caller's traceparent (the app's DurableClient call inside a traced invocation) parents the
    // orchestration's span, as the extension's distributed tracing does.
    await engine.start(name, id, inputText, undefined, String(req.headers.traceparent ?? ''));
  } catch (err) {
    if (err instanceof AlreadyExistsError) return error(500, 'Something went wrong while processing your request', err);
    if (err instanceof ArgumentError) return error(400, err.message, err);
    throw err;
  }
  return checkStatusOrWait(engine, url, id, systemKey);
}

/** 202 with the management URLs, or — given `timeout` and `pollingInterval` in seconds — wait first. */
async function checkStatusOrWait(engine: Engine, url: URL, id: string, systemKey: string): Promise<Reply> {
  const urls = managementUrls(url.origin, engine.store.hub, id, systemKey);
  const check: Reply = { status: 202, body: urls, headers: { location: urls.statusQueryGetUri, 'retry-after': '10' } };
  const timeout = Number(url.searchParams.get('timeout'));
  const interval = Number(url.searchParams.get('pollingInterval'));
  if (!(timeout > 0) || !(interval > 0)) return check;
  const deadline = Date.now() + timeout * 1000;
  for (;;) {
    const rec = await lookup(engine, id);
    if (rec && TERMINAL.has(rec.status)) {
      if (rec.status === 'Completed') return { status: 200, body: rec.output === null ? null : JSON.parse(rec.output) };
      return { status: rec.status === 'Failed' ? 500 : 200, body: statusJson(rec, { showInput: true }) };
    }
    if (Date.now() + interval * 1000 > deadline) return check;
    await new Promise((r) => setTimeout(r, interval * 1000));
  }
}

async function statusRoute(engine: Engine, url: URL, id: string): Promise<Reply> {
  const q = url.searchParams;
  const rec = await lookup(engine, id);
  if (!rec) return { status: 404 };
  let history;
  if (q.get('showHistory')?.toLowerCase() === 'true') {
    const live = engine.live.get(id);
    history = live ? live.history : (await engine.store.loadPartition(id, rec.executionId)).history;
  }
  const body = statusJson(rec, {
    showInput: q.get('showInput')?.toLowerCase() !== 'false',
    history,
    showHistoryOutput: q.get('showHistoryOutput')?.toLowerCase() === 'true',
  });
  if (!TERMINAL.has(rec.status)) return { status: 202, body, headers: { location: url.href, 'retry-after': '5' } };
  const fail500 = rec.status === 'Failed' && q.get('returnInternalServerErrorOnFailure')?.toLowerCase() === 'true';
  return { status: fail500 ? 500 : 200, body };
}

function listFilter(q: URLSearchParams): ListFilter {
  const time = (name: string) => {
    const v = q.get(name);
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new ArgumentError(`${name} is not a date: ${v}`);
    return d.toISOString();
  };
  // Like the extension's Enum.TryParse over a comma list: unknown names are skipped.
  const statuses = q
    .getAll('runtimeStatus')
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .map((s) => RUNTIME_STATUSES.find((r) => r.toLowerCase() === s.toLowerCase()))
    .filter(Boolean) as RuntimeStatus[];
  return {
    runtimeStatus: statuses.length ? statuses : undefined,
    createdTimeFrom: time('createdTimeFrom'),
    createdTimeTo: time('createdTimeTo'),
    instanceIdPrefix: q.get('instanceIdPrefix') ?? undefined,
  };
}

async function listRoute(engine: Engine, req: ApiRequest, q: URLSearchParams): Promise<Reply> {
  const top = Number(q.get('top')) > 0 ? Math.min(1000, Number(q.get('top'))) : 100;
  const token = req.headers['x-ms-continuation-token'];
  const page = await engine.store.listInstances(
    listFilter(q),
    top,
    typeof token === 'string' && token ? token : undefined,
  );
  const showInput = q.get('showInput')?.toLowerCase() !== 'false';
  // The last page carries no token at all: a literal "null" would make the client loop.
  const headers: Record<string, string> = page.token ? { 'x-ms-continuation-token': page.token } : {};
  // A live instance's row may lag its custom status (written with the next status change only):
  // this host owns the live instances, so their records in memory are the current ones.
  return {
    status: 200,
    body: page.items.map((r) => statusJson(engine.live.get(r.instanceId)?.record ?? r, { showInput })),
    headers,
  };
}

async function purgeOneRoute(engine: Engine, id: string): Promise<Reply> {
  const result = await purge(engine, id);
  if (result === 'notFound') return { status: 404 };
  if (result === 'notTerminal')
    return {
      status: 412,
      body: `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${id} is still running.`,
    };
  return { status: 200, body: { instancesDeleted: 1 } };
}

async function purgeManyRoute(engine: Engine, q: URLSearchParams): Promise<Reply> {
  if (!q.get('createdTimeFrom')) return { status: 400, body: "Please provide value for 'createdTimeFrom' parameter." };
  const filter = listFilter(q);
  filter.createdTimeTo ??= new Date().toISOString();
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await engine.store.listInstances(filter, 500, token);
    for (const rec of page.items) if ((await purge(engine, rec.instanceId)) === 'deleted') deleted++;
    token = page.token;
  } while (token);
  return deleted === 0 ? { status: 404 } : { status: 200, body: { instancesDeleted: deleted } };
}

async function raiseRoute(engine: Engine, req: ApiRequest, id: string, name: string): Promise<Reply> {
  const rec = await lookup(engine, id);
  if (!rec) return { status: 404 };
  if (TERMINAL.has(rec.status)) return { status: 410 };
  if (!isJson(req)) return error(400, 'Only application/json request content is supported');
  const input = await readJsonInput(req);
  if (typeof input === 'object' && input !== null) return input;
  const inputText = input;
  return control(await raiseEvent(engine, id, name, inputText));
}

async function rewindRoute(engine: Engine, id: string): Promise<Reply> {
  const rec = await lookup(engine, id);
  if (!rec) return { status: 404, body: `No orchestration with instance ID "${id}" found.` };
  if (rec.status !== 'Failed') {
    if (TERMINAL.has(rec.status)) return { status: 410 };
    return {
      status: 412,
      body: `This orchestration has status ${rec.status}, but only orchestrations in the "Failed" state can be rewound.`,
    };
  }
  return error(501, 'Rewind is not supported by the underlying storage provider.');
}

async function restartRoute(engine: Engine, url: URL, id: string, newId: boolean, systemKey: string): Promise<Reply> {
  const rec = await lookup(engine, id);
  if (!rec) return error(400, 'InstanceId does not match a valid orchestration instance.');
  const target = newId ? randomUUID().replace(/-/g, '') : id;
  try {
    await engine.start(rec.name, target, rec.input);
  } catch (err) {
    if (err instanceof AlreadyExistsError)
      return error(409, 'A non-terminal instance with this instance ID already exists.', err);
    throw err;
  }
  return checkStatusOrWait(engine, url, target, systemKey);
}

function isJson(req: ApiRequest): boolean {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  return type === 'application/json';
}
