// The one HTTP port of the local host (7071 by default). Plugins mount raw handlers under path
// prefixes; the longest matching prefix wins, and a handler may pass by returning false.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RawHandler } from './plugin.js';
import type { Logger } from './log.js';

export class HostHttpServer {
  private readonly mounts: { prefix: string; handler: RawHandler }[] = [];
  readonly server: Server;

  constructor(private readonly log: Logger) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.keepAliveTimeout = 65_000;
  }

  mount(prefix: string, handler: RawHandler): void {
    this.mounts.push({ prefix: prefix.toLowerCase(), handler });
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length);
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

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const path = url.pathname.toLowerCase();
    try {
      for (const { prefix, handler } of this.mounts) {
        if (!path.startsWith(prefix)) continue;
        const handled = await handler(req, res, url);
        if (handled !== false) return;
      }
      sendProblem(res, 404, 'Not Found', `Nothing is served at ${url.pathname}.`, 'NOT_FOUND');
    } catch (err) {
      this.log.error('unhandled error serving %s %s: %s', req.method, url.pathname, (err as Error)?.stack ?? err);
      if (!res.headersSent) sendProblem(res, 500, 'Internal Server Error', 'The local host failed to handle this request.', 'INTERNAL');
      else res.destroy();
    }
  }
}

/** Writes an RFC 9457 problem; used by host-level routes (functions build theirs in shared/http). */
export function sendProblem(res: ServerResponse, status: number, title: string, detail: string, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ type: `https://marquee.dev/problems/${code.toLowerCase()}`, title, status, detail, code, retryable: status >= 500, ...extra });
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
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
