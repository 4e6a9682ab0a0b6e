// The waiting room under load on its own local host (docs/architecture.md, Waiting room; the Azure
// plan is docs/capacity.md). Two parts:
//
// 1. Queue scale: EARLY users join before opening and LATE after, CONCURRENCY at a time; then status
//    polls for POLL_SECONDS; then the admitter runs for ADMIT_SECONDS at RATE a minute. Reports
//    joins/s with p50/p99 (the target: ≥ 2,000/s at p99 < 100 ms), polls/s with p50/p99,
//    admitted per minute against the rate, and the memory of the host and of its Cosmos server with
//    everyone queued.
// 2. Sell-out (bench/support/sell-out.ts): one hot show sold without and then with the room, admitting
//    SELL_RATE a minute (a rate the show can carry): 409s per successful booking, buyers overtaken,
//    seats sold twice.
//
// Modes: short (the default, what `npm run bench` runs: 1,000 + 1,000 queued, 160 buyers for 80
// seats) and full (BENCH_WR_MODE=full, `npm run bench:waiting-room:full`: 25,000 + 25,000 queued,
// 600 buyers for 300 seats). BENCH_WR_EARLY / _LATE / _CONCURRENCY / _RATE / _POLL_SECONDS /
// _ADMIT_SECONDS / _BUYERS / _ROWS / _SELL_RATE / _SELL_TRIES override either; BENCH_WR_PARTS=queue or
// =sellout runs one part. BENCH_WR_TRACE_HOST=1 with MARQUEE_CPU_PROFILE and/or MARQUEE_TRACE_FILE set
// writes a CPU profile and the outgoing requests of each join phase (bench/support/trace-requests.ts),
// suffixed .early and .late. BENCH_WR_ROOT=<another checkout, built> runs that checkout's host and app
// under this load generator (before/after side by side).
import { existsSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { childrenOf, cpuMs, rssMiB } from './support/proc.js';
import { spawnDemoHost } from './support/standalone.js';
import { sellOut } from './support/sell-out.js';
import { request } from './support/keepalive.js';
import { tokenFor } from '../test/support/tokens.js';

const FULL = process.env.BENCH_WR_MODE === 'full';
const num = (name: string, short: number, full: number) =>
  Number(process.env[`BENCH_WR_${name}`] ?? (FULL ? full : short));
const EARLY = num('EARLY', 1000, 25_000);
const LATE = num('LATE', 1000, 25_000);
const CONCURRENCY = num('CONCURRENCY', 50, 100);
const RATE = num('RATE', 600, 600);
const POLL_SECONDS = num('POLL_SECONDS', 5, 10);
const ADMIT_SECONDS = num('ADMIT_SECONDS', 20, 60);
const BUYERS = num('BUYERS', 160, 600);
const ROWS = num('ROWS', 8, 30);
const SELL_RATE = num('SELL_RATE', 120, 120);
const SELL_TRIES = num('SELL_TRIES', 6, 6);
const PARTS = (process.env.BENCH_WR_PARTS ?? 'queue,sellout').split(',');
const TRACE = process.env.BENCH_WR_TRACE_HOST === '1';
/** Another checkout whose compiled host and app this bench runs against (an A/B with one load generator). */
const ROOT = process.env.BENCH_WR_ROOT || undefined;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

async function pool<T>(items: T[], concurrency: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await each(items[next++]!);
    }),
  );
}

/** Ends a traced phase: the host writes its files, which are kept under the phase's name. */
async function traced(pid: number, phase: string): Promise<void> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 1500));
  for (const file of [process.env.MARQUEE_CPU_PROFILE, process.env.MARQUEE_TRACE_FILE])
    if (file && existsSync(file)) renameSync(file, `${file}.${phase}`);
}

const load = () => loadavg().map((x) => Math.round(x * 10) / 10);

