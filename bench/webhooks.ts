// Partner webhook fan-out on the running stack (its own local host, Azurite and Cosmos server):
// EVENTS committed bookings (written straight into Cosmos, so the bench measures delivery, not the
// booking saga) are published as booking.confirmed events to the booking-events topic, and
// ENDPOINTS registered endpoints — real HTTP receivers on 127.0.0.1 — each get every one of them.
// Reports deliveries/s, p50/p99 from the publish to the receiver, and host CPU per delivery.
//
// Then isolation, in the same run: the same again with one of the endpoints never answering (the
// host's 10 s timeout runs out on every request it is sent). The two phases are printed side by side
// per endpoint group — the healthy endpoints' deliveries/s and p50/p99, and what the hanging one
// was sent (requests that timed out, attempts its lane did not make) — with host CPU per delivery.
// The per-endpoint lanes (shared/partners/endpoint-lanes.ts) keep the hanging endpoint's sends from
// holding the others' messages; what a hanging endpoint still costs is host CPU — its deliveries'
// durable retries — and the host is CPU-bound here, so that cost comes out of the healthy group's
// deliveries/s, and with a burst a lower rate is a longer backlog, i.e. a higher p99. Hence the
// retries of one endpoint's failures are batched into one orchestration per short window
// (shared/partners/retry-batches.ts; docs/architecture.md, Partner webhooks). The host CPU per
// healthy delivery of the two phases says what the hanging endpoint cost: compare them.
//
// With the default burst the latency figures measure a backlog: the publisher posts batches of 50
// as fast as the local Service Bus takes them (each copied to every subscription's queue), which is
// about as fast as the host delivers them, so p50/p99 are how far delivery falls behind publishing.
// A small loss of delivery rate then shows as a large growth of p99; read them with deliveries/s,
// and use BENCH_WEBHOOKS_RATE (below capacity) for each delivery's own latency.
//
// BENCH_WEBHOOKS_EVENTS (default 1000; 200 when CI=true), BENCH_WEBHOOKS_ENDPOINTS (default 10),
// BENCH_WEBHOOKS_RATE (events per second; default: a burst).
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { SpawnedHost } from '../test/support/spawn-host.js';
import { createCosmos } from '../shared/adapters/cosmos/client.js';
import { CosmosBookingStore } from '../shared/adapters/cosmos/booking-store.js';
import { cosmosCatalogStore } from '../shared/adapters/cosmos/catalog-store.js';
import { CatalogService } from '../shared/catalog/service.js';
import { buildEvent } from '../shared/booking/events.js';
import { showSnapshot, type BookingDoc } from '../shared/booking/model.js';
import { breakdownOf, type PriceLine } from '../shared/domain/booking/index.js';
import type { Show } from '../shared/domain/catalog.js';
import { childrenOf, cpuMs } from './support/proc.js';
import { spawnDemoHost } from './support/standalone.js';
import { hostCall, type Json } from './support/host-call.js';

const EVENTS = Number(process.env.BENCH_WEBHOOKS_EVENTS ?? (process.env.CI === 'true' ? 200 : 1000));
const ENDPOINTS = Number(process.env.BENCH_WEBHOOKS_ENDPOINTS ?? 10);
/**
 * Events published per second; unset: all at once, in batches of 50 (a burst: the latency figures
 * are then mostly the backlog's drain time). Set below the capacity the burst measured, the
 * latency figures are each delivery's own.
 */
const RATE = process.env.BENCH_WEBHOOKS_RATE ? Number(process.env.BENCH_WEBHOOKS_RATE) : undefined;
const PUBLISH_BATCH = RATE ? Math.max(1, Math.round(RATE / 10)) : 50;

interface Receiver {
  url: string;
  /** bookingId → arrival time (ms since epoch). */
  arrivals: Map<string, number>;
  server: Server;
}

/** A receiver that answers 204 at once, or (hang) never answers. */
function receiver(hang = false): Promise<Receiver> {
  const arrivals = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (hang) {
        arrivals.set(`request-${arrivals.size}`, Date.now());
        return; // the host's timeout ends it
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
      arrivals.set(body.data.bookingId as string, Date.now());
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, arrivals, server }),
    ),
  );
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
};

