// The local host's own HTTP cost, this build against an earlier one, side by side in one run: the
// same trivial function (`ping`, test/fixtures/basic-bench.ts) on two hosts — one compiled from
// another checkout (BENCH_BASE_DIR, e.g. `git archive main` built with `npx tsc`), one from this one —
// loaded in interleaved rounds (bench/support/limits-ab.ts), the server CPU per request read from
// /proc. The bar (issue 13: building the app's own HttpRequest/InvocationContext through their
// constructors): this build costs at most 10 % more CPU per request. Without BENCH_BASE_DIR it is skipped.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawnHost, type SpawnedHost } from '../test/support/spawn-host.js';
import { limitsAb, type AbResult } from './support/limits-ab.js';
import { standaloneHostEnv } from './support/standalone.js';

const CONNECTIONS = 50;

export interface HostVersionsResult {
  skipped?: string;
  base?: string;
  ab?: AbResult;
  pass?: boolean;
}

export async function run(): Promise<HostVersionsResult> {
  const base = process.env.BENCH_BASE_DIR;
  if (!base) return { skipped: 'set BENCH_BASE_DIR to a built checkout of the host to compare with' };
  if (!existsSync(join(base, 'dist/local/main.js'))) throw new Error(`${base}/dist/local/main.js is missing: build it`);
  const hosts: SpawnedHost[] = [];
  try {
    const start = (root?: string) =>
      spawnHost({
        main: 'dist/test/fixtures/basic-bench.js',
        env: standaloneHostEnv(),
        timeoutMs: 120_000,
        ...(root ? { root } : {}),
      }).then((h) => (hosts.push(h), h));
    const before = await start(base);
    const after = await start();
    const ab = await limitsAb(
      { url: `${before.origin}/api/ping`, pid: before.child.pid!, status: 200 },
      { url: `${after.origin}/api/ping`, pid: after.child.pid!, status: 200 },
      CONNECTIONS,
    );
    const pass = ab.addedCpuPercent <= 10 && ab.off.unexpected === 0 && ab.on.unexpected === 0;
    const row = (name: string, f: AbResult['on']) =>
      `  ${name.padEnd(10)} ${String(f.reqPerSec).padStart(7)} req/s   p50 ${f.p50Ms} ms   p99 ${f.p99Ms} ms   server CPU ${f.cpuUsPerRequest} µs/req   unexpected ${f.unexpected}`;
    process.stdout.write(
      [
        `host versions: ${base} vs this build, GET /api/ping, ${ab.rounds} interleaved rounds of ${ab.secondsPerRound} s`,
        row('before', ab.off),
        row('after', ab.on),
        `  this build adds ${ab.addedCpuUsPerRequest} µs CPU per request (${ab.addedCpuPercent} %; bar ≤ 10 %) → ${pass ? 'PASS' : 'FAIL'}`,
      ].join('\n') + '\n',
    );
    return { base, ab, pass };
  } finally {
    for (const h of hosts) await h.stop();
  }
}