export async function run(): Promise<Json> {
  const { host } = await spawnDemoHost(
    {
      ...(TRACE
        ? {
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${resolve('dist/bench/support/trace-requests.js')}`,
          }
        : {}),
      WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: '100000000',
      WAITING_ROOM_SETTLE_MS: '500',
      HOLD_TTL_SECONDS: '900',
    },
    60_000,
    ROOT,
  );
  try {
    const out: Json = { mode: FULL ? 'full' : 'short', root: ROOT ?? '.', loadAverageAtStart: load() };
    if (PARTS.includes('queue')) out.queue = await queueScale(host.origin, host.child.pid!);
    if (PARTS.includes('sellout')) {
      const o = {
        origin: host.origin,
        buyers: BUYERS,
        rows: ROWS,
        sellRatePerMinute: SELL_RATE,
        maxTries: SELL_TRIES,
        arrivalGapMs: 5,
        pollMs: 2000,
      };
      out.sellOutWithoutRoom = await sellOut(o, false, 'off');
      out.sellOutWithRoom = await sellOut(o, true, 'on');
    }
    out.loadAverageAtEnd = load();
    return out;
  } catch (err) {
    // The host's last words say why (a 500's cause is in its log, not in the answer).
    process.stderr.write(`host output (last 6,000 characters):\n${host.output().slice(-6000)}\n`);
    throw err;
  } finally {
    await host.stop();
  }
}

async function queueScale(origin: string, pid: number): Promise<Json> {
  const call = (token: string, method: string, path: string, body?: unknown) =>
    request(origin, method, path, { authorization: `Bearer ${token}` }, body);
  const operator = await tokenFor(origin, { sub: 'bench-ops', roles: ['operator'] });
  const search = (await request(origin, 'GET', '/api/shows?city=blr&limit=1')).body;
  const showId = search.items[0].id as string;
  const configure = (opensAt: number) =>
    call(operator, 'PUT', `/api/ops/shows/${showId}/waiting-room`, {
      opensAt: new Date(opensAt).toISOString(),
      admitPerMinute: RATE,
      admissionMinutes: 10,
    });
  if ((await configure(Date.now() + 3_600_000)).status !== 200) throw new Error('could not switch the room on');
  const memory = () => ({
    hostRssMiB: rssMiB(pid),
    cosmosServerRssMiB: childrenOf(pid)
      .filter((c) => /cosmos/i.test(c.cmd))
      .reduce((n, c) => n + (rssMiB(c.pid) ?? 0), 0),
  });
  const before = memory();
  // CPU used by the host and by its Cosmos server over a phase: per request, the figure a loaded
  // machine does not distort (throughput and latency there are mostly the other sessions' load).
  const cosmosPids = () =>
    childrenOf(pid)
      .filter((c) => /cosmos/i.test(c.cmd))
      .map((c) => c.pid);
  // The load generator shares the machine's cores: its own CPU per request is reported apart.
  const cpu = () => {
    const own = process.cpuUsage();
    return {
      host: cpuMs(pid) ?? 0,
      cosmos: cosmosPids().reduce((n, p) => n + (cpuMs(p) ?? 0), 0),
      bench: (own.user + own.system) / 1000,
    };
  };
  const cpuPer = (from: { host: number; cosmos: number; bench: number }, count: number) => {
    const to = cpu();
    const per = (ms: number) => Math.round((ms / Math.max(1, count)) * 100) / 100;
    return {
      hostCpuMsEach: per(to.host - from.host),
      cosmosCpuMsEach: per(to.cosmos - from.cosmos),
      benchCpuMsEach: per(to.bench - from.bench),
    };
  };

  const users = Array.from({ length: EARLY + LATE }, (_, i) => `bench-wr-${i}`);
  const tokens = new Map<string, string>();
  await pool(users, CONCURRENCY, async (u) => void tokens.set(u, await tokenFor(origin, { sub: u })));
  const tickets = new Map<string, string>();
  /** When each join was sent and answered (the late group's FIFO check). */
  const sent = new Map<string, { start: number; end: number }>();
  let joined = 0;
  const join = async (group: string[], phase: string) => {
    let retried = 0;
    const latencies: number[] = [];
    // With the host started under bench/support/trace-requests.js (BENCH_WR_TRACE_HOST=1), SIGUSR2
    // at both ends of a join phase writes its outgoing requests and a CPU profile of just that phase.
    if (TRACE) process.kill(pid, 'SIGUSR2');
    const cpuFrom = cpu();
    const started = performance.now();
    await pool(group, CONCURRENCY, async (u) => {
      const t0 = performance.now();
      let r = await call(tokens.get(u)!, 'POST', `/api/shows/${showId}/queue`);
      // A busy store (503) or a limit (429) says when to come back, as a client would: counted, and
      // the wait is part of the join's latency.
      for (let tries = 1; (r.status === 503 || r.status === 429) && tries < 10; tries++) {
        retried++;
        await new Promise((res) => setTimeout(res, 1000));
        r = await call(tokens.get(u)!, 'POST', `/api/shows/${showId}/queue`);
      }
      const t1 = performance.now();
      sent.set(u, { start: t0, end: t1 });
      latencies.push(t1 - t0);
      // 200 after a retry: the busy answer came after the entry was written; the same ticket.
      if (r.status !== 201 && r.status !== 200) throw new Error(`join answered ${r.status}: ${JSON.stringify(r.body)}`);
      if (++joined % 5000 === 0)
        process.stdout.write(
          `  ${joined} joined, ${retried} retried, memory ${JSON.stringify(memory())}, load ${load()}\n`,
        );
      tickets.set(u, r.body.ticket as string);
    });
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = cpuPer(cpuFrom, group.length);
    if (TRACE) await traced(pid, phase);
    const perSecond = group.length / seconds;
    const p99Ms = pct(latencies, 99);
    return {
      perSecond,
      p50Ms: pct(latencies, 50),
      p99Ms,
      retried503: retried,
      meetsTarget: perSecond >= 2000 && p99Ms < 100,
      loadAverage: load(),
      ...cpuUsed,
    };
  };
  const early = await join(users.slice(0, EARLY), 'early');
  // Open now: the early group's places are drawn; the late group joins after.
  const opensAt = Date.now() + 1000;
  await configure(opensAt);
  while (Date.now() < opensAt) await new Promise((r) => setTimeout(r, 50));
  const late = await join(users.slice(EARLY), 'late');
  const queued = memory();

  // Everyone's place once (after the settle time): the early group's must be a random draw, the
  // late group's their arrival order.
  await new Promise((r) => setTimeout(r, 1500));
  const ranks = new Map<string, number>();
  await pool(users, CONCURRENCY, async (u) => {
    const r = await call(tokens.get(u)!, 'GET', `/api/queue/${tickets.get(u)}`);
    if (typeof r.body.rank === 'number') ranks.set(u, r.body.rank as number);
  });
  const order = orderCheck(users.slice(0, EARLY), users.slice(EARLY), ranks, sent);

  // Status polls (the place): every user in turn, CONCURRENCY at a time, for POLL_SECONDS.
  const pollLatencies: number[] = [];
  const pollCpu = cpu();
  const pollUntil = Date.now() + POLL_SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < pollUntil) {
        const u = users[i++ % users.length]!;
        const t0 = performance.now();
        const r = await call(tokens.get(u)!, 'GET', `/api/queue/${tickets.get(u)}`);
        if (r.status !== 200) throw new Error(`status answered ${r.status}`);
        pollLatencies.push(performance.now() - t0);
      }
    }),
  );

  // Admission accuracy: the admitted count over ADMIT_SECONDS.
  const stats = async () => (await call(operator, 'GET', `/api/ops/shows/${showId}/waiting-room`)).body;
  const start = await stats();
  const startedAt = Date.now();
  await new Promise((r) => setTimeout(r, ADMIT_SECONDS * 1000));
  const end = await stats();
  const perMinute = ((end.admitted - start.admitted) * 60_000) / (Date.now() - startedAt);
  return {
    users: { early: EARLY, late: LATE, concurrency: CONCURRENCY },
    joinsEarly: early,
    joinsLate: late,
    order,
    polls: {
      perSecond: pollLatencies.length / POLL_SECONDS,
      p50Ms: pct(pollLatencies, 50),
      p99Ms: pct(pollLatencies, 99),
      ...cpuPer(pollCpu, pollLatencies.length),
    },
    admission: {
      ratePerMinute: RATE,
      measuredPerMinute: perMinute,
      errorPct: (100 * (perMinute - RATE)) / RATE,
      admittedLastMinute: end.admittedLastMinute,
      overRate: end.admittedLastMinute > RATE,
    },
    memoryBeforeQueue: before,
    memoryWithAllQueued: queued,
    loadAverage: load(),
  };
}

/**
 * The early group's places against the order their joins were answered in (Spearman's rho; a
 * random draw keeps |rho| under 4/sqrt(n−1)), and the late group's FIFO: a late joiner answered
 * before another was sent must be ahead of them (joins in flight together may land either way; a
 * tie in the same millisecond is broken by lot).
 */
function orderCheck(
  early: string[],
  late: string[],
  ranks: Map<string, number>,
  sent: Map<string, { start: number; end: number }>,
): Json {
  const e = early.filter((u) => ranks.has(u)).sort((a, b) => sent.get(a)!.end - sent.get(b)!.end);
  const byRank = [...e].sort((a, b) => ranks.get(a)! - ranks.get(b)!);
  const place = new Map(byRank.map((u, i) => [u, i]));
  const n = e.length;
  const d2 = e.reduce((sum, u, i) => sum + (i - place.get(u)!) ** 2, 0);
  const rho = n > 1 ? 1 - (6 * d2) / (n * (n * n - 1)) : 0;
  const l = late.filter((u) => ranks.has(u));
  const byEnd = [...l].sort((a, b) => sent.get(a)!.end - sent.get(b)!.end);
  const byStart = [...l].sort((a, b) => sent.get(a)!.start - sent.get(b)!.start);
  let k = 0;
  let maxRank = -1;
  let overtaken = 0;
  for (const u of byStart) {
    while (k < byEnd.length && sent.get(byEnd[k]!)!.end < sent.get(u)!.start)
      maxRank = Math.max(maxRank, ranks.get(byEnd[k++]!)!);
    if (maxRank > ranks.get(u)!) overtaken++;
  }
  const earlyMax = Math.max(0, ...e.map((u) => ranks.get(u)!));
  const lateMin = Math.min(Infinity, ...l.map((u) => ranks.get(u)!));
  return {
    earlyRanked: n,
    earlySpearmanRho: rho,
    earlyLooksRandom: n > 1 && Math.abs(rho) < 4 / Math.sqrt(n - 1),
    lateRanked: l.length,
    lateBehindEveryEarly: lateMin > earlyMax,
    lateAnsweredBeforeAnotherWasSentButBehindIt: overtaken,
  };
}
