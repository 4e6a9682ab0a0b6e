// Live seat maps under load, end to end through the real stack: a local host started like
// `npm start` (its own Cosmos server, change-feed poller, fan-out and Web PubSub emulator), 500
// `@azure/web-pubsub-client` viewers of the demo stadium show connected through
// GET /api/realtime/negotiate, and holds of 1–4 seats written at ~100/s by an inventory service
// in this process (as another Function instance would). Reports, per (hold, viewer):
// latency from the committed Cosmos write to the viewer seeing the seats taken (p50/p99; target
// p99 < 250 ms locally), messages/s delivered, messages per viewer vs holds (coalescing), and
// memory per connection (host process RSS growth — the emulator lives there — and client heap).
//   npx tsc -p . && node dist/bench/realtime.js        (BENCH_SECONDS, BENCH_CLIENTS, BENCH_RATE)
import { performance } from 'node:perf_hooks';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import { rssMiB } from './support/proc.js';
import { createCosmos } from '../shared/adapters/cosmos/client.js';
import { cosmosCatalogStore } from '../shared/adapters/cosmos/catalog-store.js';
import { cosmosInventoryStore } from '../shared/adapters/cosmos/inventory-store.js';
import { CatalogService } from '../shared/catalog/service.js';
import { InventoryService } from '../shared/inventory/service.js';
import { createRandom } from '../shared/demo/random.js';
import type { SeatDiffMessage } from '../shared/domain/seat-diff.js';
import { spawnDemoHost } from './support/standalone.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 500);
const RATE = Number(process.env.BENCH_RATE ?? 100);

export interface RealtimeBenchResult {
  clients: number;
  holds: number;
  holdsPerSecond: number;
  deliveries: number;
  missing: number;
  latencyMs: { p50: number; p99: number; max: number };
  messagesPerSecond: number;
  messagesPerViewer: number;
  /** Viewer 0's latency split at the fan-out (same machine clock): feed + coalescing, then send + delivery. */
  split: { writeToFanoutP50: number; writeToFanoutP99: number; fanoutToViewerP50: number; fanoutToViewerP99: number };
  hostRssPerConnectionKiB: number | undefined;
  clientHeapPerConnectionKiB: number;
  pass: boolean;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
const round = (n: number) => Math.round(n * 10) / 10;

export async function run(): Promise<RealtimeBenchResult> {
  const { host, database } = await spawnDemoHost({ WEBPUBSUB_CONNECTION_STRING: undefined }, 90_000);
  const clients: WebPubSubClient[] = [];
  try {
    const cosmos = createCosmos({ endpoint: host.env.COSMOS_ENDPOINT!, key: 'bench', database, timeoutMs: 10_000 });
    const catalog = new CatalogService(cosmosCatalogStore(cosmos), Date.now);
    const inventory = new InventoryService({
      store: cosmosInventoryStore(cosmos.container('inventory')),
      lookup: (id) => catalog.showWithLayout(id),
      clock: Date.now,
    });
    const showId = await stadiumShow(host.origin);
    const found = (await catalog.showWithLayout(showId))!;
    await inventory.materialise(showId); // sections exist before anyone watches (as after the first sale)

    // Connect the viewers (negotiate over HTTP each time, as a browser would).
    const written = new Map<string, number>(); // seat → time its hold was committed
    const writtenWall = new Map<string, number>();
    const latencies: number[] = [];
    // Viewer 0 splits its latency: write → fan-out built the message (`at`), and `at` → arrival.
    const toFanout: number[] = [];
    const toViewer: number[] = [];
    let messages = 0;
    const seen = Array.from({ length: CLIENTS }, () => new Set<string>());
    const rssBefore = rssMiB(host.child.pid!);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < CLIENTS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, CLIENTS - i) }, async (_, j) => {
          const me = i + j;
          const client = new WebPubSubClient({
            getClientAccessUrl: async () =>
              (
                (await (await fetch(`${host.origin}/api/realtime/negotiate?showId=${showId}`)).json()) as {
                  url: string;
                }
              ).url,
          });
          client.on('group-message', (e) => {
            const m = e.message.data as SeatDiffMessage;
            messages++;
            const now = performance.now();
            if (me === 0 && messages > 0) {
              const wall = Date.now();
              toViewer.push(wall - Date.parse(m.at));
              for (const s of m.sections)
                for (const seat of Object.keys(s.seats))
                  if (writtenWall.has(seat)) toFanout.push(Date.parse(m.at) - writtenWall.get(seat)!);
            }
            for (const s of m.sections) {
              for (const [seat, code] of Object.entries(s.seats)) {
                const at = written.get(seat);
                if (code === '1' && at !== undefined && !seen[me]!.has(seat)) {
                  seen[me]!.add(seat);
                  latencies.push(now - at);
                }
              }
            }
          });
          const connected = new Promise<void>((r) => client.on('connected', () => r()));
          await client.start();
          await connected;
          clients.push(client);
        }),
      );
    }
    global.gc?.();
    const clientHeapPerConnectionKiB = round((process.memoryUsage().heapUsed - heapBefore) / CLIENTS / 1024);
    const rssAfter = rssMiB(host.child.pid!);
    const hostRssPerConnectionKiB =
      rssBefore !== undefined && rssAfter !== undefined ? round(((rssAfter - rssBefore) * 1024) / CLIENTS) : undefined;

    // Warm the fan-out (its first message for a show is the full state), then measure.
    const rnd = createRandom('bench-realtime');
    const free = rnd.sample(found.index.seats, found.index.seats.length);
    const warm = free.pop()!;
    await inventory.block(showId, [warm.id]);
    await new Promise((r) => setTimeout(r, 1500));
    messages = 0;

    const total = Math.round(RATE * SECONDS);
    const started = performance.now();
    const pending: Promise<void>[] = [];
    let heldSeats = 0;
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // 1–4 seats of one section (a hold lies in one section).
      const first = free.pop()!;
      const seats = [first];
      const want = rnd.int(1, 4);
      for (let k = free.length - 1; k >= 0 && seats.length < want; k--) {
        if (free[k]!.sectionId === first.sectionId) seats.push(...free.splice(k, 1));
      }
      pending.push(
        inventory
          .hold(
            showId,
            seats.map((s) => s.id),
            `bench-${n}`,
            `bench-user-${n % 97}`,
            600,
          )
          .then((r) => {
            const at = performance.now();
            if (!r.ok) throw new Error(`hold ${n} failed: ${r.code}`);
            for (const s of seats) {
              written.set(s.id, at);
              writtenWall.set(s.id, Date.now());
            }
            heldSeats += seats.length;
          }),
      );
    }
    await Promise.all(pending);
    const holdSeconds = (performance.now() - started) / 1000;
    // Let the last diffs land.
    const expected = heldSeats * CLIENTS;
    const until = performance.now() + 5000;
    while (latencies.length < expected && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    const elapsed = (performance.now() - started) / 1000;

    // A delivery can beat the hold's own resolution by a hair (the feed polls Cosmos, not us).
    const sorted = latencies.map((l) => Math.max(0, l)).sort((a, b) => a - b);
    const result: RealtimeBenchResult = {
      clients: CLIENTS,
      holds: total,
      holdsPerSecond: round(total / holdSeconds),
      deliveries: latencies.length,
      missing: expected - latencies.length,
      latencyMs: {
        p50: round(quantile(sorted, 0.5)),
        p99: round(quantile(sorted, 0.99)),
        max: round(sorted.at(-1) ?? NaN),
      },
      messagesPerSecond: Math.round(messages / elapsed),
      messagesPerViewer: round(messages / CLIENTS),
      split: {
        writeToFanoutP50: round(
          quantile(
            toFanout.sort((a, b) => a - b),
            0.5,
          ),
        ),
        writeToFanoutP99: round(quantile(toFanout, 0.99)),
        fanoutToViewerP50: round(
          quantile(
            toViewer.sort((a, b) => a - b),
            0.5,
          ),
        ),
        fanoutToViewerP99: round(quantile(toViewer, 0.99)),
      },
      hostRssPerConnectionKiB,
      clientHeapPerConnectionKiB,
      pass: false,
    };
    result.pass = result.missing === 0 && result.latencyMs.p99 < 250;
    report(result, showId, found.index.seats.length);
    return result;
  } finally {
    for (const c of clients) c.stop();
    await host.stop();
  }
}

