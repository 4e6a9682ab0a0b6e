// node:http request → the public `HttpRequest` the worker hands an HTTP function (contracts §1.6):
// absolute URL, headers as a record, the query as the host's map (repeated keys joined with ','),
// route values as strings, the body as bytes (dropped for GET and HEAD, like the library does).
import type { IncomingMessage } from 'node:http';
import { HttpRequest, type HttpRequestInit } from '@azure/functions';

/** The real host accepts up to 100 MB (maxRequestBodySize); the same limit here. */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * The request as the function sees it. Synchronous when there is no body to read (GET, HEAD, or no
 * Content-Length / Transfer-Encoding — a request without either has no body in HTTP/1.1), so the
 * common case costs no promise; otherwise resolves once the body was read.
 */
export function toHttpRequest(req: IncomingMessage, url: URL, origin: string, params: Record<string, string>): HttpRequest | Promise<HttpRequest> {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD' || !mayHaveBody(req)) return build(req, method, url, origin, params, undefined);
  return readBody(req).then((body) => build(req, method, url, origin, params, body));
}

function mayHaveBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function build(req: IncomingMessage, method: string, url: URL, origin: string, params: Record<string, string>, body: Buffer | undefined): HttpRequest {
  if (!body || !body.length) {
    // No body: hand the library a request that builds undici's Request only if the function reads
    // the body (see BodylessRequest). `nativeRequest` is the init field the library itself uses for
    // streamed requests; with `query` given, the constructor reads nothing else from it.
    const init = { nativeRequest: new BodylessRequest(origin + (req.url ?? '/'), method, headerRecord(req)), query: url.search ? queryRecord(url.searchParams) : {}, params };
    return new HttpRequest(init as HttpRequestInit);
  }
  return new HttpRequest({
    method,
    url: origin + (req.url ?? '/'),
    headers: headerRecord(req),
    query: url.search ? queryRecord(url.searchParams) : {},
    params,
    body: body && body.length ? { bytes: body } : undefined,
  });
}

/**
 * Joins repeated headers the way a proxy would (', ', or '; ' for Cookie) and adds what Azure's
 * front end adds before the worker sees a request: X-Forwarded-For/-Proto/-Host. Cheap: one pass
 * over rawHeaders, no per-request allocation beyond the record itself.
 */
function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const prev = out[name];
    out[name] = prev === undefined ? value : prev + (name === 'cookie' ? '; ' : ', ') + value;
  }
  const remote = req.socket.remoteAddress;
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

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLargeError(`the body is ${declared} bytes; at most ${MAX_BODY_BYTES} are accepted`);
  if (declared === 0) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`the body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
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

  constructor(
    readonly url: string,
    readonly method: string,
    private readonly record: Record<string, string>,
  ) {}

  get headers(): Headers {
    return (this.#headers ??= new RecordHeaders(this.record));
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
/** A value `Headers` stores unchanged: no NUL, CR or LF, and no leading or trailing whitespace. */
const PLAIN_VALUE = /^(?:[^\0\r\n\t ](?:[^\0\r\n]*[^\0\r\n\t ])?)?$/;

/**
 * A real `Headers` (same class, same answers) that copies the request's header record into itself
 * only when something other than `get` uses it. `get` of a valid name — what a function reading one
 * header (If-None-Match, Authorization) does — is a lookup in the record, once the record was
 * checked to hold only names and values `Headers` would accept as they are; otherwise, and for
 * every other method, the record is appended first and the inherited method answers.
 */
class RecordHeaders extends Headers {
  #record: Record<string, string> | undefined;
  #plain: boolean | undefined;

  constructor(record: Record<string, string>) {
    super();
    this.#record = record;
  }

  #fill(): void {
    const record = this.#record;
    if (record === undefined) return;
    this.#record = undefined;
    for (const name of Object.keys(record)) super.append(name, record[name]!);
  }

  #isPlain(record: Record<string, string>): boolean {
    if (this.#plain === undefined) {
      this.#plain = true;
      for (const name of Object.keys(record)) {
        if (!HEADER_NAME.test(name) || name !== name.toLowerCase() || !PLAIN_VALUE.test(record[name]!)) {
          this.#plain = false;
          break;
        }
      }
    }
    return this.#plain;
  }

  override get(name: string): string | null {
    const record = this.#record;
    if (record !== undefined && typeof name === 'string' && HEADER_NAME.test(name) && this.#isPlain(record)) {
      const key = name.toLowerCase();
      return Object.hasOwn(record, key) ? record[key]! : null;
    }
    this.#fill();
    return super.get(name);
  }
  override has(name: string): boolean {
    this.#fill();
    return super.has(name);
  }
  override append(name: string, value: string): void {
    this.#fill();
    super.append(name, value);
  }
  override set(name: string, value: string): void {
    this.#fill();
    super.set(name, value);
  }
  override delete(name: string): void {
    this.#fill();
    super.delete(name);
  }
  override getSetCookie(): string[] {
    this.#fill();
    return super.getSetCookie();
  }
  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(callback, thisArg);
  }
  // keys, values, entries and iteration: the inherited ones, after the fill (declared this way
  // because the compiler's lib has no iterable Headers).
  static {
    for (const method of ['keys', 'values', 'entries', Symbol.iterator] as const) {
      const inherited = (Headers.prototype as unknown as Record<PropertyKey, (this: Headers) => unknown>)[method]!;
      Object.defineProperty(RecordHeaders.prototype, method, {
        value: function (this: RecordHeaders) {
          this.#fill();
          return inherited.call(this);
        },
        writable: true,
        configurable: true,
      });
    }
  }
  [Symbol.for('nodejs.util.inspect.custom')](depth: number, options: object, inspect: (v: unknown, o: object) => string): string {
    this.#fill();
    return inspect(new Headers(this), options);
  }
}
