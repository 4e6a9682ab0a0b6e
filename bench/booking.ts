// Booking under load on the running stack (its own local host, Azurite and Cosmos server): rounds
// of 50 concurrent users, all at the same instant, each POST /api/bookings for two seats of one
// show, follow the booking's payment link to the simulator's checkout at once and pay (JSON form
// post), then read the booking every second until `confirmed`. Reports bookings confirmed/s, p50/p99 of
// POST /api/bookings (target p99 < 500 ms) and of payment → confirmed (webhook, saga, tickets,
// event; target p99 < 1 s), and where a booking's time goes, from the saga's own history stamps.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, type SpawnedHost } from '../test/support/spawn-host.js';
import { childrenOf, cpuMs } from './support/proc.js';
import { spawnDemoHost } from './support/standalone.js';

const USERS = Number(process.env.BENCH_BOOKING_USERS ?? 50);
const ROUNDS = Number(process.env.BENCH_BOOKING_ROUNDS ?? 3);
/**
 * Rounds run first and not counted in the figures, so those describe a host that has been up a
 * while: V8 compiles the hot paths over the first ~100 bookings (a first round runs ~1.5x slower at
 * p99). The warm-up rounds' own p99s are reported beside them.
 */
const WARMUP = Number(process.env.BENCH_BOOKING_WARMUP_ROUNDS ?? 2);
/** BENCH_BOOKING_TRACE=1: count the host's outgoing requests (Azurite, Cosmos, itself) per booking. */
const TRACE = process.env.BENCH_BOOKING_TRACE === '1';
const TRACE_FILE = `/tmp/marquee-bench-trace-${process.pid}.json`;
// With the trace on, BENCH_BOOKING_PROFILE=<file.cpuprofile> also profiles the host over the load phase.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(
  host: SpawnedHost,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(host.origin + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
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
  const movie = await call(host, op, 'POST', '/api/movies', {
    kind: 'movie',
    title: 'Bench Movie',
    genres: ['Drama'],
    languages: ['English'],
    formats: ['2D'],
    certificate: 'U',
    durationMinutes: 120,
    releaseDate: '2026-01-01',
  });
  const rows = 'ABCDEFGHIJ'.split('').map((label) => ({ label, category: 'classic', blocks: [10, 10] }));
  const venue = await call(host, op, 'POST', '/api/venues', {
    city: 'blr',
    name: 'Bench Venue',
    address: 'Bench Road',
    screens: [{ id: 's1', name: 'Screen 1', formats: ['2D'], categories: [{ id: 'classic', name: 'Classic' }], rows }],
  });
  const shows: string[] = [];
  for (let i = 0; i < ROUNDS + WARMUP; i++) {
    const startsAt = new Date(Date.now() + (48 + i * 4) * 3_600_000).toISOString();
    const show = await call(host, op, 'POST', '/api/shows', {
      movieId: movie.body.id,
      venueId: venue.body.id,
      screenId: 's1',
      startsAt,
      language: 'English',
      format: '2D',
      prices: { classic: { minor: 25000, currency: 'INR' } },
    });
    if (show.status !== 201) throw new Error(`creating a show failed: ${JSON.stringify(show.body)}`);
    shows.push(show.body.id as string);
  }
  return shows;
}

interface One {
  id?: string;
  postMs: number;
  postStatus: number;
  confirmMs?: number;
  holdMs?: number;
  sessionMs?: number;
  webhookToConfirmMs?: number;
  /** From following the payment link to its 303 (it waits for the provider's session). */
  checkoutReadyMs?: number;
  /** Server stamp of `confirmed` (epoch ms). */
  confirmedAt?: number;
  lastStatus?: string;
}

/** How often a user's page reads its booking while it waits (our web client: 1.5 s without push, 4 s with). */
const POLL_MS = Number(process.env.BENCH_BOOKING_POLL_MS ?? 1000);

