// The waiting room under load on its own local host (docs/architecture.md, Waiting room; the Azure
// plan is docs/capacity.md): EARLY users join before opening and LATE after, CONCURRENCY at a time;
// then status polls for POLL_SECONDS; then the admitter runs for ADMIT_SECONDS at RATE a minute.
// Reports joins/s with p50/p99, polls/s with p50/p99, admitted per minute against the rate, and the
// host's memory with everyone queued. BENCH_WR_EARLY / _LATE / _CONCURRENCY / _RATE / _POLL_SECONDS /
// _ADMIT_SECONDS override the defaults (the figures: 5,000 + 5,000; 50,000 for memory).
import { rssMiB } from './support/proc.js';
import { spawnDemoHost } from './support/standalone.js';
import { tokenFor } from '../test/support/tokens.js';

const EARLY = Number(process.env.BENCH_WR_EARLY ?? 5000);
const LATE = Number(process.env.BENCH_WR_LATE ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_WR_CONCURRENCY ?? 50);
const RATE = Number(process.env.BENCH_WR_RATE ?? 600);
const POLL_SECONDS = Number(process.env.BENCH_WR_POLL_SECONDS ?? 10);
const ADMIT_SECONDS = Number(process.env.BENCH_WR_ADMIT_SECONDS ?? 60);

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

export async function run(): Promise<Json> {
  const { host } = await spawnDemoHost({
    WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: '100000000',
    WAITING_ROOM_SETTLE_MS: '500',
  });
  try {
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(host.origin + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const operator = await tokenFor(host.origin, { sub: 'bench-ops', roles: ['operator'] });
    const search = await fetch(`${host.origin}/api/shows?city=blr&limit=1`).then((r) => r.json() as Promise<Json>);
    const showId = search.items[0].id as string;
    const configure = (opensAt: number) =>
      call(operator, 'PUT', `/api/ops/shows/${showId}/waiting-room`, {
        opensAt: new Date(opensAt).toISOString(),
        admitPerMinute: RATE,
        admissionMinutes: 10,
      });
    if ((await configure(Date.now() + 3_600_000)).status !== 200) throw new Error('could not switch the room on');

    const users = Array.from({ length: EARLY + LATE }, (_, i) => `bench-wr-${i}`);
    const tokens = new Map<string, string>();
    await pool(users, CONCURRENCY, async (u) => void tokens.set(u, await tokenFor(host.origin, { sub: u })));
    const tickets = new Map<string, string>();
    const join = async (group: string[]) => {
      const latencies: number[] = [];
      const started = performance.now();
      await pool(group, CONCURRENCY, async (u) => {
        const t0 = performance.now();
        const r = await call(tokens.get(u)!, 'POST', `/api/shows/${showId}/queue`);
        latencies.push(performance.now() - t0);
        if (r.status !== 201) throw new Error(`join answered ${r.status}: ${JSON.stringify(r.body)}`);
        tickets.set(u, r.body.ticket as string);
      });
      const seconds = (performance.now() - started) / 1000;
      return { perSecond: group.length / seconds, p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99) };
    };
    const early = await join(users.slice(0, EARLY));
    // Open now: the early group's places are drawn; the late group joins after.
    const opensAt = Date.now() + 1000;
    await configure(opensAt);
    while (Date.now() < opensAt) await new Promise((r) => setTimeout(r, 50));
    const late = await join(users.slice(EARLY));
    const memoryMiB = rssMiB(host.child.pid!);

    // Status polls: every user in turn, CONCURRENCY at a time, for POLL_SECONDS.
    const pollLatencies: number[] = [];
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

    // Admission accuracy: the admitted count every second, for ADMIT_SECONDS from a minute mark.
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
      polls: {
        perSecond: pollLatencies.length / POLL_SECONDS,
        p50Ms: pct(pollLatencies, 50),
        p99Ms: pct(pollLatencies, 99),
      },
      admission: {
        ratePerMinute: RATE,
        measuredPerMinute: perMinute,
        errorPct: (100 * (perMinute - RATE)) / RATE,
        admittedLastMinute: end.admittedLastMinute,
        overRate: end.admittedLastMinute > RATE,
      },
      hostRssMiBWithAllQueued: memoryMiB,
    };
  } finally {
    await host.stop();
  }
}
