// node:http request → the public `HttpRequest` the worker hands an HTTP function:
// absolute URL, headers as a record, the query as the host's map (repeated keys joined with ','),
// route values as strings, the body as bytes (dropped for GET and HEAD, like the library does).
import type { IncomingMessage } from 'node:http';
import type { HttpRequest, HttpRequestInit } from '@azure/functions';
import { acceptsNativeRequest, functionsLibrary } from '../core/app-library.js';
import type { RequestTarget } from '../core/plugin.js';

/**
 * The real host accepts up to 100 MB unless the app setting FUNCTIONS_REQUEST_BODY_SIZE_LIMIT says
 * less; the same rule here (local/config.ts). The body is counted while it streams in, so a request
 * over the limit is refused before it is buffered.
 */
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * The request as the function sees it. Synchronous when there is no body to read (GET, HEAD, or no
 * Content-Length / Transfer-Encoding — a request without either has no body in HTTP/1.1), so the
 * common case costs no promise; otherwise resolves once the body was read.
 */
export function toHttpRequest(
  req: IncomingMessage,
  target: Pick<RequestTarget, 'search'>,
  origin: string,
  params: Record<string, string>,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
): HttpRequest | Promise<HttpRequest> {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD' || !mayHaveBody(req))
    return build(req, method, target.search, origin, params, undefined);
  return readBody(req, maxBodyBytes).then((body) => build(req, method, target.search, origin, params, body));
}

function mayHaveBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function build(
  req: IncomingMessage,
  method: string,
  search: string,
  origin: string,
  params: Record<string, string>,
  body: Buffer | undefined,
): HttpRequest {
  // The app's own HttpRequest class (core/app-library.ts), through its own constructor.
  const { HttpRequest } = functionsLibrary();
  const url = origin + (req.url ?? '/');
  const query = search ? queryRecord(new URLSearchParams(search)) : {};
  if (!body || !body.length) {
    // No body: `nativeRequest` is the init field the library itself uses for streamed requests; a
    // BodylessRequest builds undici's Request only if the function reads the body (see there). With
    // `query` given, the constructor reads nothing else. A library version that does not know
    // `nativeRequest` (core/app-library.ts finds out once) gets url, method and headers instead.
    const nativeRequest = new BodylessRequest(url, method, req);
    if (acceptsNativeRequest(HttpRequest))
      return new HttpRequest({ nativeRequest, query, params } as unknown as HttpRequestInit);
    return new HttpRequest({ method, url, headers: headerRecord(req.rawHeaders, nativeRequest.remote), query, params });
  }
  return new HttpRequest({
    method,
    url,
    headers: headerRecord(req.rawHeaders, req.socket.remoteAddress),
    query,
    params,
    body: { bytes: body },
  });
}

/**
 * Joins repeated headers the way a proxy would (', ', or '; ' for Cookie) and adds what Azure's
 * front end adds before the worker sees a request: X-Forwarded-For/-Proto/-Host. Cheap: one pass
 * over rawHeaders, no per-request allocation beyond the record itself.
 */
function headerRecord(raw: string[], remote: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const prev = out[name];
    out[name] = prev === undefined ? value : prev + (name === 'cookie' ? '; ' : ', ') + value;
  }
  if (remote) out['x-forwarded-for'] = out['x-forwarded-for'] ? `${out['x-forwarded-for']}, ${remote}` : remote;
  out['x-forwarded-proto'] ??= 'http';
  if (out.host) out['x-forwarded-host'] ??= out.host;
  return out;
}

function queryRecord(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of search) out[key] = key in out ? `${out[key]},${value}` : value;
  return out;
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (declared > max) throw new BodyTooLargeError(`the body is ${declared} bytes; at most ${max} are accepted`);
  if (declared === 0) return undefined;
  // Not `for await`: leaving that loop destroys the socket, and the 413 could be lost with it (the client,
  // still sending, sees EPIPE instead of the answer). Past the limit the rest is read and dropped, never
  // kept, and the connection stays usable.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd);
      req.resume();
      reject(new BodyTooLargeError(`the body exceeds ${max} bytes`));
    };
    const onEnd = () =>
      resolve(chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    req.on('data', onData).on('end', onEnd).once('error', reject);
  });
}

/**
 * What `HttpRequest` reads from its native request, for a request without a body: url, method and
 * headers are plain values (a real `Headers`, built on first use); the body readers and clone()
 * build the real undici `Request` they delegate to. Building that Request for every GET (URL
 * parsing, an AbortController, header validation) was most of the local host's per-request cost.
 */
class BodylessRequest {
  #headers: Headers | undefined;
  #real: Request | undefined;
  readonly #rawHeaders: string[];
  /** Taken now: a socket that closed no longer knows its peer. */
  readonly remote: string | undefined;

  constructor(
    readonly url: string,
    readonly method: string,
    req: IncomingMessage,
  ) {
    this.#rawHeaders = req.rawHeaders;
    this.remote = req.socket.remoteAddress;
  }