async function oneUser(host: SpawnedHost, tok: string, showId: string, seats: string[]): Promise<One> {
  const t0 = performance.now();
  let r = await call(
    host,
    tok,
    'POST',
    '/api/bookings',
    { showId, seatIds: seats },
    { 'idempotency-key': randomUUID() },
  );
  const postMs = performance.now() - t0;
  const id = (r.body.bookingId ?? r.body.id) as string;
  const out: One = { id, postMs, postStatus: r.status };
  // 202 (still working): poll the booking until it has its payment link.
  while (
    r.status === 202 ||
    ((r.status === 200 || r.status === 201) && !r.body.paymentUrl && performance.now() - t0 < 60_000)
  ) {
    await new Promise((res) => setTimeout(res, POLL_MS));
    r = await call(host, tok, 'GET', `/api/bookings/${id}`);
    if (r.body.status === 'failed')
      return { ...out, lastStatus: `failed:${String(r.body.failure?.code ?? r.body.code ?? '')}` };
    if (r.body.paymentUrl) break;
  }
  if (!r.body.paymentUrl) return { ...out, lastStatus: `${r.status}:${String(r.body.status ?? r.body.code)}` };
  // The buyer clicks Pay at once: follow the booking's payment link (303 to the provider's page once
  // the session exists; it waits for the session) and submit the checkout form.
  const tLink = performance.now();
  const link = await fetch(r.body.paymentUrl as string, { redirect: 'manual' });
  await link.arrayBuffer();
  if (link.status !== 303) return { ...out, lastStatus: `checkout-${link.status}` };
  out.checkoutReadyMs = performance.now() - tLink;
  const page = new URL(link.headers.get('location')!, r.body.paymentUrl as string).toString();
  const paidAt = Date.now();
  const tPayStart = performance.now();
  const pay = await fetch(page, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'action=pay',
  });
  await pay.arrayBuffer();
  const tPay = performance.now();
  for (;;) {
    await new Promise((res) => setTimeout(res, POLL_MS));
    const b = await call(host, tok, 'GET', `/api/bookings/${id}`);
    if (b.body.status === 'confirmed') {
      // From the server's own stamps, so the client's polling interval does not count.
      const at = (s: string) =>
        Date.parse((b.body.history as { status: string; at: string }[]).find((h) => h.status === s)!.at);
      out.holdMs = at('held') - at('pending');
      out.sessionMs = at('paying') - at('held');
      out.webhookToConfirmMs = at('confirmed') - paidAt;
      out.confirmMs = at('confirmed') - (paidAt + (tPay - tPayStart));
      out.confirmedAt = at('confirmed');
      return out;
    }
    out.lastStatus = String(b.body.status);
    if (performance.now() - tPay > 60_000) return out;
  }
}

/** Every user at once, two adjacent seats each of a 200-seat show: no contention between users, only load. */
function runRound(host: SpawnedHost, tokens: string[], showId: string): Promise<One[]> {
  return Promise.all(
    tokens.map((t, i) => {
      const row = 'ABCDEFGHIJ'[Math.floor(i / 10) % 10]!;
      const n = (i % 10) * 2 + 1;
      return oneUser(host, t, showId, [`${row}${n}`, `${row}${n + 1}`]);
    }),
  );
}

/** CPU time so far of the host and of its emulator children (Azurite, the Cosmos server). */
function cpuSnapshot(host: SpawnedHost): Record<string, number> {
  const out: Record<string, number> = { host: cpuMs(host.child.pid!) ?? 0 };
  for (const c of childrenOf(host.child.pid!)) {
    const name = /azurite/.test(c.cmd) ? 'azurite' : /cosmos/.test(c.cmd) ? 'cosmos' : 'other';
    out[name] = (out[name] ?? 0) + (cpuMs(c.pid) ?? 0);
  }
  return out;
}

interface StepTimes {
  [step: string]: number;
}

/**
 * One booking's saga as a timeline, from the Durable history: for each activity, the wait from the
 * previous completion to its scheduling (queueing + replay of the episode) and from scheduling to
 * its completion (commit, dispatch, the activity itself). Names are the activity names.
 */
