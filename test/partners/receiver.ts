// A partner's webhook receiver for the tests: a real HTTP server on 127.0.0.1, port 0, that records
// every request and answers from a script (status codes in order, the last one repeated).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  headers: Record<string, string>;
  body: string;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Status codes to answer, in order; the last one repeats. */
  script: number[];
  close(): Promise<void>;
  /** Listens again on the same port (after close: the partner comes back). */
  reopen(): Promise<void>;
}

export async function startReceiver(script: number[] = [200], port = 0): Promise<Receiver> {
  const received: Received[] = [];
  let server: Server;
  const receiver: Receiver = {
    url: '',
    port,
    received,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    reopen: () => listen(receiver.port),
  };
  const listen = (on: number) =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({
            at: Date.now(),
            headers: req.headers as Record<string, string>,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          const status = receiver.script[Math.min(received.length - 1, receiver.script.length - 1)]!;
          res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(`answer ${status}`);
        });
      });
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => {
        receiver.port = (server.address() as AddressInfo).port;
        receiver.url = `http://127.0.0.1:${receiver.port}/hooks`;
        server.unref();
        resolve();
      });
    });
  await listen(port);
  return receiver;
}

export async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)?.slice(0, 1000)})`);
}

export interface HangingRequest {
  at: number;
  body: string;
  /** When the sender gave up on it (its timeout); unset while it is still open. */
  closedAt?: number;
}

export interface HangingReceiver {
  url: string;
  requests: HangingRequest[];
  /** The most requests it ever had open at once. */
  maxOpen: number;
  open(): number;
  close(): Promise<void>;
}

/** A partner that takes requests and never answers: only the sender's timeout ends them. */
export async function startHangingReceiver(): Promise<HangingReceiver> {
  const requests: HangingRequest[] = [];
  const server = createServer((req, res) => {
    const entry: HangingRequest = { at: Date.now(), body: '' };
    requests.push(entry);
    r.maxOpen = Math.max(r.maxOpen, r.open());
    req.on('data', (c: Buffer) => (entry.body += c.toString('utf8')));
    res.on('close', () => (entry.closedAt ??= Date.now()));
  });
  const r: HangingReceiver = {
    url: '',
    requests,
    maxOpen: 0,
    open: () => requests.filter((q) => q.closedAt === undefined).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return r;
}
