// Rate limits off vs on, side by side in one run, two ways:
// - hosts: fresh hosts alike but for RATE_LIMIT_ENABLED (by default two per side), loaded in
//   interleaved rounds (A B B A A B B A …, so a drift in the machine's other load falls on both sides
//   alike), each round's server CPU read from /proc. Two processes of the same build differ by up to
//   ±10 % in CPU per request on this kind of machine (heap layout, JIT decisions, which core), so
//   each host's own figure is printed: the spread within a side is the noise a difference between
//   the sides must be read against.
// - toggle: one host whose limits are switched off and on between rounds (a route of the bench
//   fixture, test/fixtures/basic-bench.ts), so the process-to-process noise is not in the figure.
// The figure is the difference in the server's CPU per request: what the edge's rate limits
// (shared/http/rate-limit.ts) add to a request, and that as a share of the request's cost without
// them (docs/architecture.md, Security: the bar is ≤ 5 %).
// BENCH_LIMITS_AB=0 (or BENCH_RATE_LIMIT=0) leaves the comparison out; BENCH_AB_ROUNDS and BENCH_AB_SECONDS size it.
import { cpuMs } from './proc.js';

// autocannon ships no types; the fields read here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (o: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<{
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}>;

export interface AbSide {
  url: string;
  pid: number;
  headers?: Record<string, string>;
  /** The status every answer must have. */
  status: number;
}

export interface AbFigures {
  requests: number;
  reqPerSec: number;
  cpuUsPerRequest: number;
  /** Medians over the rounds. */
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
}

export interface AbResult {
  /** Separate hosts per side, or one host switched between rounds. */
  method: 'hosts' | 'toggle';
  /** Each host's CPU per request (µs), per side; one entry per side for the toggle. */
  perHost: { off: number[]; on: number[] };
  rounds: number;
  secondsPerRound: number;
  off: AbFigures;
  on: AbFigures;
  addedCpuUsPerRequest: number;
  addedCpuPercent: number;
  addedP50Ms: number;
  addedP99Ms: number;
}

/** Off with BENCH_LIMITS_AB=0, and when BENCH_RATE_LIMIT=0 turned the limits off everywhere. */
export const limitsAbEnabled = () => process.env.BENCH_LIMITS_AB !== '0' && process.env.BENCH_RATE_LIMIT !== '0';

const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 12);
const SECONDS_PER_ROUND = Number(process.env.BENCH_AB_SECONDS ?? 2);

/** Separate hosts per side (one or more each), every host loaded once per round, in alternating order. */
export async function limitsAb(off: AbSide | AbSide[], on: AbSide | AbSide[], connections: number): Promise<AbResult> {
  const sides = { off: [off].flat(), on: [on].flat() };
  const all = [
    ...sides.off.map((s) => ({ which: 'off' as const, s })),
    ...sides.on.map((s) => ({ which: 'on' as const, s })),
  ];
  // A host just started may still be busy (the demo catalog loads after it is ready): its work would
  // count as the cost of its requests. Wait until all are idle, then warm each (JIT, connection
  // pools, caches) before anything counts.
  await Promise.all(all.map(({ s }) => idle(s.pid)));
  for (const { s } of all) await round(s, connections, 1);
  const samples = new Map<AbSide, Round[]>(all.map(({ s }) => [s, []]));
  // Interleaved: off and on hosts alternate, and the order reverses every round.
  const order = interleave(sides.off, sides.on);
  for (let i = 0; i < ROUNDS; i++)
    for (const s of i % 2 === 0 ? order : [...order].reverse())
      samples.get(s)!.push(await round(s, connections, SECONDS_PER_ROUND));
  const perHost = {
    off: sides.off.map((s) => figures(samples.get(s)!).cpuUsPerRequest),
    on: sides.on.map((s) => figures(samples.get(s)!).cpuUsPerRequest),
  };
  return result(
    'hosts',
    perHost,
    figures(sides.off.flatMap((s) => samples.get(s)!)),
    figures(sides.on.flatMap((s) => samples.get(s)!)),
  );
}

