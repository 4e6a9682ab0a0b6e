// Booking under load on the running stack (its own local host, Azurite and Cosmos server): rounds
// of 50 concurrent users, each POST /api/bookings for two seats of one show, pay on the simulator's
// checkout (JSON form post), and wait for `confirmed`. Reports bookings confirmed/s, p50/p99 of
// POST /api/bookings (target p99 < 500 ms) and of payment → confirmed (webhook, saga, tickets,
// event; target p99 < 1 s), and where a booking's time goes, from the saga's own history stamps.
import { randomBytes, randomUUID } from 'node:crypto';
import { spawnHost, type SpawnedHost } from '../test/support/spawn-host.js';

const USERS = Number(process.env.BENCH_BOOKING_USERS ?? 50);
const ROUNDS = Number(process.env.BENCH_BOOKING_ROUNDS ?? 3);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(host: SpawnedHost, token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(host.origin + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function token(host: SpawnedHost, sub: string, roles: string[]): Promise<string> {
  const r = await call(host, undefined, 'POST', '/.identity/token', { sub, roles });
  return r.body.access_token as string;
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
};

async function setup(host: SpawnedHost, op: string): Promise<string[]> {
  const movie = await call(host, op, 'POST', '/api/movies', { kind: 'movie', title: 'Bench Movie', genres: ['Drama'], languages: ['English'], formats: ['2D'], certificate: 'U', durationMinutes: 120, releaseDate: '2026-01-01' });
  const rows = 'ABCDEFGHIJ'.split('').map((label) => ({ label, category: 'classic', blocks: [10, 10] }));
  const venue = await call(host, op, 'POST', '/api/venues', { city: 'blr', name: 'Bench Venue', address: 'Bench Road', screens: [{ id: 's1', name: 'Screen 1', formats: ['2D'], categories: [{ id: 'classic', name: 'Classic' }], rows }] });
  const shows: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const startsAt = new Date(Date.now() + (48 + i * 4) * 3_600_000).toISOString();
    const show = await call(host, op, 'POST', '/api/shows', { movieId: movie.body.id, venueId: venue.body.id, screenId: 's1', startsAt, language: 'English', format: '2D', prices: { classic: { amount: 25000, currency: 'INR' } } });
    if (show.status !== 201) throw new Error(`creating a show failed: ${JSON.stringify(show.body)}`);
    shows.push(show.body.id as string);
  }
  return shows;
}

interface One {
  postMs: number;
  postStatus: number;
  confirmMs?: number;
  holdMs?: number;
  sessionMs?: number;
  webhookToConfirmMs?: number;
  lastStatus?: string;
}

async function oneUser(host: SpawnedHost, tok: string, showId: string, seats: string[]): Promise<One> {
  const t0 = performance.now();
  let r = await call(host, tok, 'POST', '/api/bookings', { showId, seatIds: seats }, { 'idempotency-key': randomUUID() });
  const postMs = performance.now() - t0;
  const out: One = { postMs, postStatus: r.status };
  const id = r.body.bookingId as string;
  while (r.status === 202 || (r.status === 201 && !r.body.paymentUrl)) {
    await new Promise((res) => setTimeout(res, 200));
    r = await call(host, tok, 'GET', `/api/bookings/${id}`);
    if (r.body.status === 'failed') return out;
    if (r.body.paymentUrl) break;
  }
  if (!r.body.paymentUrl) return out;
  const paidAt = Date.now();
  const tPayStart = performance.now();
  const pay = await fetch(r.body.paymentUrl as string, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=pay' });
  await pay.arrayBuffer();
  const tPay = performance.now();
  for (;;) {
    const b = await call(host, tok, 'GET', `/api/bookings/${id}`);
    if (b.body.status === 'confirmed') {
      // From the server's own stamp, so the client's polling interval does not count.
      const at = (s: string) => Date.parse((b.body.history as { status: string; at: string }[]).find((h) => h.status === s)!.at);
      out.holdMs = at('held') - at('pending');
      out.sessionMs = at('paying') - at('held');
      out.webhookToConfirmMs = at('confirmed') - paidAt;
      out.confirmMs = at('confirmed') - (paidAt + (tPay - tPayStart));
      return out;
    }
    out.lastStatus = String(b.body.status);
    if (performance.now() - tPay > 60_000) return out;
    await new Promise((res) => setTimeout(res, 250));
  }
}

export async function run() {
  const database = `bench${randomBytes(3).toString('hex')}`;
  const host = await spawnHost({
    timeoutMs: 60_000,
    env: {
      ...process.env,
      MARQUEE_PORT: '0', MARQUEE_WEBPUBSUB_PORT: '0', MARQUEE_COSMOS_PORT: '0',
      MARQUEE_AZURITE_BLOB_PORT: '0', MARQUEE_AZURITE_QUEUE_PORT: '0', MARQUEE_AZURITE_TABLE_PORT: '0',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true', COSMOS_ENDPOINT: undefined, COSMOS_DATABASE: database,
      MARQUEE_LOG_LEVEL: 'warning', DEMO_DATA: 'true', HOLD_TTL_SECONDS: '120',
    },
  });
  try {
    const op = await token(host, 'bench-op', ['operator']);
    const shows = await setup(host, op);
    const tokens = await Promise.all(Array.from({ length: USERS }, (_, i) => token(host, `bench-user-${i}`, ['customer'])));
    const all: One[] = [];
    const started = performance.now();
    for (const showId of shows) {
      // Each user two adjacent seats of a 200-seat show: no contention between users, only load.
      const round = await Promise.all(tokens.map((t, i) => {
        const row = 'ABCDEFGHIJ'[Math.floor(i / 10) % 10]!;
        const n = (i % 10) * 2 + 1;
        return oneUser(host, t, showId, [`${row}${n}`, `${row}${n + 1}`]);
      }));
      all.push(...round);
    }
    const seconds = (performance.now() - started) / 1000;
    const confirmed = all.filter((o) => o.confirmMs !== undefined);
    const post = all.map((o) => o.postMs);
    const conf = confirmed.map((o) => o.confirmMs!);
    const result = {
      users: USERS,
      rounds: ROUNDS,
      bookings: all.length,
      confirmed: confirmed.length,
      post201: all.filter((o) => o.postStatus === 201).length,
      post202: all.filter((o) => o.postStatus === 202).length,
      notConfirmed: Object.fromEntries([...new Set(all.filter((o) => o.confirmMs === undefined).map((o) => o.lastStatus ?? `post-${o.postStatus}`))].map((k) => [k, all.filter((o) => o.confirmMs === undefined && (o.lastStatus ?? `post-${o.postStatus}`) === k).length])),
      confirmedPerSec: Math.round((confirmed.length / seconds) * 10) / 10,
      postP50Ms: pct(post, 50),
      postP99Ms: pct(post, 99),
      payToConfirmedP50Ms: pct(conf, 50), // pay answer → saga stamped confirmed (server clock)
      payToConfirmedP99Ms: pct(conf, 99),
      breakdownP50Ms: {
        requestedToHeld: pct(confirmed.map((o) => o.holdMs!), 50),
        heldToPaymentSession: pct(confirmed.map((o) => o.sessionMs!), 50),
        payClickToConfirmed: pct(confirmed.map((o) => o.webhookToConfirmMs!), 50),
      },
      pass: {} as Record<string, boolean>,
    };
    result.pass = { postP99Under500Ms: result.postP99Ms < 500, confirmP99Under1s: result.payToConfirmedP99Ms < 1000, allConfirmed: confirmed.length === all.length };
    return result;
  } finally {
    await host.stop();
  }
}

if (require.main === module) {
  void run().then((r) => console.log(JSON.stringify(r, null, 2)), (err) => {
    console.error(err);
    process.exit(1);
  });
}