function cpuSnapshot(host: SpawnedHost): Record<string, number> {
  const out: Record<string, number> = { host: cpuMs(host.child.pid!) ?? 0 };
  for (const c of childrenOf(host.child.pid!)) {
    const name = /azurite/.test(c.cmd) ? 'azurite' : /cosmos/.test(c.cmd) ? 'cosmos' : 'other';
    out[name] = (out[name] ?? 0) + (cpuMs(c.pid) ?? 0);
  }
  return out;
}

/** A confirmed booking of two seats, as the saga would have committed it. */
function confirmedBooking(show: Show, n: number, tag: string): BookingDoc {
  const at = new Date().toISOString();
  const money = (minor: number) => ({ minor, currency: 'INR' });
  const seatIds = [`A${(n % 20) + 1}`, `B${(n % 20) + 1}`];
  const lines: PriceLine[] = seatIds.map((seatId) => ({
    seatId,
    category: 'classic',
    ticket: money(20000),
    ticketTax: money(0),
    fee: money(2000),
    feeTax: money(360),
    total: money(22360),
  }));
  return {
    id: `bk_bench_${tag}_${n}`,
    userId: `bench-user-${n % 97}`,
    showId: show.id,
    city: show.city,
    show: showSnapshot(show),
    seatIds,
    lines,
    price: breakdownOf('INR', lines),
    charged: money(44720),
    status: 'confirmed',
    attempt: 1,
    request: { fingerprint: `bench-${n}`, kind: 'seats' },
    deadline: at,
    cancelledSeatIds: [],
    cancellations: [],
    latePayments: [],
    history: [{ at, status: 'confirmed', event: 'confirmed' }],
    sortKey: `${show.startsAt}|bk_bench_${tag}_${n}`,
    createdAt: at,
    updatedAt: at,
  };
}

interface Phase {
  /** The healthy endpoints: deliveries that arrived, per second of the phase, publish → receiver. */
  healthy: {
    endpoints: number;
    deliveries: number;
    seconds: number;
    deliveriesPerSecond: number;
    p50Ms: number;
    p99Ms: number;
  };
  /** The endpoint that never answers (the second phase only). */
  hanging?: HangingFigures;
  hostCpuMsPerDelivery: number;
  emulatorCpuMsPerDelivery: number;
}

interface HangingFigures {
  /** Requests it was sent (each ended by the host's timeout). */
  requests: number;
  /** First attempts recorded by the end of the phase, by what happened. */
  timedOut: number;
  notSentCircuitOpen: number;
  notSentSlow: number;
  /** Deliveries with no attempt recorded yet (a send still in flight). */
  unrecorded: number;
}

/** The hanging endpoint's delivery log, tallied by its first attempt. */
async function hangingFigures(
  host: SpawnedHost,
  op: string,
  endpointId: string,
  requests: number,
): Promise<HangingFigures> {
  const out: HangingFigures = { requests, timedOut: 0, notSentCircuitOpen: 0, notSentSlow: 0, unrecorded: 0 };
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
    const page = await hostCall(host, op, 'GET', `/api/ops/partners/${endpointId}/deliveries?${q}`);
    for (const d of page.items as { attempts: { run: number; n: number; error?: string }[] }[]) {
      const first = d.attempts.find((a) => a.run === 1 && a.n === 1);
      if (!first) out.unrecorded++;
      else if (/circuit open/.test(first.error ?? '')) out.notSentCircuitOpen++;
      else if (/^not sent/.test(first.error ?? '')) out.notSentSlow++;
      else out.timedOut++;
    }
    cursor = page.cursor as string | undefined;
  } while (cursor);
  return out;
}

