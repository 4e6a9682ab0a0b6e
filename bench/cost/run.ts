// `npm run cost`: what one booking and one seat-map read make the Azure services do, and what that
// costs (docs/capacity.md, Cost per booking). It starts a local host on the demo data (its own
// emulators), books N pairs of seats the way a user does over HTTP — POST /api/bookings, follow
// the payment link, pay at the simulator's checkout, read the booking until `confirmed` — and reads
// a show's seat map, with the host's usage meter (GET /.local/usage, local/core/usage.ts) reset
// before each phase. Counts are divided by the confirmed bookings (or the reads) after taking off
// what the idle host does in the same time (timers, change-feed polls), then priced
// (bench/cost/prices.ts, bench/cost/model.ts). Settings: COST_BOOKINGS (20), COST_CONCURRENCY (5),
// COST_READS (2000), COST_POLL_MS (1000: how often a waiting user reads the booking), COST_VIEWERS
// (10 seat-map pages connected to the show's realtime channel while it sells).
import { randomUUID } from 'node:crypto';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import type { UsageCounters } from '../../local/core/usage.js';
import type { SpawnedHost } from '../../test/support/spawn-host.js';
import { hostCall, type Json } from '../support/host-call.js';
import { createBenchScreen, createBenchShow, type OperatorPost } from '../support/bench-catalog.js';
import { cpuMs } from '../support/proc.js';
import { spawnDemoHost } from '../support/standalone.js';
import { costLines, f, total, type CostLine, type PerUnit } from './model.js';
import { PRICES, UTILIZATION } from './prices.js';

const BOOKINGS = Number(process.env.COST_BOOKINGS ?? 20);
const CONCURRENCY = Number(process.env.COST_CONCURRENCY ?? 5);
const READS = Number(process.env.COST_READS ?? 2000);
const POLL_MS = Number(process.env.COST_POLL_MS ?? 1000);
/** Pages watching the show's seat map over Web PubSub while it sells: deliveries per booking are per viewer × this. */
const VIEWERS = Number(process.env.COST_VIEWERS ?? 10);
/** Seat-map reads spaced past the app's 1 s snapshot cache (AVAILABILITY_CACHE_MS): each one a miss. */
const COLD_READS = 5;

type Usage = UsageCounters & { durableActions: number; since: string; now: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(host: SpawnedHost, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(host.origin + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
}

/** A 200-seat show `hoursAhead` from now (bench/support/bench-catalog.ts; one screen per call). */
async function setupShow(host: SpawnedHost, op: string, hoursAhead: number): Promise<string> {
  const post: OperatorPost = async (path, body) => (await hostCall(host, op, 'POST', path, body)) as { id: string };
  return createBenchShow(post, await createBenchScreen(post, 'Cost'), hoursAhead);
}

/** One user: book two seats, pay at the checkout, read the booking until confirmed. Resolves to the reads made. */
async function book(host: SpawnedHost, token: string, showId: string, seats: string[]): Promise<number | undefined> {
  let reads = 0;
  let r = await send(host, token, 'POST', '/api/bookings', { showId, seatIds: seats });
  const id = (r.body.bookingId ?? r.body.id) as string;
  const t0 = Date.now();
  while (!r.body.paymentUrl && r.status < 400 && Date.now() - t0 < 60_000) {
    await sleep(POLL_MS);
    r = await send(host, token, 'GET', `/api/bookings/${id}`);
    reads++;
  }
  if (!r.body.paymentUrl) return undefined;
  const link = await fetch(r.body.paymentUrl as string, { redirect: 'manual' });
  await link.arrayBuffer();
  if (link.status !== 303) return undefined;
  const page = new URL(link.headers.get('location')!, r.body.paymentUrl as string).toString();
  const pay = await fetch(page, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'action=pay',
  });
  await pay.arrayBuffer();
  const t1 = Date.now();
  while (Date.now() - t1 < 60_000) {
    await sleep(POLL_MS);
    const b = await send(host, token, 'GET', `/api/bookings/${id}`);
    reads++;
    if (b.body.status === 'confirmed') return reads;
  }
  return undefined;
}

async function usage(host: SpawnedHost, reset = false): Promise<Usage> {
  return (await hostCall(host, undefined, reset ? 'POST' : 'GET', `/.local/usage${reset ? '/reset' : ''}`)) as Usage;
}

/** Waits until the saga tails (events, notifications) are done: no new executions for 3 s (30 s at most). */
async function settle(host: SpawnedHost): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 30 && still < 3; i++) {
    const u = await usage(host);
    const n = Object.values(u.functions).reduce((a, b) => a + b, 0) + u.serviceBus.completed + u.durable.episodes;
    still = n === last ? still + 1 : 0;
    last = n;
    await sleep(1000);
  }
}

