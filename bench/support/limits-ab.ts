// Rate limits off vs on, side by side in one run: two hosts alike but for RATE_LIMIT_ENABLED, loaded
// in interleaved rounds (A B B A A B B A …, so a drift in the machine's other load falls on both
// sides alike), each round's server CPU read from /proc. The figure is the difference in the
// server's CPU per request: what the edge's rate limits (shared/http/rate-limit.ts) add to a
// request, and that as a share of the request's cost without them (the bar: ≤ 5 %).
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

export async function limitsAb(off: AbSide, on: AbSide, connections: number): Promise<AbResult> {
  // A host just started may still be busy (the demo catalog loads after it is ready): its work would
  // count as the cost of its requests. Wait until both are idle, then warm both (JIT, connection
  // pools, caches) before anything counts.
  await Promise.all([idle(off.pid), idle(on.pid)]);
  for (const side of [off, on]) await round(side, connections, 1);
  const samples: Record<'off' | 'on', Round[]> = { off: [], on: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const order: ('off' | 'on')[] = i % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
    for (const which of order)
      samples[which].push(await round(which === 'off' ? off : on, connections, SECONDS_PER_ROUND));
  }
  const a = figures(samples.off);
  const b = figures(samples.on);
  const added = b.cpuUsPerRequest - a.cpuUsPerRequest;
  return {
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

/** Two lines for a bench's report. */
export function abLines(label: string, r: AbResult): string[] {
  const row = (name: string, f: AbFigures) =>
    `  ${name.padEnd(26)} ${String(f.reqPerSec).padStart(7)} req/s   p50 ${String(f.p50Ms).padStart(3)} ms   p99 ${String(f.p99Ms).padStart(3)} ms   server CPU ${f.cpuUsPerRequest} µs/req   unexpected ${f.unexpected}`;
  return [
    `  ${label}: rate limits off vs on, two hosts, ${r.rounds} interleaved rounds of ${r.secondsPerRound} s each`,
    row('  limits off', r.off),
    row('  limits on', r.on),
    `    rate limits add ${r.addedCpuUsPerRequest} µs CPU per request (${r.addedCpuPercent} %; bar ≤ 5 %), p50 ${signed(r.addedP50Ms)} ms, p99 ${signed(r.addedP99Ms)} ms → ${r.addedCpuPercent <= 5 ? 'PASS' : 'FAIL'}`,
  ];
}

const signed = (n: number) => (n >= 0 ? `+${n}` : String(n));
