// The local host's HTTP overhead, measured side by side in one run: a bare node:http server that
// answers the same bytes vs a trivial HTTP function served through the local host (a child process
// started like `npm start`, with its own emulators). autocannon, 50 connections, ~5 s each after a
// short warm-up. The bar the local host is held to: host ≥ half the bare server's req/s, host p99 < 20 ms.
// Side by side in the same run, the edge's rate limits off vs on: a second host of the same app with
// RATE_LIMIT_ENABLED=false, both serving the trivial function through the app's wrapper (ping-edge,
// test/fixtures/basic-bench.ts), loaded in interleaved rounds (bench/support/limits-ab.ts): the
// server CPU and latency the limits add per request, and the CPU as a share of the trivial
// function's cost (a real route costs more, so its share is smaller). BENCH_LIMITS_AB=0 leaves it out.
// Telemetry (docs/telemetry.md): on the same host (telemetry off), ping vs ping-traced, a route that
// answers inside a span of the telemetry port: the no-op port's cost; then a second host with
// MARQUEE_TELEMETRY=true (host spans, the app's OTLP export to the host): what tracing every request
// costs. BENCH_TELEMETRY=0 leaves it out.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { spawnHost, type SpawnedHost } from '../test/support/spawn-host.js';
import { load, type LoadResult } from './support/load.js';
import { childrenOf, cpuMs, rssMiB } from './support/proc.js';
import { standaloneHostEnv } from './support/standalone.js';
import { abLines, limitsAb, limitsAbEnabled, limitsToggleAb, type AbResult, type AbSide } from './support/limits-ab.js';

const CONNECTIONS = 50;
/** The same bytes test/fixtures/basic-bench.ts answers; checked before measuring. */
const BENCH_BODY = '{"ok":true,"service":"marquee"}';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const bareServer = `
const body = Buffer.from(${JSON.stringify(BENCH_BODY)});
require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

/** A load run plus the server's own CPU time per request: a figure other load on a shared machine
 * disturbs far less than req/s. */
export interface ServerLoad extends LoadResult {
  cpuUsPerRequest: number | undefined;
}

export interface HttpBenchResult {
  bare: ServerLoad;
  host: ServerLoad;
  /** host req/s ÷ bare req/s */
  ratio: number;
  hostRssMiB: number | undefined;
  emulatorsRssMiB: Record<string, number | undefined>;
  /** The rate limits' cost: separate hosts per side, then one host switched between rounds. */
  rateLimit?: AbResult[];
  telemetry?: { plain: ServerLoad; tracedOff: ServerLoad; tracedOn: ServerLoad };
  pass: boolean;
}

export async function run(): Promise<HttpBenchResult> {
  const bare = spawn(process.execPath, ['-e', bareServer], { stdio: ['pipe', 'pipe', 'inherit'] });
  const host = await spawnHost({
    main: 'dist/test/fixtures/basic-bench.js',
    env: { ...standaloneHostEnv(), RATE_LIMIT_ENABLED: 'true' },
    // Starting its own emulators takes well over 30 s on a loaded machine.
    timeoutMs: 120_000,
  });
  try {
    const [line] = (await once(bare.stdout!, 'data')) as [Buffer];
    const bareUrl = `http://127.0.0.1:${/PORT (\d+)/.exec(line.toString())![1]}/api/ping`;
    const hostUrl = `${host.origin}/api/ping`;
    for (const url of [bareUrl, hostUrl]) {
      const text = await (await fetch(url)).text();
      if (text !== BENCH_BODY) throw new Error(`${url} answered ${JSON.stringify(text)}, not the benchmark body`);
    }
    const hostRss = rssMiB(host.child.pid!);
    const emulators: Record<string, number | undefined> = {};
    for (const c of childrenOf(host.child.pid!)) emulators[emulatorName(c.cmd, c.pid)] = rssMiB(c.pid);

    // Warm both (JIT, connection pools), then measure one after the other on an otherwise idle machine.
    await load(bareUrl, { connections: CONNECTIONS, seconds: 1 });
    await load(hostUrl, { connections: CONNECTIONS, seconds: 1 });
    const bareResult = await measure(bareUrl, bare.pid!);
    const hostResult = await measure(hostUrl, host.child.pid!);
    const ratio = Math.round((hostResult.reqPerSec / bareResult.reqPerSec) * 100) / 100;
    const rateLimit = limitsAbEnabled() ? await limiterCost() : undefined;
    const telemetry =
      process.env.BENCH_TELEMETRY === '0' ? undefined : await telemetryCost(host.origin, host.child.pid!);
    const result: HttpBenchResult = {
      bare: bareResult,
      host: hostResult,
      ratio,
      hostRssMiB: hostRss,
      emulatorsRssMiB: emulators,
      rateLimit,
      telemetry,
      pass: ratio >= 0.5 && hostResult.p99Ms < 20 && hostResult.errors === 0 && hostResult.non2xx === 0,
    };
    report(result);
    return result;
  } finally {
    bare.kill();
    await host.stop();
  }
}

