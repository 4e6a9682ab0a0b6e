// Benchmark of the Web PubSub emulator: N real `WebPubSubClient`s (reliable protocol) on one
// group, a `WebPubSubServiceClient` sending ~R messages/s to that group for a few seconds.
// Reports delivery latency (send call → client event), deliveries/s, and the emulator's heap per
// connection. The emulator runs in a worker thread so its heap is measured apart from the 500
// clients' (same process otherwise, so both compete for the same cores: a laptop-shaped test).
//   npx tsc -p . && node dist/bench/web-pubsub.js [clients] [messagesPerSecond] [seconds]
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { startWebPubSubEmulator } from '../local/web-pubsub/index.js';

export interface WebPubSubBenchOptions {
  clients?: number;
  messagesPerSecond?: number;
  seconds?: number;
}

export interface WebPubSubBenchResult {
  clients: number;
  messagesSent: number;
  deliveriesExpected: number;
  deliveries: number;
  deliveriesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Emulator heap growth per connection, idle (after GC) and while messages flow. */
  heapPerConnectionBytes: { idle: number; underLoad: number };
  connectSeconds: number;
  /** Event-loop utilisation during the send phase: which side saturated, if any. */
  busy: { emulator: number; clients: number };
}

type FromWorker = { kind: 'ready'; connectionString: string } | { kind: 'heap'; used: number };
type ToWorker = { kind: 'heap'; gc: boolean } | { kind: 'stop' };

const HUB = 'bench';
const GROUP = 'show-bench';

/** The emulator side, inside the worker. */
async function serveInWorker(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const emulator = await startWebPubSubEmulator({ host: '127.0.0.1', port: 0 });
  parentPort!.on('message', async (msg: ToWorker) => {
    if (msg.kind === 'stop') {
      await emulator.stop();
      parentPort!.close();
      return;
    }
    if (msg.gc) for (let i = 0; i < 3; i++) gc();
    parentPort!.postMessage({ kind: 'heap', used: getHeapStatistics().used_heap_size } satisfies FromWorker);
  });
  parentPort!.postMessage({ kind: 'ready', connectionString: emulator.connectionString } satisfies FromWorker);
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

export async function run(options: WebPubSubBenchOptions = {}): Promise<WebPubSubBenchResult> {
  const clientCount = options.clients ?? 500;
  const rate = options.messagesPerSecond ?? 100;
  const seconds = options.seconds ?? 5;

  if (!__filename.endsWith('.js'))
    throw new Error('run the compiled benchmark: npx tsc -p . && node dist/bench/web-pubsub.js');
  const worker = new Worker(__filename);
  const replies: ((m: FromWorker) => void)[] = [];
  worker.on('message', (m: FromWorker) => replies.shift()?.(m));
  const next = () => new Promise<FromWorker>((resolve) => replies.push(resolve));
  const heap = async (gc: boolean) => {
    const reply = next();
    worker.postMessage({ kind: 'heap', gc } satisfies ToWorker);
    return ((await reply) as { used: number }).used;
  };

  const ready = (await next()) as { connectionString: string };
  const service = new WebPubSubServiceClient(ready.connectionString, HUB, { allowInsecureConnection: true });
  const clients: WebPubSubClient[] = [];
  try {
    const baseline = await heap(true);
    const total = clientCount * Math.ceil(rate * seconds);
    const latencies = new Float64Array(total);
    let deliveries = 0;
    let lastDelivery = 0;

    const connectStart = performance.now();
    for (let i = 0; i < clientCount; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, clientCount - i) }, async (_, j) => {
          const client = new WebPubSubClient({
            getClientAccessUrl: async () =>
              (await service.getClientAccessToken({ userId: `u${i + j}`, groups: [GROUP] })).url,
          });
          const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
          client.on('group-message', (e) => {
            const now = performance.now();
            if (deliveries < total) latencies[deliveries++] = now - (e.message.data as { t: number }).t;
            lastDelivery = now;
          });
          clients.push(client);
          await client.start();
          await connected;
        }),
      );
    }
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const idle = await heap(true);

    const count = Math.ceil(rate * seconds);
    const eluWorker = worker.performance.eventLoopUtilization();
    const eluMain = performance.eventLoopUtilization();
    const started = performance.now();
    const sends: Promise<void>[] = [];
    let underLoad = 0;
    for (let i = 0; i < count; i++) {
      // Paced against the clock, not the previous send: a slow response must not slow the rate.
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sends.push(service.group(GROUP).sendToAll({ i, t: performance.now() }));
      if (i === Math.floor(count / 2)) underLoad = await heap(false);
    }
    await Promise.all(sends);
    const deadline = performance.now() + 10_000;
    while (deliveries < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const busy = {
      emulator: round(worker.performance.eventLoopUtilization(eluWorker).utilization),
      clients: round(performance.eventLoopUtilization(eluMain).utilization),
    };
    const sorted = latencies.slice(0, deliveries).sort();
    return {
      clients: clientCount,
      messagesSent: count,
      deliveriesExpected: total,
      deliveries,
      deliveriesPerSecond: Math.round(deliveries / ((lastDelivery - started) / 1000)),
      latencyMs: {
        p50: round(quantile(sorted, 0.5)),
        p99: round(quantile(sorted, 0.99)),
        max: round(sorted.at(-1) ?? NaN),
      },
      heapPerConnectionBytes: {
        idle: Math.round((idle - baseline) / clientCount),
        underLoad: Math.round((underLoad - baseline) / clientCount),
      },
      connectSeconds: round(connectSeconds),
      busy,
    };
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    worker.postMessage({ kind: 'stop' } satisfies ToWorker);
    await new Promise((r) => worker.once('exit', r));
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

if (!isMainThread) {
  void serveInWorker();
} else if (require.main === module) {
  const [clients, messagesPerSecond, seconds] = process.argv.slice(2).map(Number);
  run({
    clients: clients || undefined,
    messagesPerSecond: messagesPerSecond || undefined,
    seconds: seconds || undefined,
  })
    .then((r) => {
      console.log(
        `Web PubSub emulator: ${r.clients} clients on one group, ${r.messagesSent} messages sent (connect took ${r.connectSeconds} s)`,
      );
      console.log(
        `  delivered       ${r.deliveries} / ${r.deliveriesExpected} (${r.deliveriesPerSecond} deliveries/s)`,
      );
      console.log(`  latency         p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`);
      console.log(
        `  event loop busy emulator ${Math.round(r.busy.emulator * 100)} %, clients ${Math.round(r.busy.clients * 100)} % (${availableParallelism()} cores)`,
      );
      console.log(
        `  heap/connection ${r.heapPerConnectionBytes.idle} B idle, ${r.heapPerConnectionBytes.underLoad} B under load (emulator only)`,
      );
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
