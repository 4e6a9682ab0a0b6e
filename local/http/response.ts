// A handler's result → the node:http response, as the real host writes it:
// undefined/null is 204; an HttpResponse is used as is and any other object goes through
// `new HttpResponse(init)`; cookies become Set-Cookie; 204/205/304 and HEAD carry no body.
// Bodies are streamed: a body that arrives in one chunk gets a Content-Length, a longer stream is
// sent chunked as it comes (so server-sent events and large downloads work).
import type { ServerResponse } from 'node:http';
import { HttpResponse, type Cookie } from '@azure/functions';
import { functionsLibrary } from '../core/app-library.js';

const NO_BODY = new Set([204, 205, 304]);

export class NotAnObjectResultError extends Error {
  override name = 'NotAnObjectResultError';
}

/**
 * The bytes of a plain init object whose body is a string, Buffer or jsonBody — what nearly every
 * handler returns — computed directly, with exactly `new HttpResponse(init)`'s rules (status
 * default, jsonBody's and a string body's default content-type, no body for 204/205/304).
 * Building an HttpResponse and reading its web stream back costs ~50 µs a request, more than the
 * rest of the host together; anything unusual (streams, Headers objects, odd statuses or header
 * values) returns undefined and takes the library's path. test/unit/local/http/response-fast-path.test.ts
 * checks both paths give the same answer.
 */
export interface DirectResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7E\x80-\xFF]*$/;
const EDGE_WHITESPACE = /^[\t\n\r ]|[\t\n\r ]$/;
const EDGE_WHITESPACE_RUNS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

export function directResponse(result: object): DirectResponse | undefined {
  const r = directParts(result);
  if (r && typeof r.body === 'string') r.body = Buffer.from(r.body);
  return r as DirectResponse | undefined;
}

/**
 * `directResponse` with a string body left as the string: node:http then sends the head and the
 * body in one write (it joins a string chunk to the head) instead of encoding a Buffer and writing
 * two chunks with writev. The bytes on the wire are the same.
 */
export interface DirectParts {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string | undefined;
}

export function directParts(result: object): DirectParts | undefined {
  const proto = Object.getPrototypeOf(result) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const init = result as { status?: unknown; headers?: unknown; body?: unknown; jsonBody?: unknown; cookies?: unknown };
  const status = init.status ?? 200;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) return undefined;
  const headers: Record<string, string | string[]> = {};
  if (init.headers !== undefined && init.headers !== null) {
    const hp = Object.getPrototypeOf(init.headers) as unknown;
    if (hp !== Object.prototype && hp !== null) return undefined;
    for (const name in init.headers as Record<string, unknown>) {
      let value = (init.headers as Record<string, unknown>)[name];
      if (typeof value !== 'string' || !TOKEN.test(name)) return undefined;
      // Headers trims a value's leading and trailing whitespace; so do we.
      if (EDGE_WHITESPACE.test(value)) value = value.replace(EDGE_WHITESPACE_RUNS, '');
      if (!FIELD_VALUE.test(value as string)) return undefined;
      const key = name.toLowerCase();
      if (key in headers) return undefined; // same name twice in different case: let Headers merge it
      headers[key] = value as string;
    }
  }
  let body: Buffer | string | undefined;
  const nullBody = NO_BODY.has(status);
  if (init.jsonBody !== undefined && init.jsonBody !== null && !nullBody) {
    const text = JSON.stringify(init.jsonBody) as string | undefined;
    // (a jsonBody JSON cannot represent fails here exactly as it always did)
    body = typeof text === 'string' ? text : Buffer.from(text as never);
    headers['content-type'] ??= 'application/json';
  } else if (!nullBody && init.body !== undefined && init.body !== null) {
    if (typeof init.body === 'string') {
      body = init.body;
      headers['content-type'] ??= 'text/plain;charset=UTF-8';
    } else if (Buffer.isBuffer(init.body)) body = init.body;
    else return undefined;
  }
  if (init.cookies !== undefined && !Array.isArray(init.cookies)) return undefined;
  const cookies = (init.cookies as Cookie[] | undefined) ?? [];
  if (cookies.length) {
    const list = headers['set-cookie'] === undefined ? [] : [headers['set-cookie'] as string];
    for (const c of cookies) list.push(serializeCookie(c));
    headers['set-cookie'] = list;
  }
  return { status, headers, body };
}

export function writeDirectResponse(res: ServerResponse, r: DirectParts, method: string): void {
  if (NO_BODY.has(r.status)) {
    delete r.headers['content-length'];
    res.writeHead(r.status, r.headers);
    res.end();
    return;
  }
  const body = r.body;
  r.headers['content-length'] = String(
    body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length,
  );
  res.writeHead(r.status, r.headers);
  res.end(method === 'HEAD' ? undefined : body);
}

/**
 * What `writeDirectResponse` sends for a result, worked out once per frozen result object: a
 * handler that returns the same frozen answer again and again (shared/http/caching.ts's prepared
 * 200/304) then costs a WeakMap lookup instead of re-validating its headers and re-measuring its
 * body. Only a result that cannot change is kept: frozen, with frozen headers, a string body (or
 * none) and no jsonBody or cookies. The `DirectParts` handed out are shared and must not be changed:
 * write them with `writeReadyResponse`.
 */
