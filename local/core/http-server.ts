// The one HTTP port of the local host (7071 by default). Plugins mount raw handlers under path
// prefixes; the longest matching prefix wins, and a handler may pass by returning false.
import { createServer, maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TARGET_HANDLER, type RawHandler, type RequestTarget, type TargetHandler } from './plugin.js';
import type { Logger } from './log.js';

interface Mount {
  prefix: string;
  /** The handler, called with the RequestTarget (a plain RawHandler is wrapped to get its URL). */
  call: TargetHandler;
}

export class HostHttpServer {
  private readonly mounts: Mount[] = [];
  readonly server: Server;
  /**
   * The port listens before the app is loaded (its origin goes into the app's settings). Until the
   * app and its plugins are up, a path nothing serves yet answers 503 + Retry-After, not 404: a
   * client retrying through a restart must not be told its route does not exist (the real host
   * holds or refuses requests the same way while it starts).
   */
  private started = false;

  constructor(
    private readonly log: Logger,
    options: { maxHeaderBytes?: number } = {},
  ) {
    this.server = createServer({ maxHeaderSize: options.maxHeaderBytes }, (req, res) => this.dispatch(req, res));
    this.server.keepAliveTimeout = 65_000;
    // A request Node's parser refuses never reaches dispatch; by default Node answers it with a bare
    // status line. Answer it as problem+json instead: 431 for a head over the limit, 400 otherwise.
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const body = JSON.stringify({
        type: `https://marquee.dev/problems/${tooLarge ? 'headers_too_large' : 'bad_request'}`,
        title: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request',
        status: tooLarge ? 431 : 400,
        detail: tooLarge
          ? `The request line and headers may be at most ${options.maxHeaderBytes ?? maxHeaderSize} bytes.`
          : 'The request is not valid HTTP/1.1.',
        code: tooLarge ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST',
        retryable: false,
      });
      socket.end(
        `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
          `content-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
          `connection: close\r\n\r\n${body}`,
      );
    });
  }

  mount(prefix: string, handler: RawHandler): void {
    const call: TargetHandler =
      (handler as { [TARGET_HANDLER]?: TargetHandler })[TARGET_HANDLER] ??
      ((req, res, target) => handler(req, res, target.url));
    this.mounts.push({ prefix: prefix.toLowerCase(), call });
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The app and its plugins are up: a path nothing serves is a 404 from now on. */
  markStarted(): void {
    this.started = true;
  }

  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        if (!address || typeof address === 'string') return reject(new Error('no address'));
        resolve(`http://${host}:${address.port}`);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    let target: RequestTarget;
    try {
      target = requestTarget(req);
    } catch {
      // A target or Host header no URL can be made of (it used to take the whole host down).
      sendProblem(
        res,
        400,
        'Bad Request',
        'The request target and Host header do not make a valid URL.',
        'BAD_REQUEST',
        {},
        { connection: 'close' },
      );
      return;
    }
    this.tryMounts(req, res, target, target.pathname.toLowerCase(), 0);
  }

  /**
   * Offers the request to the mounts from `from` on, longest prefix first, until one takes it. A
   * handler that answers synchronously is not awaited (no promise a request); one that returns a
   * promise resolving to false passes to the next mount when it resolves.
   */
  private tryMounts(
    req: IncomingMessage,
    res: ServerResponse,
    target: RequestTarget,
    path: string,
    from: number,
  ): void {
    const mounts = this.mounts;
    try {
      for (let i = from; i < mounts.length; i++) {
        const mount = mounts[i]!;
        if (!path.startsWith(mount.prefix)) continue;
        const handled = mount.call(req, res, target);
        if (handled === false) continue;
        if (
          typeof handled === 'object' &&
          handled !== null &&
          typeof (handled as { then?: unknown }).then === 'function'
        ) {
          (handled as Promise<boolean | void>).then(
            (h) => {
              if (h === false) this.tryMounts(req, res, target, path, i + 1);
            },
            (err: unknown) => this.failed(req, res, target, err),
          );
        }
        return;
      }
      if (!this.started)
        return sendProblem(
          res,
          503,
          'Service Unavailable',
          'The host is starting; try again shortly.',
          'HOST_STARTING',
          {},
          { 'retry-after': '1' },
        );
      sendProblem(res, 404, 'Not Found', `Nothing is served at ${target.pathname}.`, 'NOT_FOUND');
    } catch (err) {
      this.failed(req, res, target, err);
    }
  }

  private failed(req: IncomingMessage, res: ServerResponse, target: RequestTarget, err: unknown): void {
    this.log.error('unhandled error serving %s %s: %s', req.method, target.pathname, (err as Error)?.stack ?? err);
    if (!res.headersSent)
      sendProblem(res, 500, 'Internal Server Error', 'The local host failed to handle this request.', 'INTERNAL');
    else res.destroy();
  }
}

/**
 * A path WHATWG URL parsing leaves as it is: starts with one '/', only characters it does not
 * percent-encode, no backslash (read as '/'), no dot segment ('.', '..', '%2e' — resolved away), no
 * fragment. The query likewise, minus the apostrophe (encoded in a special scheme's query).
 */
const PLAIN_TARGET = /^\/(?!\/)[-\w.~!$&'()*+,;=:@%/]*(?:\?[-\w.~!$&()*+,;=:@%/?]*)?$/;
const DOT_SEGMENT = /\/(?:\.|%2e)/i;

/**
 * The request's target: for a plain one (nearly every request) its path and query split off
 * req.url as they are, which is what the URL would hold; for anything else, the URL's own. The
 * URL itself is built only when something asks for it.
 */
export function requestTarget(req: IncomingMessage): RequestTarget {
  const raw = req.url ?? '/';
  if (PLAIN_TARGET.test(raw)) {
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    if (!DOT_SEGMENT.test(pathname))
      return new LazyTarget(req, pathname, q < 0 || q === raw.length - 1 ? '' : raw.slice(q));
  }
  const url = parseUrl(req);
  return { pathname: url.pathname, search: url.search, url };
}

function parseUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
}

class LazyTarget implements RequestTarget {
  #url: URL | undefined;
  constructor(
    private readonly req: IncomingMessage,
    readonly pathname: string,
    readonly search: string,
  ) {}
  get url(): URL {
    return (this.#url ??= parseUrl(this.req));
  }
}

/** Writes an RFC 9457 problem; used by host-level routes (functions build theirs in shared/http). */
export function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({
    type: `https://marquee.dev/problems/${code.toLowerCase()}`,
    title,
    status,
    detail,
    code,
    retryable: status >= 500,
    ...extra,
  });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export async function readBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