/** a − b × k, field by field (numbers only), floored at 0: the run minus what the idle host did in as long. */
function minus(a: unknown, b: unknown, k: number): unknown {
  if (typeof a === 'number') return Math.max(0, a - (typeof b === 'number' ? b : 0) * k);
  if (a && typeof a === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(a)) out[key] = minus(v, (b as Record<string, unknown> | undefined)?.[key], k);
    return out;
  }
  return a;
}

function scale(a: unknown, k: number): unknown {
  if (typeof a === 'number') return a * k;
  if (a && typeof a === 'object') return Object.fromEntries(Object.entries(a).map(([key, v]) => [key, scale(v, k)]));
  return a;
}

const seconds = (u: Usage) => (Date.parse(u.now) - Date.parse(u.since)) / 1000;
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/**
 * The RU of a unit of work: every request but the host's change-feed polls — real charges when the
 * account reports them (a real Cosmos DB account), the estimate otherwise — plus what the change
 * feed costs on Azure: each document written to a monitored container read once, 1 RU per KB
 * [inference]. The host's poller re-reads a second's changes and polls far more often than the
 * extension's 5 s, so its own requests say little about Azure.
 */
/** The containers the host's change feed reads (its polls show in any snapshot, idle or not). */
const monitored = new Set<string>();

export function ruOf(u: Usage): { ru: number; changeFeedRu: number } {
  const cosmos = Object.entries(u.cosmos)
    .filter(([op]) => op !== 'changeFeed')
    .map(([, c]) => c);
  const charged = cosmos.reduce((a, c) => a + c.ruCharged, 0);
  const changeFeedRu = Object.entries(u.cosmosContainers)
    .filter(([name]) => monitored.has(name))
    .reduce((a, [, k]) => a + k.writeBytes / 1024, 0);
  return { ru: (charged > 0 ? charged : cosmos.reduce((a, c) => a + c.ruEstimated, 0)) + changeFeedRu, changeFeedRu };
}

function perUnit(u: Usage, cpuSeconds: number): PerUnit {
  return {
    executions: sum(u.functions),
    cpuSeconds,
    ru: ruOf(u).ru,
    durableActions: u.durableActions,
    storageTransactions: u.storage.table,
    serviceBusOperations: u.serviceBus.sent + u.serviceBus.received,
    webPubSubBillable: u.webPubSub.billableMessages,
    emails: u.communication.emailRecipients,
    sms: u.communication.sms,
  };
}

function printCounts(title: string, u: Usage): void {
  console.log(`\n${title}`);
  console.log(`  function executions: ${fmt(u.functions)}`);
  // The host's change-feed polls are shown for the idle host only (ruOf says why).
  const ops = Object.entries(u.cosmos).filter(
    ([op, c]) => (c.requests >= 0.005 || c.ruEstimated >= 0.005) && (op !== 'changeFeed' || title.startsWith('Idle')),
  );
  for (const [op, c] of ops)
    console.log(
      `  cosmos ${op.padEnd(10)} ${f(c.requests).padStart(6)} req  ${f(c.requestBytes / Math.max(1, c.requests)).padStart(6)} B sent  ${f(c.responseBytes / Math.max(1, c.requests)).padStart(6)} B back  ${f(c.ruEstimated).padStart(6)} RU est.${c.ruCharged ? `  ${f(c.ruCharged)} RU charged` : ''}`,
    );
  const { ru, changeFeedRu } = ruOf(u);
  console.log(
    `  cosmos RU: ${f(ru)} (the host's change-feed polls left out; the feed on Azure: ${f(changeFeedRu)} RU for the documents written to monitored containers)`,
  );
  const containers = Object.entries(u.cosmosContainers).filter(([, k]) => k.requests >= 0.005 || k.changeFeedReads > 0);
  for (const [name, k] of containers)
    console.log(
      `    ${name.padEnd(26)} ${f(k.requests).padStart(6)} req  ${f(k.writes).padStart(6)} writes  ${f(k.ruEstimated).padStart(6)} RU est.${monitored.has(name) ? '  (its change feed is read)' : ''}`,
    );
  console.log(`  durable: ${fmt(u.durable)}  → ${f(u.durableActions)} DTS actions`);
  console.log(`  storage calls (Azurite): ${fmt(u.storage)}`);
  console.log(`  service bus: ${fmt(u.serviceBus)}`);
  console.log(`  web pubsub: ${fmt(u.webPubSub)}`);
  console.log(`  communication: ${fmt(u.communication)}`);
  console.log(`  outgoing HTTP by destination: ${fmt(u.http)}`);
}