async function stadiumShow(origin: string): Promise<string> {
  const date = new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Kolkata' });
  const res = await fetch(`${origin}/api/shows?city=mum&date=${date}&limit=50`);
  const body = (await res.json()) as { items?: { id: string; venueId: string }[] };
  const show = body.items?.find((s) => s.venueId === 'ven-mum-arena');
  if (!show) throw new Error(`no stadium show in mum on ${date}: ${res.status}`);
  return show.id;
}

function report(r: RealtimeBenchResult, showId: string, seats: number): void {
  const lines = [
    `Realtime: ${r.clients} viewers of ${showId} (${seats} seats), holds of 1–4 seats at ${r.holdsPerSecond}/s for ${SECONDS} s (${r.holds} holds)`,
    `  Cosmos write → viewer   p50 ${r.latencyMs.p50} ms   p99 ${r.latencyMs.p99} ms   max ${r.latencyMs.max} ms   (target p99 < 250 ms)`,
    `  split (viewer 0): write → fan-out p50 ${r.split.writeToFanoutP50} / p99 ${r.split.writeToFanoutP99} ms; fan-out → viewer p50 ${r.split.fanoutToViewerP50} / p99 ${r.split.fanoutToViewerP99} ms`,
    `  deliveries ${r.deliveries} (missing ${r.missing}); ${r.messagesPerSecond} messages/s delivered; ${r.messagesPerViewer} messages per viewer for ${r.holds} holds`,
    `  memory per connection: host (emulator) RSS ${r.hostRssPerConnectionKiB ?? '?'} KiB, client heap ${r.clientHeapPerConnectionKiB} KiB → ${r.pass ? 'PASS' : 'FAIL'}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module)
  void run().then(
    (r) => process.exit(r.pass ? 0 : 1),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