const readyResponses = new WeakMap<object, DirectParts>();

export function readyResponse(result: object): DirectParts | undefined {
  const cached = readyResponses.get(result);
  if (cached !== undefined) return cached;
  const r = directParts(result);
  if (r === undefined) return undefined;
  if (NO_BODY.has(r.status)) delete r.headers['content-length'];
  else
    r.headers['content-length'] = String(
      r.body === undefined ? 0 : typeof r.body === 'string' ? Buffer.byteLength(r.body) : r.body.length,
    );
  if (isImmutable(result))
    readyResponses.set(result, Object.freeze({ status: r.status, headers: Object.freeze(r.headers), body: r.body }));
  return r;
}

function isImmutable(result: object): boolean {
  const init = result as { headers?: unknown; body?: unknown; jsonBody?: unknown; cookies?: unknown };
  return (
    Object.isFrozen(result) &&
    (init.headers === undefined || init.headers === null || Object.isFrozen(init.headers)) &&
    (init.body === undefined || init.body === null || typeof init.body === 'string') &&
    init.jsonBody === undefined &&
    init.cookies === undefined
  );
}

/** Sends a `readyResponse` (its Content-Length already set; none for 204/205/304). */
export function writeReadyResponse(res: ServerResponse, r: DirectParts, method: string): void {
  res.writeHead(r.status, r.headers);
  res.end(NO_BODY.has(r.status) || method === 'HEAD' ? undefined : r.body);
}

/** The result as an HttpResponse, or undefined for "no response" (204). */
export function toHttpResponse(result: unknown): HttpResponse | undefined {
  if (result === undefined || result === null) return undefined;
  if (result instanceof functionsLibrary().HttpResponse || result instanceof HttpResponse) return result;
  if (isResponseLike(result)) return result as HttpResponse;
  // Same rule as the worker (InvocationModel.getResponse): a string or number is a handler bug.
  if (typeof result !== 'object')
    throw new NotAnObjectResultError(`The HTTP response must be an object, got ${typeof result}.`);
  return new HttpResponse(result as ConstructorParameters<typeof HttpResponse>[0]);
}

/**
 * Another copy of @azure/functions (e.g. durable-functions resolving its own) makes `instanceof`
 * fail; such a response still has fetch Headers and a body reader.
 */
function isResponseLike(value: unknown): boolean {
  const v = value as { headers?: unknown; arrayBuffer?: unknown; status?: unknown; cookies?: unknown };
  return (
    typeof v === 'object' &&
    v.headers instanceof Headers &&
    typeof v.arrayBuffer === 'function' &&
    typeof v.status === 'number' &&
    Array.isArray(v.cookies)
  );
}

export async function writeHttpResponse(
  res: ServerResponse,
  response: HttpResponse | undefined,
  method: string,
): Promise<void> {
  if (!response) {
    res.writeHead(204);
    res.end();
    return;
  }
  const status = response.status;
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  for (const c of response.cookies) cookies.push(serializeCookie(c));
  if (cookies.length) headers['set-cookie'] = cookies;

  const body = response.body;
  if (NO_BODY.has(status) || !body || method === 'HEAD') {
    // Drain so the source stream is released; a HEAD answer keeps the headers a GET would get.
    if (body) void body.cancel().catch(() => undefined);
    if (NO_BODY.has(status)) delete headers['content-length'];
    else if (!body && headers['content-length'] === undefined) headers['content-length'] = '0';
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const reader = body.getReader();
  const first = await reader.read();
  if (first.done) {
    headers['content-length'] = '0';
    res.writeHead(status, headers);
    res.end();
    return;
  }
  // A body given whole (string, Buffer, jsonBody) ends right after its one chunk; a live stream
  // does not, and its first chunk must not wait for the second (server-sent events).
  const pending = reader.read();
  const second = await Promise.race([pending, nextTick()]);
  if (second && second.done) {
    headers['content-length'] = String(first.value.byteLength);
    res.writeHead(status, headers);
    res.end(first.value);
    return;
  }
  delete headers['content-length'];
  res.writeHead(status, headers);
  res.write(first.value);
  let next = second ?? (await pending);
  try {
    while (!next.done) {
      if (!res.write(next.value)) await waitDrain(res);
      if (res.destroyed) break;
      next = await reader.read();
    }
  } finally {
    if (!next.done) void reader.cancel().catch(() => undefined);
  }
  res.end();
}

const nextTick = () => new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)));

function waitDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** RFC 6265 Set-Cookie, the way the host renders the cookies a worker returns. */
export function serializeCookie(c: Cookie): string {
  let out = `${c.name}=${c.value}`;
  if (c.domain) out += `; Domain=${c.domain}`;
  if (c.path) out += `; Path=${c.path}`;
  if (c.expires !== undefined) out += `; Expires=${new Date(c.expires).toUTCString()}`;
  if (c.maxAge !== undefined) out += `; Max-Age=${Math.trunc(c.maxAge)}`;
  if (c.secure) out += '; Secure';
  if (c.httpOnly) out += '; HttpOnly';
  if (c.sameSite) out += `; SameSite=${c.sameSite}`;
  return out;
}
