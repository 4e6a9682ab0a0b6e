// Queue joins and status polls of two builds side by side (docs/capacity.md, The waiting room):
// a host of BENCH_WR_AB_BASE (another checkout, built: e.g. main) and one of this checkout are up
// at once, and bursts of BENCH_WR_AB_BURST fresh users' joins, then as many status polls, alternate
// between them for BENCH_WR_AB_ROUNDS rounds (the order flipped every round), so both builds see the
// same machine load — on a shared machine a figure from a run minutes apart says more about the
// neighbours than about the code. Reports per build and burst: requests/s, p50/p99, and the CPU per
// request of the host, its Cosmos server and this load generator; the medians compare.
// Without BENCH_WR_AB_BASE it does nothing (it is part of `npm run bench`'s discovery).
import { loadavg } from 'node:os';
import { childrenOf, cpuMs } from './support/proc.js';
import { spawnDemoHost } from './support/standalone.js';
import { request } from './support/keepalive.js';
import { tokenFor } from '../test/support/tokens.js';
import type { SpawnedHost } from '../test/support/spawn-host.js';

const BASE = process.env.BENCH_WR_AB_BASE;
const BURST = Number(process.env.BENCH_WR_AB_BURST ?? 400);
const ROUNDS = Number(process.env.BENCH_WR_AB_ROUNDS ?? 6);
const CONCURRENCY = Number(process.env.BENCH_WR_AB_CONCURRENCY ?? 50);

interface Side {
  name: string;
  host: SpawnedHost;
  showId: string;
  tokens: string[];
  tickets: string[];
  bursts: { joins: Burst[]; polls: Burst[] };
}
interface Burst {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  hostCpuMs: number;
  cosmosCpuMs: number;
  benchCpuMs: number;
  load: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function pool(n: number, each: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
      while (next < n) await each(next++);
    }),
  );
}

async function side(name: string, root: string | undefined): Promise<Side> {
  const { host } = await spawnDemoHost({ WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: '100000000' }, 120_000, root);
  const origin = host.origin;
  const operator = await tokenFor(origin, { sub: 'bench-ops', roles: ['operator'] });
  const showId = (await request(origin, 'GET', '/api/shows?city=blr&limit=1')).body.items[0].id as string;
  const room = { opensAt: new Date(Date.now() + 3_600_000).toISOString(), admitPerMinute: 600, admissionMinutes: 10 };
  const put = await request(
    origin,
    'PUT',
    `/api/ops/shows/${showId}/waiting-room`,
    { authorization: `Bearer ${operator}` },
    room,
  );
  if (put.status !== 200) throw new Error(`${name}: could not switch the room on (${put.status})`);
  const tokens: string[] = [];
  await pool(BURST * ROUNDS, async (i) => void (tokens[i] = await tokenFor(origin, { sub: `bench-ab-${i}` })));
  return { name, host, showId, tokens, tickets: [], bursts: { joins: [], polls: [] } };
}

async function burst(s: Side, each: (i: number) => Promise<void>): Promise<Burst> {
  const pid = s.host.child.pid!;
  const cosmos = () =>
    childrenOf(pid)
      .filter((c) => /cosmos/i.test(c.cmd))
      .reduce((n, c) => n + (cpuMs(c.pid) ?? 0), 0);
  const host0 = cpuMs(pid) ?? 0;
  const cosmos0 = cosmos();
  const bench0 = process.cpuUsage();
  const started = performance.now();
  const latencies: number[] = [];
  await pool(BURST, async (i) => {
    const t0 = performance.now();
    await each(i);
    latencies.push(performance.now() - t0);
  });
  const seconds = (performance.now() - started) / 1000;
  const bench = process.cpuUsage(bench0);
  return {
    perSecond: Math.round(BURST / seconds),
    p50Ms: round2(pct(latencies, 50)),
    p99Ms: round2(pct(latencies, 99)),
    hostCpuMs: round2(((cpuMs(pid) ?? 0) - host0) / BURST),
    cosmosCpuMs: round2((cosmos() - cosmos0) / BURST),
    benchCpuMs: round2((bench.user + bench.system) / 1000 / BURST),
    load: round2(loadavg()[0]!),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  if (!BASE) return { skipped: 'set BENCH_WR_AB_BASE to a built checkout to compare with' };
  const sides = [await side('base', BASE), await side('this', undefined)];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? [...sides].reverse() : sides;
      for (const s of order)
        s.bursts.joins.push(
          await burst(s, async (i) => {
            const k = r * BURST + i;
            const res = await request(s.host.origin, 'POST', `/api/shows/${s.showId}/queue`, {
              authorization: `Bearer ${s.tokens[k]}`,
            });
            if (res.status !== 201) throw new Error(`${s.name}: join answered ${res.status}`);
            s.tickets[k] = res.body.ticket as string;
          }),
        );
      for (const s of order)
        s.bursts.polls.push(
          await burst(s, async (i) => {
            const k = r * BURST + i;
            const res = await request(s.host.origin, 'GET', `/api/queue/${s.tickets[k]}`, {
              authorization: `Bearer ${s.tokens[k]}`,
            });
            if (res.status !== 200) throw new Error(`${s.name}: status answered ${res.status}`);
          }),
        );
    }
    const summary = (bursts: Burst[]) => ({
      perSecond: bursts.map((b) => b.perSecond),
      medianPerSecond: median(bursts.map((b) => b.perSecond)),
      medianP50Ms: median(bursts.map((b) => b.p50Ms)),
      medianP99Ms: median(bursts.map((b) => b.p99Ms)),
      hostCpuMs: bursts.map((b) => b.hostCpuMs),
      medianHostCpuMs: median(bursts.map((b) => b.hostCpuMs)),
      medianCosmosCpuMs: median(bursts.map((b) => b.cosmosCpuMs)),
      medianBenchCpuMs: median(bursts.map((b) => b.benchCpuMs)),
      load: bursts.map((b) => b.load),
    });
    return {
      base: BASE,
      burst: BURST,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      ...Object.fromEntries(
        sides.map((s) => [s.name, { joins: summary(s.bursts.joins), polls: summary(s.bursts.polls) }]),
      ),
    };
  } finally {
    for (const s of sides) await s.host.stop();
  }
}
