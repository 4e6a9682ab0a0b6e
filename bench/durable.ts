// Benchmark of Durable Functions on the local host.
//  1. Throughput: 500 instances of a 3-sequential-activity orchestration started at once over the
//     Durable HTTP API of a spawned host (its own Azurite); all must complete. Reports instances/s
//     and start-to-completion p50/p99 (completion observed by polling the list API every 50 ms,
//     so latencies carry up to ~50 ms of observation delay).
//  2. Replay cost per episode at history lengths 10, 100 and 1,000 events, measured in-process
//     through the host's own replay path (Invoker → the library's orchestrator callback).
//   npx tsc -p . && node dist/bench/durable.js [instances]
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as df from 'durable-functions';
import { installFunctionsCore } from '../local/core/functions-core.js';
import { Invoker } from '../local/core/invoke.js';
import { Logger } from '../local/core/log.js';
import { Registry } from '../local/core/registry.js';
import { event, EventType, type HistoryEvent } from '../local/durable/history.js';
import { replay } from '../local/durable/replay.js';
import { spawnHost } from '../test/support/spawn-host.js';
import { childrenOf, cpuMs } from './support/proc.js';
import { standaloneHostEnv } from './support/standalone.js';

export interface DurableBenchResult {
  instances: number;
  completed: number;
  seconds: number;
  instancesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  hostCpuMs?: number;
  /** CPU of the host's child processes (Azurite is the one that matters here). */
  emulatorsCpuMs?: number;
  replayMsPerEpisode: Record<string, number>;
  pass: boolean;
}

const API = '/runtime/webhooks/durabletask';
const TARGET_PER_SECOND = 25;

export async function run(instances = 500): Promise<DurableBenchResult> {
  const throughput = await measureThroughput(instances);
  const replayMsPerEpisode = await measureReplay([10, 100, 1000]);
  const result: DurableBenchResult = {
    ...throughput,
    replayMsPerEpisode,
    pass: throughput.completed === instances && throughput.instancesPerSecond >= TARGET_PER_SECOND,
  };
  return result;
}

async function measureThroughput(instances: number): Promise<Omit<DurableBenchResult, 'replayMsPerEpisode' | 'pass'>> {
  const host = await spawnHost({
    main: 'dist/test/fixtures/durable-app.js',
    env: {
      ...standaloneHostEnv(),
      MARQUEE_TASK_HUB: `bench${randomBytes(3).toString('hex')}`,
      DEMO_DATA: 'false',
    },
    timeoutMs: 60_000,
  });
  try {
    const prefix = 'b-';
    const startedAt = new Map<string, number>();
    const doneAt = new Map<string, number>();
    const cpu0 = cpuMs(host.child.pid!);
    const kids = childrenOf(host.child.pid!).map((c) => c.pid);
    const kidsCpu = () => kids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
    const kids0 = kidsCpu();
    const t0 = performance.now();
    // All at once: the host's episode and activity caps (host.json) do the queueing.
    await Promise.all(
      Array.from({ length: instances }, async (_, i) => {
        const id = `${prefix}${i}`;
        startedAt.set(id, performance.now());
        const res = await fetch(`${host.origin}${API}/orchestrators/threeSteps/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-functions-key': host.masterKey },
          body: String(i),
        });
        if (res.status !== 202) throw new Error(`start ${id}: HTTP ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }),
    );
    const deadline = Date.now() + 120_000;
    while (doneAt.size < instances && Date.now() < deadline) {
      let token = '';
      do {
        const res = await fetch(
          `${host.origin}${API}/instances/?runtimeStatus=Completed,Failed&showInput=false&top=1000`,
          { headers: { 'x-functions-key': host.masterKey, ...(token ? { 'x-ms-continuation-token': token } : {}) } },
        );
        const now = performance.now();
        for (const s of (await res.json()) as { instanceId: string; runtimeStatus: string; output: unknown }[]) {
          if (!doneAt.has(s.instanceId)) {
            if (s.runtimeStatus !== 'Completed' || s.output !== Number(s.instanceId.slice(prefix.length)) * 8)
              throw new Error(`${s.instanceId} ended ${s.runtimeStatus} with ${JSON.stringify(s.output)}`);
            doneAt.set(s.instanceId, now);
          }
        }
        token = res.headers.get('x-ms-continuation-token') ?? '';
      } while (token);
      if (doneAt.size < instances) await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Math.max(...doneAt.values()) - t0) / 1000;
    const latencies = [...doneAt].map(([id, at]) => at - startedAt.get(id)!).sort((a, b) => a - b);
    const q = (p: number) =>
      Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN);
    const cpu1 = cpuMs(host.child.pid!);
    return {
      instances,
      completed: doneAt.size,
      seconds: Math.round(seconds * 100) / 100,
      instancesPerSecond: Math.round((doneAt.size / seconds) * 10) / 10,
      latencyMs: { p50: q(0.5), p99: q(0.99), max: Math.round(latencies[latencies.length - 1] ?? NaN) },
      hostCpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined,
      emulatorsCpuMs: kidsCpu() - kids0,
    };
  } finally {
    await host.stop();
  }
}