async function timeline(host: SpawnedHost, id: string): Promise<StepTimes> {
  const r = await call(
    host,
    undefined,
    'GET',
    `/runtime/webhooks/durabletask/instances/${encodeURIComponent(id)}?showHistory=true`,
    undefined,
    { 'x-functions-key': host.masterKey },
  );
  const events = (r.body.historyEvents ?? []) as {
    EventType: string;
    FunctionName?: string;
    ScheduledTime?: string;
    Timestamp: string;
  }[];
  const out: StepTimes = {};
  let last: number | undefined;
  for (const e of events) {
    if (e.EventType === 'EventRaised' || e.EventType === 'ExecutionStarted') last = Date.parse(e.Timestamp);
    if (e.EventType !== 'TaskCompleted' || !e.ScheduledTime) continue;
    const scheduled = Date.parse(e.ScheduledTime);
    const done = Date.parse(e.Timestamp);
    const name = e.FunctionName!.replace(/^booking/, '');
    if (last !== undefined) out[`→${name}`] = (out[`→${name}`] ?? 0) + (scheduled - last);
    out[name] = (out[name] ?? 0) + (done - scheduled);
    last = done;
  }
  return out;
}

function medianSteps(all: StepTimes[]): StepTimes {
  const keys = [...new Set(all.flatMap((t) => Object.keys(t)))];
  return Object.fromEntries(
    keys.map((k) => [
      k,
      pct(
        all.map((t) => t[k]).filter((v): v is number => v !== undefined),
        50,
      ),
    ]),
  );
}