function fmt(o: Record<string, number>): string {
  return Object.entries(o)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${f(v)}`)
    .join(', ');
}

function printCost(title: string, u: PerUnit): { serverless: number; autoscale: number } {
  const { common, serverless, autoscale } = costLines(u);
  console.log(`\n${title} — $ per 1,000,000`);
  const line = (l: CostLine) =>
    console.log(
      `  ${l.service.padEnd(54)} ${(l.perMillion === undefined ? 'n/a' : `$${f(l.perMillion)}`).padStart(9)}  ${l.how}`,
    );
  for (const l of [...common, serverless, autoscale]) line(l);
  const totals = { serverless: total([...common, serverless]), autoscale: total([...common, autoscale]) };
  console.log(
    `  TOTAL with Cosmos serverless: $${f(totals.serverless)}   with Cosmos autoscale: $${f(totals.autoscale)}`,
  );
  return totals;
}

export async function run(): Promise<void> {
  const { host } = await spawnDemoHost({ HOLD_TTL_SECONDS: '120' }, 180_000);
  try {
    const op = (await hostCall(host, undefined, 'POST', '/.identity/token', { sub: 'cost-op', roles: ['operator'] }))
      .access_token as string;
    const users = await Promise.all(
      Array.from({ length: Math.max(CONCURRENCY, 2) }, async (_, i) => {
        const r = await hostCall(host, undefined, 'POST', '/.identity/token', {
          sub: `cost-user-${i}`,
          roles: ['customer'],
        });
        return r.access_token as string;
      }),
    );
    const warm = await setupShow(host, op, 48);
    const showId = await setupShow(host, op, 52);
    const seatsOf = (i: number) => {
      const row = 'ABCDEFGHIJ'[Math.floor(i / 10) % 10]!;
      const n = (i % 10) * 2 + 1;
      return [`${row}${n}`, `${row}${n + 1}`];
    };
    // Seat-map pages open on the show, connected as the browser connects (negotiate over HTTP).
    const viewers = await Promise.all(
      Array.from({ length: VIEWERS }, async () => {
        const client = new WebPubSubClient({
          getClientAccessUrl: async () =>
            ((await (await fetch(`${host.origin}/api/realtime/negotiate?showId=${showId}`)).json()) as { url: string })
              .url,
        });
        await client.start();
        return client;
      }),
    );
    // Warm-up: the first bookings read the account, containers and partition maps once per client.
    await Promise.all([0, 1].map((i) => book(host, users[i]!, warm, seatsOf(i))));
    await settle(host);

    // What the host does with nothing to do (timers, change-feed polls), per second.
    await usage(host, true);
    const cpuIdle0 = cpuMs(host.child.pid!) ?? 0;
    await sleep(5000);
    const idle = await usage(host);
    /** The idle host's CPU seconds per second, taken off each phase's CPU like its counts. */
    const idleCpu = ((cpuMs(host.child.pid!) ?? 0) - cpuIdle0) / 1000 / seconds(idle);
    const busyCpu = (from: number, u: Usage) =>
      Math.max(0, ((cpuMs(host.child.pid!) ?? 0) - from) / 1000 - idleCpu * seconds(u));
    for (const [name, k] of Object.entries(idle.cosmosContainers)) if (k.changeFeedReads > 0) monitored.add(name);
    const idleRate = scale(idle, 1 / seconds(idle)) as Usage;

    await usage(host, true);
    const cpu0 = cpuMs(host.child.pid!) ?? 0;
    let next = 0;
    let confirmed = 0;
    let reads = 0;
    await Promise.all(
      users.slice(0, CONCURRENCY).map(async (token) => {
        while (next < Math.min(BOOKINGS, 100)) {
          const i = next++;
          const r = await book(host, token, showId, seatsOf(i));
          if (r === undefined) continue;
          confirmed++;
          reads += r;
        }
      }),
    );
    await settle(host);
    const raw = await usage(host);
    const cpuBooking = busyCpu(cpu0, raw);
    if (confirmed === 0) throw new Error('no booking was confirmed');
    const booked = scale(minus(raw, idleRate, seconds(raw)), 1 / confirmed) as Usage;
    for (const v of viewers) v.stop();
    booked.durableActions = raw.durableActions / confirmed;

    // Seat-map reads: a burst (the app's snapshot cache answers most) and reads spaced past the cache.
    await usage(host, true);
    const cpu1 = cpuMs(host.child.pid!) ?? 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (done < READS) {
          done++;
          const r = await fetch(`${host.origin}/api/shows/${showId}/seats`);
          await r.arrayBuffer();
        }
      }),
    );
    const hotRaw = await usage(host);
    const cpuRead = busyCpu(cpu1, hotRaw);
    const hot = scale(minus(hotRaw, idleRate, seconds(hotRaw)), 1 / READS) as Usage;
    await usage(host, true);
    const cpu2 = cpuMs(host.child.pid!) ?? 0;
    for (let i = 0; i < COLD_READS; i++) {
      await sleep(1100);
      await (await fetch(`${host.origin}/api/shows/${showId}/seats`)).arrayBuffer();
    }
    const coldRaw = await usage(host);
    const cpuCold = busyCpu(cpu2, coldRaw);
    const cold = scale(minus(coldRaw, idleRate, seconds(coldRaw)), 1 / COLD_READS) as Usage;

    const perViewer = VIEWERS ? booked.webPubSub.delivered / VIEWERS : 0;
    console.log(
      `npm run cost — ${VIEWERS} seat-map pages watching; ${confirmed} of ${BOOKINGS} bookings confirmed (${CONCURRENCY} at a time, booking read every ${POLL_MS} ms: ${f(reads / confirmed)} reads per booking), ${READS} + ${COLD_READS} seat-map reads`,
    );
    console.log(
      `Host CPU (the idle host's ${f(idleCpu * 1000)} ms/s taken off): ${f((cpuBooking * 1000) / confirmed)} ms per booking, ${f((cpuRead * 1000) / READS)} ms per cached seat-map read, ${f((cpuCold * 1000) / COLD_READS)} ms per uncached one`,
    );
    printCounts('Idle host, per second (subtracted below)', idleRate);
    printCounts('Per confirmed booking', booked);
    printCounts('Per seat-map read, burst (cache hits)', hot);
    printCounts('Per seat-map read, each past the 1 s cache (a miss)', cold);
    console.log(
      `\nWeb PubSub: ${f(perViewer)} deliveries per booking per connected viewer of the show (× V viewers on Azure)`,
    );
    const b = printCost(`Bookings (${VIEWERS} viewers)`, perUnit(booked, cpuBooking / confirmed));
    const h = printCost('Seat-map reads (burst)', perUnit(hot, cpuRead / READS));
    const c = printCost('Seat-map reads (each a cache miss)', perUnit(cold, cpuCold / COLD_READS));
    console.log(
      `\nSummary ($ per 1M, serverless / autoscale at ${UTILIZATION * 100} % use): bookings $${f(b.serverless)} / $${f(b.autoscale)}; seat-map reads cached $${f(h.serverless)} / $${f(h.autoscale)}, uncached $${f(c.serverless)} / $${f(c.autoscale)}`,
    );
    console.log(
      `Prices: bench/cost/prices.ts (read ${PRICES.flexExecutions.read}); RU rules: local/core/cosmos-ru.ts; DTS has no published price.`,
    );
  } finally {
    await host.stop();
  }
}

if (require.main === module)
  run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