async function phase(
  host: SpawnedHost,
  op: string,
  bookings: CosmosBookingStore,
  show: Show,
  tag: string,
  hanging: boolean,
): Promise<Phase> {
  const receivers = await Promise.all(Array.from({ length: ENDPOINTS }, (_, i) => receiver(hanging && i === 0)));
  const ids: string[] = [];
  for (const [i, r] of receivers.entries()) {
    const created = await hostCall(host, op, 'POST', '/api/ops/partners', {
      name: `bench ${tag} ${i}`,
      url: r.url,
      partnerId: 'bench-partner',
      events: ['booking.confirmed'],
    });
    ids.push(created.endpoint.id as string);
  }
  const docs = Array.from({ length: EVENTS }, (_, n) => confirmedBooking(show, n, tag));
  for (let i = 0; i < docs.length; i += 100) await Promise.all(docs.slice(i, i + 100).map((d) => bookings.create(d)));
  // The dispatcher keeps the endpoint list for 2 s: let it see the new ones.
  await new Promise((r) => setTimeout(r, 2500));

  const healthy = hanging ? receivers.slice(1) : receivers;
  const expected = healthy.length * EVENTS;
  const published = new Map<string, number>();
  const cpu0 = cpuSnapshot(host);
  const started = Date.now();
  for (let i = 0; i < docs.length; i += PUBLISH_BATCH) {
    if (RATE) {
      const due = started + (i / RATE) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    const slice = docs.slice(i, i + PUBLISH_BATCH);
    const batch = slice.map((d) => {
      const event = buildEvent(d, { type: 'booking.confirmed', bookingId: d.id, userId: d.userId })!;
      return { body: event, messageId: event.id };
    });
    const at = Date.now();
    await hostCall(host, undefined, 'POST', '/.local/servicebus/topics/booking-events/messages', batch);
    for (const d of slice) published.set(d.id, at);
  }
  const count = () => healthy.reduce((n, r) => n + r.arrivals.size, 0);
  const deadline = Date.now() + 10 * 60_000;
  while (count() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const last = Math.max(...healthy.flatMap((r) => [...r.arrivals.values()]));
  const cpu1 = cpuSnapshot(host);
  const latencies = healthy.flatMap((r) => [...r.arrivals].map(([id, at]) => at - published.get(id)!));
  const seconds = (last - started) / 1000;
  const delivered = count();
  // The log is read after the phase, on a host that may still be draining retries: a read that
  // fails (503 on a saturated machine) leaves the hanging figures out, not the healthy ones.
  const hangingLog = hanging
    ? await hangingFigures(host, op, ids[0]!, receivers[0]!.arrivals.size).catch((err: Error) => {
        process.stderr.write(`hanging endpoint's log not read: ${err.message.slice(0, 200)}\n`);
        return undefined;
      })
    : undefined;
  for (const id of ids) await hostCall(host, op, 'PATCH', `/api/ops/partners/${id}`, { status: 'disabled' });
  for (const r of receivers) r.server.closeAllConnections();
  await Promise.all(receivers.map((r) => new Promise((res) => r.server.close(res))));
  if (delivered < expected) throw new Error(`only ${delivered} of ${expected} deliveries arrived`);
  const emulators = Object.entries(cpu1)
    .filter(([k]) => k !== 'host')
    .reduce((n, [k, v]) => n + v - (cpu0[k] ?? 0), 0);
  return {
    healthy: {
      endpoints: healthy.length,
      deliveries: delivered,
      seconds,
      deliveriesPerSecond: Math.round(delivered / seconds),
      p50Ms: pct(latencies, 50),
      p99Ms: pct(latencies, 99),
    },
    ...(hangingLog ? { hanging: hangingLog } : {}),
    hostCpuMsPerDelivery: Math.round(((cpu1.host! - cpu0.host!) / delivered) * 100) / 100,
    emulatorCpuMsPerDelivery: Math.round((emulators / delivered) * 100) / 100,
  };
}

export async function run() {
  // Three minutes to start: its own emulators come up first, slowly on a busy machine.
  const { host, database } = await spawnDemoHost({ PARTNER_WEBHOOK_ALLOW_LOOPBACK: 'true' }, 180_000);
  try {
    const op = (await hostCall(host, undefined, 'POST', '/.identity/token', { sub: 'bench-op', roles: ['operator'] }))
      .access_token as string;
    const cosmos = createCosmos({ endpoint: host.env.COSMOS_ENDPOINT!, key: 'bench', database, timeoutMs: 10_000 });
    const catalog = new CatalogService(cosmosCatalogStore(cosmos), Date.now);
    const date = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
    const show = (await catalog.dayOfShows('blr', date))[0]!;
    const bookings = new CosmosBookingStore(cosmos);
    const loadBefore = loadavg()[0]!;
    const all = await phase(host, op, bookings, show, 'a', false);
    process.stdout.write(`all healthy: ${JSON.stringify(all)}\n`);
    const isolated = await phase(host, op, bookings, show, 'b', true);
    process.stdout.write(`one endpoint hanging: ${JSON.stringify(isolated)}\n`);
    const loadAfter = loadavg()[0]!;
    process.stdout.write(sideBySide(all, isolated, [loadBefore, loadAfter]));
    return {
      events: EVENTS,
      endpoints: ENDPOINTS,
      eventsPerSecond: RATE ?? 'burst',
      allHealthy: all,
      oneHanging: isolated,
      // Isolation: the healthy endpoints' p50/p99 with a hanging neighbour, relative to without.
      p50GrowthWithHangingEndpoint: Math.round((isolated.healthy.p50Ms / all.healthy.p50Ms) * 100) / 100,
      p99GrowthWithHangingEndpoint: Math.round((isolated.healthy.p99Ms / all.healthy.p99Ms) * 100) / 100,
      machineLoad1m: [loadBefore, loadAfter].map((l) => Math.round(l * 10) / 10),
    };
  } catch (err) {
    // The host's own lines say why an answer failed; the bench's error alone names only the route.
    process.stderr.write(`host log (last 8 KB):\n${host.output().slice(-8192)}\n`);
    throw err;
  } finally {
    await host.stop();
  }
}

/** The two phases in columns, per endpoint group. */
function sideBySide(a: Phase, b: Phase, load: number[]): string {
  const rows: [string, string | number, string | number][] = [
    [`healthy group: endpoints`, a.healthy.endpoints, b.healthy.endpoints],
    ['healthy group: deliveries', a.healthy.deliveries, b.healthy.deliveries],
    ['healthy group: deliveries/s', a.healthy.deliveriesPerSecond, b.healthy.deliveriesPerSecond],
    ['healthy group: p50 ms (publish → receiver)', a.healthy.p50Ms, b.healthy.p50Ms],
    ['healthy group: p99 ms (publish → receiver)', a.healthy.p99Ms, b.healthy.p99Ms],
    ['hanging endpoint: requests sent (all timed out)', '-', b.hanging?.requests ?? '-'],
    ['hanging endpoint: 1st attempts timed out', '-', b.hanging?.timedOut ?? '-'],
    ['hanging endpoint: 1st attempts not sent, circuit open', '-', b.hanging?.notSentCircuitOpen ?? '-'],
    ['hanging endpoint: 1st attempts not sent, slots taken', '-', b.hanging?.notSentSlow ?? '-'],
    ['hanging endpoint: no attempt recorded yet', '-', b.hanging?.unrecorded ?? '-'],
    ['host CPU ms per healthy delivery', a.hostCpuMsPerDelivery, b.hostCpuMsPerDelivery],
    ['emulators CPU ms per healthy delivery', a.emulatorCpuMsPerDelivery, b.emulatorCpuMsPerDelivery],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  const line = (c: [string, string | number, string | number]) =>
    `${c[0].padEnd(w)}  ${String(c[1]).padStart(12)}  ${String(c[2]).padStart(12)}`;
  return [
    '',
    `${EVENTS} events × ${ENDPOINTS} endpoints, ${RATE ? `${RATE} events/s` : 'published at once'}; machine load (1 min) ${load.map((l) => l.toFixed(1)).join(' → ')}`,
    line(['', 'all healthy', 'one hanging']),
    ...rows.map(line),
    '',
  ].join('\n');
}