/**
 * ping-edge on fresh hosts alike but for RATE_LIMIT_ENABLED (BENCH_AB_HOSTS per side, default 2),
 * then on one host switched between rounds. Fresh: the host measured above has served a few hundred
 * thousand requests more (heap, JIT state), which moved a like-for-like comparison by several µs per
 * request. Two hosts of one build differ by up to ±10 % (an off/off pair), more than the limits'
 * own work, hence several per side and the one-process comparison (bench/support/limits-ab.ts).
 */
async function limiterCost(): Promise<AbResult[]> {
  const perSide = Math.max(1, Number(process.env.BENCH_AB_HOSTS ?? 2));
  const start = (enabled: string, toggle = false) =>
    spawnHost({
      main: 'dist/test/fixtures/basic-bench.js',
      env: { ...standaloneHostEnv(), RATE_LIMIT_ENABLED: enabled, BENCH_LIMITS_TOGGLE: toggle ? '1' : undefined },
      timeoutMs: 120_000,
    });
  const side = (h: SpawnedHost): AbSide => ({ url: `${h.origin}/api/ping-edge`, pid: h.child.pid!, status: 200 });
  const results: AbResult[] = [];
  const hosts = await Promise.all([
    ...Array.from({ length: perSide }, () => start('false')),
    ...Array.from({ length: perSide }, () => start('true')),
  ]);
  try {
    results.push(await limitsAb(hosts.slice(0, perSide).map(side), hosts.slice(perSide).map(side), CONNECTIONS));
  } finally {
    await Promise.all(hosts.map((h) => h.stop()));
  }
  const switched = await start('false', true);
  try {
    const setLimits = async (on: boolean) => {
      const res = await fetch(`${switched.origin}/api/bench-limits/${on ? 'on' : 'off'}`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`switching the limits answered ${res.status}`);
    };
    results.push(await limitsToggleAb(side(switched), setLimits, CONNECTIONS));
  } finally {
    await switched.stop();
  }
  return results;
}

/** The port's no-op cost on this host, then the same route on a host with telemetry on. */
async function telemetryCost(origin: string, pid: number): Promise<HttpBenchResult['telemetry']> {
  await load(`${origin}/api/ping-traced`, { connections: CONNECTIONS, seconds: 1 });
  const plain = await measure(`${origin}/api/ping`, pid);
  const tracedOff = await measure(`${origin}/api/ping-traced`, pid);
  const on = await spawnHost({
    main: 'dist/test/fixtures/basic-bench.js',
    env: { ...standaloneHostEnv(), MARQUEE_TELEMETRY: 'true' },
    timeoutMs: 120_000,
  });
  try {
    const url = `${on.origin}/api/ping-traced`;
    await load(url, { connections: CONNECTIONS, seconds: 1 });
    return { plain, tracedOff, tracedOn: await measure(url, on.child.pid!) };
  } finally {
    await on.stop();
  }
}

async function measure(url: string, pid: number): Promise<ServerLoad> {
  const before = cpuMs(pid);
  const result = await load(url, { connections: CONNECTIONS, seconds: SECONDS });
  const after = cpuMs(pid);
  const total = result.reqPerSec * SECONDS;
  const cpuUsPerRequest =
    before !== undefined && after !== undefined && total > 0
      ? Math.round(((after - before) * 1000) / total)
      : undefined;
  return { ...result, cpuUsPerRequest };
}

function emulatorName(cmd: string, pid: number): string {
  if (cmd.includes('azurite')) return 'azurite';
  if (cmd.includes('cosmosdb-server')) return 'cosmos';
  return `child ${pid}`;
}

function report(r: HttpBenchResult): void {
  const row = (name: string, l: ServerLoad) =>
    `  ${name.padEnd(18)} ${String(l.reqPerSec).padStart(8)} req/s   p50 ${String(l.p50Ms).padStart(3)} ms   p99 ${String(l.p99Ms).padStart(3)} ms   server CPU ${l.cpuUsPerRequest ?? '?'} µs/req   errors ${l.errors}  non-2xx ${l.non2xx}`;
  const lines = [
    `HTTP: autocannon, ${CONNECTIONS} connections, ${SECONDS} s each`,
    row('bare node:http', r.bare),
    row('local host', r.host),
    `  ratio host/bare    ${r.ratio} (bar ≥ 0.5; host p99 bar < 20 ms) → ${r.pass ? 'PASS' : 'FAIL'}`,
    ...(r.rateLimit ?? []).flatMap((ab) => abLines('trivial function through handle()', ab)),
    ...(r.telemetry
      ? [
          row('ping (no span)', r.telemetry.plain),
          row('span, telemetry off', r.telemetry.tracedOff),
          row('span, telemetry on', r.telemetry.tracedOn),
        ]
      : []),
    `  host RSS after start ${r.hostRssMiB ?? '?'} MiB; emulators ${
      Object.entries(r.emulatorsRssMiB)
        .map(([k, v]) => `${k} ${v ?? '?'} MiB`)
        .join(', ') || 'none'
    }`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) void run().then((r) => process.exit(r.pass ? 0 : 1));