export async function run() {
  const { host } = await spawnDemoHost({
    HOLD_TTL_SECONDS: '120',
    ...(TRACE
      ? {
          NODE_OPTIONS:
            `${process.env.NODE_OPTIONS ?? ''} --require ${join(repoRoot, 'dist/bench/support/trace-requests.js')}`.trim(),
          MARQUEE_TRACE_FILE: TRACE_FILE,
          MARQUEE_CPU_PROFILE: process.env.BENCH_BOOKING_PROFILE,
        }
      : {}),
  });
  try {
    const op = await token(host, 'bench-op', ['operator']);
    const shows = await setup(host, op);
    const tokens = await Promise.all(
      Array.from({ length: USERS }, (_, i) => token(host, `bench-user-${i}`, ['customer'])),
    );
    const warmup: One[][] = [];
    for (const showId of shows.splice(0, WARMUP)) warmup.push(await runRound(host, tokens, showId));
    const all: One[] = [];
    if (TRACE) host.child.kill('SIGUSR2'); // start counting here: setup is not the booking's cost
    const cpu0 = cpuSnapshot(host);
    const started = performance.now();
    // Busy time: from a round's first POST to its last `confirmed` stamp (server clock), so the
    // users' polling interval does not stretch the throughput figure.
    let busyMs = 0;
    for (const showId of shows) {
      const roundStart = Date.now();
      const round = await runRound(host, tokens, showId);
      busyMs += Math.max(0, ...round.map((o) => (o.confirmedAt ?? roundStart) - roundStart));
      all.push(...round);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu1 = cpuSnapshot(host);
    const confirmed = all.filter((o) => o.confirmMs !== undefined);
    let requestsPerBooking: Record<string, number> | undefined;
    if (TRACE) {
      rmSync(TRACE_FILE, { force: true });
      host.child.kill('SIGUSR2');
      for (let i = 0; i < 50 && !existsSync(TRACE_FILE); i++) await new Promise((r) => setTimeout(r, 100));
      const counts = JSON.parse(readFileSync(TRACE_FILE, 'utf8')) as Record<string, number>;
      requestsPerBooking = Object.fromEntries(
        Object.entries(counts).map(([k, v]) => [k, Math.round((v / all.length) * 10) / 10]),
      );
      requestsPerBooking.total = Math.round((Object.values(counts).reduce((a, b) => a + b, 0) / all.length) * 10) / 10;
      if (process.env.BENCH_BOOKING_PROFILE) await new Promise((r) => setTimeout(r, 1000)); // the profile is written asynchronously
    }
    const steps = medianSteps(
      await Promise.all(
        all
          .filter((o) => o.id && o.confirmMs !== undefined)
          .slice(0, 50)
          .map((o) => timeline(host, o.id!)),
      ),
    );
    const post = all.map((o) => o.postMs);
    const conf = confirmed.map((o) => o.confirmMs!);
    const result = {
      users: USERS,
      rounds: ROUNDS,
      warmupRounds: WARMUP,
      warmupPostP99MsByRound: warmup
        .map((r) =>
          pct(
            r.map((o) => o.postMs),
            99,
          ),
        )
        .join(' / '),
      warmupPayToConfirmedP99MsByRound: warmup
        .map((r) =>
          pct(
            r.filter((o) => o.confirmMs !== undefined).map((o) => o.confirmMs!),
            99,
          ),
        )
        .join(' / '),
      postP99MsByRound: Array.from({ length: ROUNDS }, (_, i) =>
        pct(
          all.slice(i * USERS, (i + 1) * USERS).map((o) => o.postMs),
          99,
        ),
      ).join(' / '),
      bookings: all.length,
      confirmed: confirmed.length,
      post201: all.filter((o) => o.postStatus === 201).length,
      post202: all.filter((o) => o.postStatus === 202).length,
      notConfirmed: Object.fromEntries(
        [
          ...new Set(all.filter((o) => o.confirmMs === undefined).map((o) => o.lastStatus ?? `post-${o.postStatus}`)),
        ].map((k) => [
          k,
          all.filter((o) => o.confirmMs === undefined && (o.lastStatus ?? `post-${o.postStatus}`) === k).length,
        ]),
      ),
      confirmedPerSec: Math.round((confirmed.length / (busyMs / 1000)) * 10) / 10,
      postP50Ms: pct(post, 50),
      postP99Ms: pct(post, 99),
      // POST answer → the payment link's 303 when the buyer clicks at once (the session's creation).
      checkoutReadyP50Ms: pct(
        confirmed.map((o) => o.checkoutReadyMs!),
        50,
      ),
      checkoutReadyP99Ms: pct(
        confirmed.map((o) => o.checkoutReadyMs!),
        99,
      ),
      payToConfirmedP50Ms: pct(conf, 50), // pay answer → saga stamped confirmed (server clock)
      payToConfirmedP99Ms: pct(conf, 99),
      breakdownP50Ms: {
        requestedToHeld: pct(
          confirmed.map((o) => o.holdMs!),
          50,
        ),
        heldToPaymentSession: pct(
          confirmed.map((o) => o.sessionMs!),
          50,
        ),
        payClickToConfirmed: pct(
          confirmed.map((o) => o.webhookToConfirmMs!),
          50,
        ),
      },
      cpuMsPerBooking: Object.fromEntries(
        Object.keys(cpu1).map((k) => [k, Math.round((cpu1[k]! - (cpu0[k] ?? 0)) / all.length)]),
      ),
      cpuBusyShare:
        Math.round(
          ((Object.values(cpu1).reduce((a, b) => a + b, 0) - Object.values(cpu0).reduce((a, b) => a + b, 0)) /
            1000 /
            seconds) *
            100,
        ) / 100,
      sagaStepsP50Ms: steps,
      ...(requestsPerBooking ? { requestsPerBooking } : {}),
      pass: {} as Record<string, boolean>,
    };
    result.pass = {
      postP99Under500Ms: result.postP99Ms < 500,
      confirmP99Under1s: result.payToConfirmedP99Ms < 1000,
      allConfirmed: confirmed.length === all.length,
    };
    return result;
  } finally {
    await host.stop();
  }
}

if (require.main === module) {
  void run().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
