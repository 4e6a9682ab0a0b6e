// The HTTP edge end to end, through the local host over real HTTP with the real app: hostile route
// ids answered 400/404 before they reach Cosmos, request bodies and heads limited while they stream
// in, the rate limits (per client address behind one proxy hop, per user, stricter for starting
// bookings), and a Cosmos outage (a TCP proxy in front of the run's Cosmos server that starts
// dropping connections) answered 503 problem+json with Retry-After, /api/health included.
import { request as httpRequest } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { tokenFor } from '../support/tokens.js';

/** A TCP proxy to the Cosmos server that can be switched into an outage (every connection dropped). */
class OutageProxy {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  down = false;

  constructor(private readonly upstream: URL) {
    this.server = createServer((client) => {
      if (this.down) return void client.destroy();
      const server = connect(Number(upstream.port), upstream.hostname);
      for (const s of [client, server]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(server).pipe(client);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const url = new URL(this.upstream);
    url.port = String((this.server.address() as { port: number }).port);
    return url.toString();
  }

  outage(on: boolean): void {
    this.down = on;
    if (on) for (const s of this.sockets) s.destroy();
  }

  close(): Promise<void> {
    this.outage(true);
    return new Promise((r) => this.server.close(() => r()));
  }
}

let host: TestHost;
let proxy: OutageProxy;

beforeAll(async () => {
  proxy = new OutageProxy(new URL(inject('cosmosEndpoint')));
  host = await startHost({
    env: {
      COSMOS_ENDPOINT: await proxy.listen(),
      OUTBOUND_TIMEOUT_MS: '1500',
      HEALTH_CHECK_TIMEOUT_MS: '1500',
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '65536',
      MARQUEE_MAX_HEADER_BYTES: '8192',
      // Each test speaks for its own client address, as if behind one proxy (the local host appends the peer).
      RATE_LIMIT_PROXY_HOPS: '1',
      RATE_LIMIT_ANONYMOUS_PER_SECOND: '5',
      RATE_LIMIT_USER_PER_SECOND: '50',
      RATE_LIMIT_BOOKINGS_PER_MINUTE: '2',
    },
  });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await proxy?.close();
});

let address = 0;
/** A client address of its own, so the anonymous limit of one test does not reach another. */
const newClient = () => ({ 'x-forwarded-for': `198.51.100.${++address}` });

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as { status: number; code: string; errors?: { field: string }[]; checks?: unknown };
}

describe('hostile route ids', () => {
  const ids = ['%2F', 'a%2Fb', 'a%5Cb', '%23', 'a%23b', '%20', '%20%20', 'a%3Fb', '%00', '..%2F..', 'x'.repeat(300)];
  const routes = ['/api/shows/{}', '/api/shows/{}/seats', '/api/movies/{}', '/api/venues/{}', '/api/layouts/{}'];

  it('are refused with 400 naming the route value, or 404, and never reach Cosmos as a 500', async () => {
    const token = await tokenFor(host.origin, { sub: 'ids-user' });
    const client = newClient();
    const paths = [
      ...ids.flatMap((id) => routes.map((r) => r.replace('{}', id))),
      ...ids.map((id) => `/api/bookings/${id}`),
      ...ids.map((id) => `/api/users/${id}/profile`),
    ];
    for (const path of paths) {
      const res = await fetch(host.url(path), { headers: { authorization: `Bearer ${token}`, ...client } });
      expect([400, 403, 404], `${path} → ${res.status}`).toContain(res.status);
      const body = await problem(res);
      if (res.status === 400) expect(body.errors?.[0]?.field, path).toMatch(/^params\./);
    }
  });
});

describe('request limits', () => {
  it('refuses a body over the limit with 413 problem+json while it is still streaming in', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const total = 64 * chunk.length; // 1 MiB offered, 64 KiB allowed
    let written = 0;
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest(host.url('/api/bookings'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...newClient() },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a declared length over the limit at once', async () => {
    const res = await fetch(host.url('/api/bookings'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...newClient() },
      body: 'x'.repeat(70_000),
    });
    expect(res.status).toBe(413);
    expect((await problem(res)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers headers over the limit with 431 problem+json', async () => {
    const res = await fetch(host.url('/api/health'), { headers: { 'x-padding': 'p'.repeat(10_000) } });
    expect(res.status).toBe(431);
    expect((await problem(res)).code).toBe('HEADERS_TOO_LARGE');
  });
});

describe('rate limits', () => {
  it('answer a client address over its limit 429 problem+json with Retry-After, and leave other addresses alone', async () => {
    const busy = newClient();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => fetch(host.url('/api/cities'), { headers: busy })),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await problem(limited[0]!)).code).toBe('RATE_LIMITED');
    expect((await fetch(host.url('/api/cities'), { headers: newClient() })).status).toBe(200);
    // A signed-in user behind the same address has a bucket of their own.
    const token = await tokenFor(host.origin, { sub: 'rl-user' });
    const mine = await fetch(host.url('/api/me/profile'), { headers: { ...busy, authorization: `Bearer ${token}` } });
    expect(mine.status).toBe(200);
  });

  it('limit starting bookings per user more strictly, without touching another user', async () => {
    const headers = async (sub: string) => ({
      authorization: `Bearer ${await tokenFor(host.origin, { sub })}`,
      'content-type': 'application/json',
      'idempotency-key': `k-${sub}`,
      ...newClient(),
    });
    const eager = await headers('eager-booker');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(host.url('/api/bookings'), { method: 'POST', headers: eager, body: '{}' });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBeTruthy();
        expect((await problem(res)).code).toBe('RATE_LIMITED');
      }
    }
    expect(statuses).toEqual([400, 400, 429]);
    const other = await fetch(host.url('/api/bookings'), {
      method: 'POST',
      headers: await headers('calm'),
      body: '{}',
    });
    expect(other.status).toBe(400);
  });
});

describe('a Cosmos outage', () => {
  it('answers 503 problem+json with Retry-After, /api/health included, and recovers when Cosmos is back', async () => {
    const token = await tokenFor(host.origin, { sub: 'outage-user' });
    const auth = { authorization: `Bearer ${token}`, ...newClient() };
    expect((await fetch(host.url('/api/bookings/bk-missing'), { headers: auth })).status).toBe(404);
    proxy.outage(true);
    try {
      const res = await fetch(host.url('/api/bookings/bk-missing'), { headers: auth });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await problem(res)).code).toBe('DEPENDENCY_UNAVAILABLE');
      // A query too (the history page): the SDK runs its operation plugins for point operations only.
      const history = await fetch(host.url('/api/me/bookings'), { headers: auth });
      expect(history.status).toBe(503);
      expect(Number(history.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await problem(history)).code).toBe('DEPENDENCY_UNAVAILABLE');
      const health = await fetch(host.url('/api/health'), { headers: newClient() });
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toBeTruthy();
      const report = await problem(health);
      expect(report).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', checks: { cosmos: { status: 'down' } } });
    } finally {
      proxy.outage(false);
    }
    expect((await fetch(host.url('/api/health'), { headers: newClient() })).status).toBe(200);
  }, 30_000);
});