/** One host, its limits switched off and on before each round (off on on off …). */
export async function limitsToggleAb(
  side: AbSide,
  setLimits: (on: boolean) => Promise<void>,
  connections: number,
): Promise<AbResult> {
  await idle(side.pid);
  for (const on of [false, true]) {
    await setLimits(on);
    await round(side, connections, 1);
  }
  const samples: Record<'off' | 'on', Round[]> = { off: [], on: [] };
  for (let i = 0; i < ROUNDS; i++)
    for (const which of i % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      await setLimits(which === 'on');
      samples[which].push(await round(side, connections, SECONDS_PER_ROUND));
    }
  const a = figures(samples.off);
  const b = figures(samples.on);
  return result('toggle', { off: [a.cpuUsPerRequest], on: [b.cpuUsPerRequest] }, a, b);
}

function interleave<T>(xs: T[], ys: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(xs.length, ys.length); i++)
    out.push(...[xs[i], ys[i]].filter((v): v is T => v !== undefined));
  return out;
}

function result(method: AbResult['method'], perHost: AbResult['perHost'], a: AbFigures, b: AbFigures): AbResult {
  const added = b.cpuUsPerRequest - a.cpuUsPerRequest;
  return {
    method,
    perHost,
    rounds: ROUNDS,
    secondsPerRound: SECONDS_PER_ROUND,
    off: a,
    on: b,
    addedCpuUsPerRequest: Math.round(added * 10) / 10,
    addedCpuPercent: Math.round((added / a.cpuUsPerRequest) * 1000) / 10,
    addedP50Ms: b.p50Ms - a.p50Ms,
    addedP99Ms: b.p99Ms - a.p99Ms,
  };
}

/** Resolves once the process used under a tenth of a core over a second (at most a minute). */
async function idle(pid: number): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 1000));
    const after = cpuMs(pid);
    if (before === undefined || after === undefined || after - before < 100) return;
  }
}

interface Round {
  requests: number;
  cpuMs: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
  seconds: number;
}

async function round(side: AbSide, connections: number, seconds: number): Promise<Round> {
  const before = cpuMs(side.pid);
  const r = await autocannon({ url: side.url, connections, duration: seconds, headers: side.headers });
  const after = cpuMs(side.pid);
  if (before === undefined || after === undefined) throw new Error('no /proc figures for the server (Linux only)');
  const all = Object.values(r.statusCodeStats ?? {}).reduce((n, s) => n + s.count, 0);
  const expected = r.statusCodeStats?.[String(side.status)]?.count ?? 0;
  return {
    requests: all,
    cpuMs: after - before,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    unexpected: all - expected + r.errors + r.timeouts,
    seconds,
  };
}

function figures(rounds: Round[]): AbFigures {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const cpu = rounds.reduce((n, r) => n + r.cpuMs, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  return {
    requests,
    reqPerSec: Math.round(requests / seconds),
    cpuUsPerRequest: Math.round(((cpu * 1000) / Math.max(1, requests)) * 10) / 10,
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    unexpected: rounds.reduce((n, r) => n + r.unexpected, 0),
  };
}

/** A bench's report lines. */
export function abLines(label: string, r: AbResult): string[] {
  const row = (name: string, f: AbFigures, hosts: number[]) =>
    `  ${name.padEnd(26)} ${String(f.reqPerSec).padStart(7)} req/s   p50 ${String(f.p50Ms).padStart(3)} ms   p99 ${String(f.p99Ms).padStart(3)} ms   server CPU ${f.cpuUsPerRequest} µs/req${hosts.length > 1 ? ` (per host ${hosts.join(' / ')})` : ''}   unexpected ${f.unexpected}`;
  const how =
    r.method === 'toggle'
      ? 'one host switched between rounds'
      : `${r.perHost.off.length} + ${r.perHost.on.length} fresh hosts`;
  return [
    `  ${label}: rate limits off vs on, ${how}, ${r.rounds} interleaved rounds of ${r.secondsPerRound} s each`,
    row('  limits off', r.off, r.perHost.off),
    row('  limits on', r.on, r.perHost.on),
    `    rate limits add ${r.addedCpuUsPerRequest} µs CPU per request (${r.addedCpuPercent} %; bar ≤ 5 %), p50 ${signed(r.addedP50Ms)} ms, p99 ${signed(r.addedP99Ms)} ms → ${r.addedCpuPercent <= 5 ? 'PASS' : 'FAIL'}`,
  ];
}

const signed = (n: number) => (n >= 0 ? `+${n}` : String(n));