/** Replays a synthetic history of ~`length` events (4 per completed activity) through the real library. */
async function measureReplay(lengths: number[]): Promise<Record<string, number>> {
  const registry = new Registry();
  installFunctionsCore(registry, () => undefined);
  df.app.orchestration('benchLoop', function* (ctx) {
    const n = ctx.df.getInput<number>();
    let total = 0;
    for (let i = 0; i < n; i++) total += (yield ctx.df.callActivity('double', i)) as number;
    return total;
  });
  const fn = registry.get('benchLoop')!;
  const invoker = new Invoker(registry, new Logger('error'));
  const timers = {
    maximumShortTimerDuration: '6.00:00:00',
    longRunningTimerIntervalDuration: '3.00:00:00',
    maxShortMs: 518_400_000,
    intervalMs: 259_200_000,
  };
  const out: Record<string, number> = {};
  for (const length of lengths) {
    const activities = Math.max(1, Math.round((length - 2) / 4));
    const iterations = length >= 1000 ? 20 : 200;
    let total = 0;
    for (let it = 0; it < iterations + 3; it++) {
      // Fresh objects each time: the library converts Timestamps in place, as it would on a real replay.
      const history = syntheticHistory(activities + 1);
      const t = performance.now();
      const r = await replay(
        invoker,
        fn,
        { history, input: activities + 1, instanceId: 'bench', parentInstanceId: null },
        timers,
      );
      if (it >= 3) total += performance.now() - t;
      if (r.error || r.leaves.length !== activities + 1)
        throw new Error(`replay went wrong: ${r.error ?? r.leaves.length}`);
    }
    out[String(length)] = Math.round((total / iterations) * 1000) / 1000;
  }
  return out;
}

function syntheticHistory(n: number): HistoryEvent[] {
  const t0 = Date.UTC(2025, 0, 1);
  const at = (i: number) => new Date(t0 + i * 1000);
  const h: HistoryEvent[] = [
    event(EventType.OrchestratorStarted, at(0)),
    event(EventType.ExecutionStarted, at(0), { Name: 'benchLoop', Input: String(n) }),
  ];
  for (let i = 0; i < n - 1; i++) {
    h.push(
      event(EventType.TaskScheduled, at(i), { EventId: i, Name: 'double' }),
      event(EventType.OrchestratorCompleted, at(i)),
    );
    h.push(
      event(EventType.OrchestratorStarted, at(i + 1)),
      event(EventType.TaskCompleted, at(i + 1), { TaskScheduledId: i, Result: String(i * 2) }),
    );
  }
  for (const e of h) e.IsPlayed = true;
  return h;
}

function summary(r: DurableBenchResult): string {
  return [
    `Durable: ${r.completed}/${r.instances} instances of a 3-activity orchestration in ${r.seconds} s → ${r.instancesPerSecond} instances/s (target ≥ ${TARGET_PER_SECOND})`,
    `  start-to-completion p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms; host CPU ${r.hostCpuMs ?? '?'} ms, emulators CPU ${r.emulatorsCpuMs ?? '?'} ms`,
    `  replay per episode: ${Object.entries(r.replayMsPerEpisode)
      .map(([n, ms]) => `${n} events ${ms} ms`)
      .join(', ')}`,
    `  ${r.pass ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

if (require.main === module) {
  void run(Number(process.argv[2]) || 500).then(
    (r) => {
      process.stdout.write(summary(r) + '\n');
      process.exit(r.pass ? 0 : 1);
    },
    (err) => {
      process.stderr.write(`durable bench failed: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
