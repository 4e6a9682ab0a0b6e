// Booking under load on the running stack (its own local host, Azurite and Cosmos server): rounds
// of 50 concurrent users, all at the same instant, each POST /api/bookings for two seats of one
// show, follow the booking's payment link to the simulator's checkout at once and pay (JSON form
// post), then read the booking every second until `confirmed`. Reports bookings confirmed/s, p50/p99 of
// POST /api/bookings (target p99 < 500 ms) and of payment → confirmed (webhook, saga, tickets,
// event; target p99 < 1 s), and where a booking's time goes, from the saga's own history stamps.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, type SpawnedHost } from '../test/support/spawn-host.js';
import { createBenchScreen, createBenchShow, type OperatorPost } from './support/bench-catalog.js';
import { childrenOf, cpuMs } from './support/proc.js';
import { spawnDemoHost, standaloneHostEnv } from './support/standalone.js';

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
  const post: OperatorPost = async (path, body) => {
    const r = await call(host, op, 'POST', path, body);
    if (r.status !== 201) throw new Error(`POST ${path} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  };
  const screen = await createBenchScreen(post, 'Bench');
  const shows: string[] = [];
  // One show per round, and one more for the hot-show phase.
  for (let i = 0; i < ROUNDS + WARMUP + 1; i++) shows.push(await createBenchShow(post, screen, 48 + i * 4));
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

/** BENCH_BOOKING_HOT_USERS (default 200, 0 = off): users racing for the seats of one show at once. */
const HOT_USERS = Number(process.env.BENCH_BOOKING_HOT_USERS ?? 200);

/**
 * The hot show: every user at the same instant asks for two adjacent seats picked at random among the
 * show's 200 (so about half of them collide), once. Reports holds/s (201s over the burst's duration),
 * the POST p50/p99, the 409s, and seats held by two bookings at once (must be 0, read from the 201s).
 */
async function hotShow(side: Side) {
  const showId = side.shows[side.shows.length - 1]!;
  const tokens = await Promise.all(
    Array.from({ length: HOT_USERS }, (_, i) => token(side.host, `bench-hot-${i}`, ['customer'])),
  );
  const cpu0 = cpuSnapshot(side.host);
  const started = performance.now();
  const results = await Promise.all(
    tokens.map(async (tok) => {
      const row = 'ABCDEFGHIJ'[Math.floor(Math.random() * 10)]!;
      const n = 1 + Math.floor(Math.random() * 19);
      const t0 = performance.now();
      const r = await call(
        side.host,
        tok,
        'POST',
        '/api/bookings',
        { showId, seatIds: [`${row}${n}`, `${row}${n + 1}`] },
        { 'idempotency-key': randomUUID() },
      );
      return { ms: performance.now() - t0, status: r.status, seats: (r.body.seatIds ?? []) as string[] };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu1 = cpuSnapshot(side.host);
  const holds = results.filter((r) => r.status === 201);
  const owners = new Map<string, number>();
  for (const h of holds) for (const seat of h.seats) owners.set(seat, (owners.get(seat) ?? 0) + 1);
  return {
    users: HOT_USERS,
    holds: holds.length,
    conflicts409: results.filter((r) => r.status === 409).length,
    stillWorking202: results.filter((r) => r.status === 202).length,
    other: results.filter((r) => ![201, 202, 409].includes(r.status)).length,
    holdsPerSec: Math.round((holds.length / seconds) * 10) / 10,
    postP50Ms: pct(
      results.map((r) => r.ms),
      50,
    ),
    postP99Ms: pct(
      results.map((r) => r.ms),
      99,
    ),
    seatsHeldTwice: [...owners.values()].filter((n) => n > 1).length,
    cpuHostMsPerRequest: Math.round(((cpu1.host ?? 0) - (cpu0.host ?? 0)) / HOT_USERS),
    load: loadAvg(),
  };
}

/** One host under test: the code of this checkout, or (A/B) the compiled code of another folder. */
interface Side {
  label: string;
  host: SpawnedHost;
  shows: string[];
  tokens: string[];
  rounds: RoundResult[];
  all: One[];
  appLoadMs?: number;
}

interface RoundResult {
  round: number;
  postP50Ms: number;
  postP99Ms: number;
  payToConfirmedP99Ms: number;
  confirmed: number;
  confirmedPerSec: number;
  /** CPU ms per booking of this round: the host, Azurite, the Cosmos server. */
  cpuHost: number;
  cpuAzurite: number;
  cpuCosmos: number;
  load: string;
}

const loadAvg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** One round on one side, with that side's CPU over just this round (the other side idles meanwhile). */
async function measuredRound(side: Side, index: number): Promise<RoundResult> {
  const showId = side.shows[index]!;
  const cpu0 = cpuSnapshot(side.host);
  const roundStart = Date.now();
  const round = await runRound(side.host, side.tokens, showId);
  const cpu1 = cpuSnapshot(side.host);
  side.all.push(...round);
  const busyMs = Math.max(1, ...round.map((o) => (o.confirmedAt ?? roundStart) - roundStart));
  const confirmed = round.filter((o) => o.confirmMs !== undefined);
  const per = (k: string) => Math.round(((cpu1[k] ?? 0) - (cpu0[k] ?? 0)) / round.length);
  const r: RoundResult = {
    round: index + 1,
    postP50Ms: pct(
      round.map((o) => o.postMs),
      50,
    ),
    postP99Ms: pct(
      round.map((o) => o.postMs),
      99,
    ),
    payToConfirmedP99Ms: pct(
      confirmed.map((o) => o.confirmMs!),
      99,
    ),
    confirmed: confirmed.length,
    confirmedPerSec: Math.round((confirmed.length / (busyMs / 1000)) * 10) / 10,
    cpuHost: per('host'),
    cpuAzurite: per('azurite'),
    cpuCosmos: per('cosmos'),
    load: loadAvg(),
  };
  side.rounds.push(r);
  process.stderr.write(`[booking ${side.label}] ${JSON.stringify(r)}\n`);
  return r;
}

/**
 * Time to import the compiled app's entry files (package.json `main`) in a fresh Node process: the
 * part of a real Functions cold start that is ours (the worker imports the same files before the
 * first invocation). Module-level work and eager SDK clients show up here.
 */
function appLoadMs(root: string): number | undefined {
  const script = `
    const { resolveEntries } = require(${JSON.stringify(join(root, 'dist/local/core/app-loader.js'))});
    const files = resolveEntries(${JSON.stringify(root)}).filter((f) => f.endsWith('.js'));
    const t0 = process.hrtime.bigint();
    for (const f of files) require(f);
    process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`;
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: root,
    env: { ...standaloneHostEnv(), COSMOS_DATABASE: 'loadtime' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ms = Number(r.stdout.trim().split('\n').pop());
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

async function startSide(label: string, root: string | undefined, env: Record<string, string | undefined>) {
  const loadMs = appLoadMs(root ?? repoRoot);
  const { host } = await spawnDemoHost({ HOLD_TTL_SECONDS: '120', ...env }, 180_000, root);
  const op = await token(host, 'bench-op', ['operator']);
  const shows = await setup(host, op);
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) => token(host, `bench-user-${i}`, ['customer'])),
  );
  const side: Side = { label, host, shows, tokens, rounds: [], all: [], appLoadMs: loadMs };
  return side;
}

/** The figures of one side over its measured rounds (after the warm-up rounds). */
function summary(side: Side) {
  const measured = side.rounds.slice(WARMUP);
  const all = side.all.slice(WARMUP * USERS);
  const confirmed = all.filter((o) => o.confirmMs !== undefined);
  const mean = (k: 'cpuHost' | 'cpuAzurite' | 'cpuCosmos') =>
    Math.round(measured.reduce((a, r) => a + r[k], 0) / Math.max(1, measured.length));
  return {
    appLoadMs: side.appLoadMs,
    firstRoundPostP99Ms: side.rounds[0]?.postP99Ms,
    postP99MsByRound: side.rounds.map((r) => r.postP99Ms).join(' / '),
    payToConfirmedP99MsByRound: side.rounds.map((r) => r.payToConfirmedP99Ms).join(' / '),
    cpuHostMsPerBookingByRound: side.rounds.map((r) => r.cpuHost).join(' / '),
    postP50Ms: pct(
      all.map((o) => o.postMs),
      50,
    ),
    postP99Ms: pct(
      all.map((o) => o.postMs),
      99,
    ),
    payToConfirmedP99Ms: pct(
      confirmed.map((o) => o.confirmMs!),
      99,
    ),
    confirmedPerSec:
      Math.round((measured.reduce((a, r) => a + r.confirmedPerSec, 0) / Math.max(1, measured.length)) * 10) / 10,
    cpuMsPerBooking: { host: mean('cpuHost'), azurite: mean('cpuAzurite'), cosmos: mean('cpuCosmos') },
    // A booking that never confirmed (the user gave up on a slow checkout) costs less: per confirmed one too.
    cpuHostMsPerConfirmed: Math.round(
      measured.reduce((a, r) => a + r.cpuHost * USERS, 0) /
        Math.max(1, all.filter((o) => o.confirmMs !== undefined).length),
    ),
    bookings: all.length,
    confirmed: confirmed.length,
  };
}

/**
 * BENCH_BOOKING_AB=<folder of another checkout, built>: that checkout's host and this one's run
 * side by side in one run, alternating rounds (base round 1, new round 1, base round 2, ...), so
 * both see the same machine load. Every round is reported, the first after start included.
 */
async function runAb(baseRoot: string) {
  if (!existsSync(join(baseRoot, 'dist/local/main.js')))
    throw new Error(`BENCH_BOOKING_AB: ${baseRoot} has no dist/local/main.js (run npm run build:server there)`);
  const base = await startSide('base', baseRoot, {});
  let head: Side | undefined;
  try {
    head = await startSide('new', undefined, {});
    for (let i = 0; i < ROUNDS + WARMUP; i++) {
      await measuredRound(base, i);
      await measuredRound(head, i);
    }
    const hot = HOT_USERS > 0 ? { base: await hotShow(base), new: await hotShow(head) } : undefined;
    const a = summary(base);
    const b = summary(head);
    return {
      users: USERS,
      rounds: ROUNDS + WARMUP,
      countedFromRound: WARMUP + 1,
      load: loadAvg(),
      base: a,
      new: b,
      byRound: Object.fromEntries(
        base.rounds.map((r, i) => [
          `round${r.round}`,
          {
            base: `post p50/p99 ${r.postP50Ms}/${r.postP99Ms}, pay→confirmed p99 ${r.payToConfirmedP99Ms}, ${r.confirmedPerSec}/s, cpu host/azurite/cosmos ${r.cpuHost}/${r.cpuAzurite}/${r.cpuCosmos} ms, load ${r.load}`,
            new: (() => {
              const n = head!.rounds[i]!;
              return `post p50/p99 ${n.postP50Ms}/${n.postP99Ms}, pay→confirmed p99 ${n.payToConfirmedP99Ms}, ${n.confirmedPerSec}/s, cpu host/azurite/cosmos ${n.cpuHost}/${n.cpuAzurite}/${n.cpuCosmos} ms, load ${n.load}`;
            })(),
          },
        ]),
      ),
      ...(hot ? { hotShow: hot } : {}),
      hostCpuNewOverBase: Math.round((b.cpuMsPerBooking.host / Math.max(1, a.cpuMsPerBooking.host)) * 100) / 100,
      pass: {
        newPostP99Under500MsEveryRound: head.rounds.every((r) => r.postP99Ms < 500),
        newPayToConfirmedP99Under800Ms: b.payToConfirmedP99Ms < 800,
        newHostCpuAtMostHalfOfBase: b.cpuMsPerBooking.host * 2 <= a.cpuMsPerBooking.host,
        allConfirmed: a.confirmed === a.bookings && b.confirmed === b.bookings,
        ...(hot ? { hotShowNoSeatHeldTwice: hot.base.seatsHeldTwice === 0 && hot.new.seatsHeldTwice === 0 } : {}),
      },
    };
  } finally {
    await Promise.all([base.host.stop(), head?.host.stop()]);
  }
}

export async function run() {
  if (process.env.BENCH_BOOKING_AB) return runAb(process.env.BENCH_BOOKING_AB);
  const side = await startSide(
    'this',
    undefined,
    TRACE
      ? {
          NODE_OPTIONS:
            `${process.env.NODE_OPTIONS ?? ''} --require ${join(repoRoot, 'dist/bench/support/trace-requests.js')}`.trim(),
          MARQUEE_TRACE_FILE: TRACE_FILE,
          MARQUEE_CPU_PROFILE: process.env.BENCH_BOOKING_PROFILE,
        }
      : {},
  );
  const host = side.host;
  try {
    for (let i = 0; i < WARMUP; i++) await measuredRound(side, i);
    if (TRACE) host.child.kill('SIGUSR2'); // start counting here: setup is not the booking's cost
    for (let i = WARMUP; i < WARMUP + ROUNDS; i++) await measuredRound(side, i);
    const all = side.all.slice(WARMUP * USERS);
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
    const hot = HOT_USERS > 0 ? await hotShow(side) : undefined;
    const s = summary(side);
    const conf = confirmed.map((o) => o.confirmMs!);
    const result = {
      users: USERS,
      rounds: ROUNDS,
      warmupRounds: WARMUP,
      load: loadAvg(),
      appLoadMs: s.appLoadMs,
      // Every round, the first after the host started included (the warm-up rounds are not in the totals).
      postP99MsByRound: s.postP99MsByRound,
      payToConfirmedP99MsByRound: s.payToConfirmedP99MsByRound,
      cpuHostMsPerBookingByRound: s.cpuHostMsPerBookingByRound,
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
      confirmedPerSec: s.confirmedPerSec,
      postP50Ms: s.postP50Ms,
      postP99Ms: s.postP99Ms,
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
      cpuMsPerBooking: s.cpuMsPerBooking,
      sagaStepsP50Ms: steps,
      ...(requestsPerBooking ? { requestsPerBooking } : {}),
      ...(hot ? { hotShow: hot } : {}),
      pass: {} as Record<string, boolean>,
    };
    result.pass = {
      postP99Under500MsEveryRound: side.rounds.every((r) => r.postP99Ms < 500),
      confirmP99Under800Ms: result.payToConfirmedP99Ms < 800,
      allConfirmed: confirmed.length === all.length,
      ...(hot ? { hotShowNoSeatHeldTwice: hot.seatsHeldTwice === 0 } : {}),
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