  /** The header record is built when a function first reads a header. */
  get headers(): Headers {
    return (this.#headers ??= new RawHeaders(this.#rawHeaders, this.remote));
  }
  get body(): null {
    return null;
  }
  get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false;
  }
  private real(): Request {
    return (this.#real ??= new Request(this.url, { method: this.method, headers: this.headers }));
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.real().arrayBuffer();
  }
  blob(): Promise<Blob> {
    return this.real().blob();
  }
  formData(): Promise<FormData> {
    return this.real().formData();
  }
  json(): Promise<unknown> {
    return this.real().json();
  }
  text(): Promise<string> {
    return this.real().text();
  }
  clone(): Request {
    return this.real().clone();
  }
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value must not hold for `Headers` to store it unchanged (besides edge whitespace). */
const VALUE_BREAKS = /[\0\r\n]/;
const isEdgeSpace = (code: number) => code === 32 || code === 9;

/**
 * Raw names checked once (node's parser passes only tokens, so these are few and repeat: Host,
 * Accept, Authorization…); up to 256 are remembered.
 */
const rawNames = new Map<string, boolean>();
function validRawName(name: string): boolean {
  let valid = rawNames.get(name);
  if (valid === undefined) {
    valid = HEADER_NAME.test(name);
    if (rawNames.size < 256) rawNames.set(name, valid);
  }
  return valid;
}

/**
 * Whether `Headers` would store the request's headers unchanged: each name a token, each value not
 * empty (a repeated header's values are joined with ', ', which leaves an empty one as trailing
 * whitespace), without NUL, CR or LF and without leading or trailing whitespace. Node's parser
 * already ensures nearly all of it; a request that fails takes the ordinary Headers path.
 */
function plainRaw(raw: string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const value = raw[i + 1]!;
    const last = value.length - 1;
    if (last < 0 || isEdgeSpace(value.charCodeAt(0)) || isEdgeSpace(value.charCodeAt(last))) return false;
    if (VALUE_BREAKS.test(value) || !validRawName(raw[i]!)) return false;
  }
  return true;
}

/**
 * The lower-case form of a valid header name, or undefined for an invalid one. The names a
 * function asks for are few and constant, so each is checked once (up to 256 of them).
 */
const lookupNames = new Map<string, string>();
function lookupName(name: string): string | undefined {
  let key = lookupNames.get(name);
  if (key === undefined) {
    if (!HEADER_NAME.test(name)) return undefined;
    key = name.toLowerCase();
    if (lookupNames.size < 256) lookupNames.set(name, key);
  }
  return key;
}

/**
 * One header as headerRecord would give it (same joining, same X-Forwarded-* additions), read
 * straight from the raw list: a function reading one or two headers (Authorization,
 * X-Forwarded-For, If-None-Match) builds no record. `null` when absent.
 */
function rawHeader(raw: string[], remote: string | undefined, key: string): string | null {
  let value: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== key.length || name.toLowerCase() !== key) continue;
    value = value === null ? raw[i + 1]! : value + (key === 'cookie' ? '; ' : ', ') + raw[i + 1]!;
  }
  if (key === 'x-forwarded-for' && remote) return value === null ? remote : `${value}, ${remote}`;
  if (key === 'x-forwarded-proto') return value ?? 'http';
  if (key === 'x-forwarded-host') return value ?? rawHeader(raw, undefined, 'host');
  return value;
}

/**
 * `Headers.prototype` in the chain (so `instanceof Headers` holds and the inherited accessors are the
 * real ones) without running undici's constructor: that builds a header list and a Map per request,
 * which a function reading one header through RawHeaders.get never uses.
 */
const HeadersShell = function HeadersShell() {} as unknown as typeof Headers;
HeadersShell.prototype = Object.create(Headers.prototype) as Headers;

/**
 * A `Headers` (instanceof Headers, the same answers) that copies the request's headers into a real
 * one only when something other than `get` uses it. `get` of a valid name — what a function reading
 * one header (If-None-Match, Authorization) or the edge's rate limits do — is a scan of the raw list
 * (a dozen entries), once the raw headers were checked to be what `Headers` stores unchanged;
 * otherwise, and for every other method, the real `Headers` is built and answers.
 * Building the whole record and checking it for every request was most of what reading the first
 * header cost (bench/http.ts measures the edge's limits, which read two).
 */
class RawHeaders extends HeadersShell {
  #raw: string[] | undefined;
  #plain: boolean | undefined;
  readonly #remote: string | undefined;
  #real: Headers | undefined;

  constructor(raw: string[], remote: string | undefined) {
    super();
    this.#raw = raw;
    this.#remote = remote;
  }

  #headers(): Headers {
    if (this.#real === undefined) {
      this.#real = new Headers(headerRecord(this.#raw!, this.#remote));
      this.#raw = undefined;
    }
    return this.#real;
  }

  override get(name: string): string | null {
    const raw = this.#raw;
    if (raw !== undefined && typeof name === 'string') {
      const key = lookupName(name);
      if (key !== undefined && (this.#plain ??= plainRaw(raw))) return rawHeader(raw, this.#remote, key);
    }
    return this.#headers().get(name);
  }
  override has(name: string): boolean {
    return this.#headers().has(name);
  }
  override append(name: string, value: string): void {
    this.#headers().append(name, value);
  }
  override set(name: string, value: string): void {
    this.#headers().set(name, value);
  }
  override delete(name: string): void {
    this.#headers().delete(name);
  }
  override getSetCookie(): string[] {
    return this.#headers().getSetCookie();
  }
  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.#headers().forEach((value, key) => callback.call(thisArg, value, key, this));
  }
  // keys, values, entries and iteration: the real Headers' (declared this way because the
  // compiler's lib has no iterable Headers).
  static {
    for (const method of ['keys', 'values', 'entries', Symbol.iterator] as const) {
      const inherited = (Headers.prototype as unknown as Record<PropertyKey, (this: Headers) => unknown>)[method]!;
      Object.defineProperty(RawHeaders.prototype, method, {
        value: function (this: RawHeaders) {
          return inherited.call(this.#headers());
        },
        writable: true,
        configurable: true,
      });
    }
  }
  [Symbol.for('nodejs.util.inspect.custom')](
    depth: number,
    options: object,
    inspect: (v: unknown, o: object) => string,
  ): string {
    return inspect(this.#headers(), options);
  }
}
