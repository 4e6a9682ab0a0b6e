// Catalog and inventory under load, side by side with a bare node:http server answering the same
// bytes, in one run (autocannon, 50 connections):
//   1. GET /api/shows/{id}/seats of a ~300-seat show   (bar: ≥ half the bare rate, ≥ 10,000 req/s, p99 < 25 ms)
//   2. the same with If-None-Match → 304               (same bars)
//   3. GET /api/shows?city=…&date=…                    (bar: ≥ 3,000 req/s, p99 < 50 ms)
//   4. hot show: 1,000 simulated users race for the seats of one show through the inventory service
//      (two service instances, real SDK, the host's Cosmos server): ≥ 100 successful holds/s,
//      p50/p99 hold latency < 500 ms, zero seats sold twice; time to sell out, mean retries per hold.
//   Host RSS under load < 400 MB.
//   5. rate limits off vs on for GET seats: a second demo host with RATE_LIMIT_ENABLED=false, both
//      loaded in interleaved rounds (bench/support/limits-ab.ts; bar: ≤ 5 % CPU per request added).
//      BENCH_LIMITS_AB=0 leaves it out.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpuMs, rssMiB } from './support/proc.js';
import { createCosmos } from '../shared/adapters/cosmos/client.js';
import { cosmosCatalogStore } from '../shared/adapters/cosmos/catalog-store.js';
import { cosmosInventoryStore } from '../shared/adapters/cosmos/inventory-store.js';
import { CatalogService } from '../shared/catalog/service.js';
import { InventoryService } from '../shared/inventory/service.js';
import { FREE } from '../shared/contracts/seats.js';
import { createRandom } from '../shared/demo/random.js';
import { AppError } from '../shared/errors.js';
import { spawnDemoHost } from './support/standalone.js';
import { abLines, limitsAb, limitsAbEnabled, type AbResult } from './support/limits-ab.js';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const USERS = 1000;

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (o: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

export interface Load {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Answers other than the expected status. */
  unexpected: number;
  /** The serving process's CPU time per request (user + system): less disturbed by other load than req/s. */
  cpuUsPerRequest?: number;
}

async function load(
  url: string,
  expect: number,
  headers?: Record<string, string>,
  seconds = SECONDS,
  pid?: number,
): Promise<Load> {
  const before = pid === undefined ? undefined : cpuMs(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  const after = pid === undefined ? undefined : cpuMs(pid);
  const expected = r.statusCodeStats?.[String(expect)]?.count ?? 0;
  const all = Object.values(r.statusCodeStats ?? {}).reduce((n, s) => n + s.count, 0);
  const cpuUsPerRequest =
    before !== undefined && after !== undefined && all > 0 ? Math.round(((after - before) * 1000) / all) : undefined;
  return {
    reqPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    unexpected: all - expected,
    cpuUsPerRequest,
  };
}

export interface HotShowResult {
  users: number;
  seats: number;
  successfulHolds: number;
  seatsHeld: number;
  holdsPerSec: number;
  sellOutMs: number | undefined;
  p50Ms: number;
  p99Ms: number;
  meanRetries: number;
  busy: number;
  soldTwice: number;
}

export interface InventoryBenchResult {
  showId: string;
  seatCount: number;
  seatsBodyBytes: number;
  bareSeats: Load;
  hostSeats: Load;
  host304: Load;
  bareSearch: Load;
  hostSearch: Load;
  hot: HotShowResult;
  hostRssMaxMiB: number | undefined;
  /** GET seats with the rate limits off vs on (two hosts, interleaved rounds). */
  rateLimit?: AbResult;
  pass: Record<string, boolean>;
}

/** A show tomorrow whose screen is closest to 300 seats, as the host's catalog has it. */
async function pickShow(endpoint: string, database: string) {
  const cosmos = createCosmos({ endpoint, key: 'bench', database, timeoutMs: 10_000 });
  const catalog = new CatalogService(cosmosCatalogStore(cosmos), Date.now);
  const date = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
  const shows = await catalog.dayOfShows('mum', date);
  const withSize = await Promise.all(
    shows.map(async (s) => ({ s, n: (await catalog.layout(s.layoutId))!.layout.seatCount })),
  );
  const { s: show, n: seatCount } = withSize
    .filter((x) => x.s.venueId !== 'ven-mum-arena')
    .sort((a, b) => Math.abs(a.n - 300) - Math.abs(b.n - 300) || a.s.id.localeCompare(b.s.id))[0]!;
  return { cosmos, catalog, date, show, seatCount };
}

export async function run(): Promise<InventoryBenchResult> {
  const { host, database } = await spawnDemoHost();
  const bare = spawn(process.execPath, ['-e', BARE], { stdio: ['pipe', 'pipe', 'inherit'] });
  let rssMax: number | undefined;
  const sampler = setInterval(() => {
    const v = rssMiB(host.child.pid!);
    if (v !== undefined) rssMax = Math.max(rssMax ?? 0, v);
  }, 250);
  try {
    const { cosmos, catalog, date, show, seatCount } = await pickShow(host.env.COSMOS_ENDPOINT!, database);
    const seatsUrl = `${host.origin}/api/shows/${show.id}/seats`;
    const searchUrl = `${host.origin}/api/shows?city=mum&date=${date}`;
    const seatsRes = await fetch(seatsUrl);
    const seatsBody = await seatsRes.text();
    const etag = seatsRes.headers.get('etag')!;
    const searchBody = await (await fetch(searchUrl)).text();

    const [line] = (await once(bare.stdout!, 'data')) as [Buffer];
    const port = /PORT (\d+)/.exec(line.toString())![1];
    bare.stdin!.write(JSON.stringify({ seats: seatsBody, search: searchBody }) + '\n');
    await once(bare.stdout!, 'data');
    const bareSeatsUrl = `http://127.0.0.1:${port}/seats`;
    const bareSearchUrl = `http://127.0.0.1:${port}/search`;
    if ((await (await fetch(bareSeatsUrl)).text()) !== seatsBody)
      throw new Error('bare server answers different bytes');

    for (const u of [bareSeatsUrl, seatsUrl, searchUrl]) await load(u, 200, undefined, 1); // warm-up
    const hostPid = host.child.pid!;
    const bareSeats = await load(bareSeatsUrl, 200, undefined, SECONDS, bare.pid);
    const hostSeats = await load(seatsUrl, 200, undefined, SECONDS, hostPid);
    const host304 = await load(seatsUrl, 304, { 'if-none-match': etag }, SECONDS, hostPid);
    const bareSearch = await load(bareSearchUrl, 200, undefined, SECONDS, bare.pid);
    const hostSearch = await load(searchUrl, 200, undefined, SECONDS, hostPid);

    const rateLimit = limitsAbEnabled() ? await limiterCost() : undefined;

    const hot = await hotShow(cosmos, catalog, show.id, seatCount);
    const pass = {
      seats:
        hostSeats.reqPerSec >= bareSeats.reqPerSec / 2 &&
        hostSeats.reqPerSec >= 10_000 &&
        hostSeats.p99Ms < 25 &&
        hostSeats.unexpected === 0,
      seats304: host304.reqPerSec >= 10_000 && host304.p99Ms < 25 && host304.unexpected === 0,
      search: hostSearch.reqPerSec >= 3000 && hostSearch.p99Ms < 50 && hostSearch.unexpected === 0,
      hot: hot.holdsPerSec >= 100 && hot.p99Ms < 500 && hot.soldTwice === 0,
      memory: (rssMax ?? Infinity) < 400,
      ...(rateLimit ? { rateLimit: rateLimit.addedCpuPercent <= 5 && rateLimit.on.unexpected === 0 } : {}),
    };
    const result: InventoryBenchResult = {
      showId: show.id,
      seatCount,
      seatsBodyBytes: Buffer.byteLength(seatsBody),
      bareSeats,
      hostSeats,
      host304,
      bareSearch,
      hostSearch,
      hot,
      hostRssMaxMiB: rssMax,
      rateLimit,
      pass,
    };
    report(result);
    return result;
  } finally {
    clearInterval(sampler);
    bare.kill();
    await host.stop();
  }
}

/**
 * GET seats on two fresh demo hosts alike but for RATE_LIMIT_ENABLED (both fresh, as in
 * bench/http.ts: the host measured above has done more work, which skews a like-for-like figure).
 */
async function limiterCost(): Promise<AbResult> {
  const [off, on] = await Promise.all(
    ['false', 'true'].map((enabled) => spawnDemoHost({ RATE_LIMIT_ENABLED: enabled }, 180_000)),
  );
  try {
    const urls = await Promise.all(
      [off!, on!].map(async ({ host, database }) => {
        const { show } = await pickShow(host.env.COSMOS_ENDPOINT!, database);
        return `${host.origin}/api/shows/${show.id}/seats`;
      }),
    );
    const [a, b] = await Promise.all(urls.map(async (u) => (await fetch(u)).text()));
    // The demo data is generated from a seed, so the two hosts serve the same show and seat map.
    if (a !== b) process.stdout.write('  (note: the two hosts answer different seat maps)\n');
    return await limitsAb(
      { url: urls[0]!, pid: off!.host.child.pid!, status: 200 },
      { url: urls[1]!, pid: on!.host.child.pid!, status: 200 },
      CONNECTIONS,
    );
  } finally {
    await Promise.all([off!.host.stop(), on!.host.stop()]);
  }
}

/** 1,000 users, each with a ≤ 1 s old seat map, grab 1–4 free seats together until none are left. */
async function hotShow(
  cosmos: ReturnType<typeof createCosmos>,
  catalog: CatalogService,
  showId: string,
  seatCount: number,
): Promise<HotShowResult> {
  const store = cosmosInventoryStore(cosmos.container('inventory'));
  const instances = [0, 1].map(
    () => new InventoryService({ store, lookup: (id) => catalog.showWithLayout(id), clock: Date.now }),
  );
  const { index } = (await catalog.showWithLayout(showId))!;
  const rnd = createRandom('hot-show');
  const latencies: number[] = [];
  const owners = new Map<string, string>();
  let soldTwice = 0;
  let retries = 0;
  let busy = 0;
  let successful = 0;
  let soldOutAt: number | undefined;
  const started = Date.now();

  const user = async (u: number) => {
    const inv = instances[u % instances.length]!;
    const want = rnd.int(1, 4);
    for (let attempt = 0; attempt < 20; attempt++) {
      const view = (await inv.availability(showId))!.encoded;
      const free = index.seats.filter((s) => view[s.index] === FREE);
      if (!free.length) return;
      const first = free[Math.floor(rnd.next() * free.length)]!;
      const pick = free
        .filter((s) => s.sectionId === first.sectionId && s.row === first.row && s.index >= first.index)
        .slice(0, want)
        .map((s) => s.id);
      const t0 = Date.now();
      try {
        const r = await inv.hold(showId, pick, `hot-${u}-${attempt}`, `user-${u}`, 600);
        latencies.push(Date.now() - t0);
        if (r.ok) {
          successful++;
          retries += r.attempts - 1;
          for (const id of r.seatIds) {
            if (owners.has(id)) soldTwice++;
            owners.set(id, r.holdId);
          }
          if (owners.size === seatCount && soldOutAt === undefined) soldOutAt = Date.now();
          return;
        }
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'INVENTORY_BUSY')) throw err;
        busy++;
      }
      await new Promise((r) => setTimeout(r, 50 + rnd.int(0, 200)));
    }
  };
  await Promise.all(Array.from({ length: USERS }, (_, u) => user(u)));
  const elapsed = (soldOutAt ?? Date.now()) - started;
  // Cross-check the stored sections: every held seat belongs to the hold we were told succeeded.
  for (const section of index.layout.sections) {
    const stored = await store.read(showId, section.id);
    for (const [id, st] of Object.entries(stored?.doc.seats ?? {}))
      if (st.s === 'held' && owners.get(id) !== st.holdId) soldTwice++;
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    users: USERS,
    seats: seatCount,
    successfulHolds: successful,
    seatsHeld: owners.size,
    holdsPerSec: Math.round((successful / elapsed) * 1000),
    sellOutMs: soldOutAt === undefined ? undefined : soldOutAt - started,
    p50Ms: pct(50),
    p99Ms: pct(99),
    meanRetries: Math.round((retries / Math.max(1, successful)) * 100) / 100,
    busy,
    soldTwice,
  };
}

const BARE = `
let bodies;
process.stdin.once('data', (d) => { const j = JSON.parse(d.toString()); bodies = { '/seats': Buffer.from(j.seats), '/search': Buffer.from(j.search) }; console.log('READY'); });
require('node:http').createServer((req, res) => {
  const body = bodies[req.url];
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, etag: '"x"', 'cache-control': 'public, max-age=1' });
  res.end(body);
}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });
process.stdin.on('end', () => process.exit(0));`;

function report(r: InventoryBenchResult): void {
  const row = (name: string, l: Load) =>
    `  ${name.padEnd(26)} ${String(l.reqPerSec).padStart(7)} req/s   p50 ${String(l.p50Ms).padStart(3)} ms   p99 ${String(l.p99Ms).padStart(3)} ms   server CPU ${l.cpuUsPerRequest ?? '?'} µs/req   errors ${l.errors}  unexpected ${l.unexpected}`;
  const ok = (b: boolean) => (b ? 'PASS' : 'FAIL');
  const h = r.hot;
  process.stdout.write(
    [
      `Inventory: autocannon, ${CONNECTIONS} connections, ${SECONDS} s each; show ${r.showId} (${r.seatCount} seats, seat map ${r.seatsBodyBytes} bytes)`,
      row('bare seats', r.bareSeats),
      row('host GET seats', r.hostSeats),
      row('host GET seats → 304', r.host304),
      `  seats: ratio ${(r.hostSeats.reqPerSec / r.bareSeats.reqPerSec).toFixed(2)} (bar ≥ 0.5, ≥ 10,000 req/s, p99 < 25 ms) → ${ok(r.pass.seats!)}; 304 → ${ok(r.pass.seats304!)}`,
      row('bare search', r.bareSearch),
      row('host GET shows search', r.hostSearch),
      `  search: bar ≥ 3,000 req/s, p99 < 50 ms → ${ok(r.pass.search!)}`,
      `  hot show: ${h.users} users, ${h.successfulHolds} holds for ${h.seatsHeld}/${h.seats} seats, ${h.holdsPerSec} holds/s, sold out in ${h.sellOutMs ?? 'n/a'} ms, hold p50 ${h.p50Ms} ms p99 ${h.p99Ms} ms, mean retries ${h.meanRetries}, busy ${h.busy}, sold twice ${h.soldTwice} → ${ok(r.pass.hot!)}`,
      `  host RSS max under load ${r.hostRssMaxMiB ?? '?'} MiB (bar < 400) → ${ok(r.pass.memory!)}`,
      ...(r.rateLimit ? abLines('GET seats', r.rateLimit) : []),
    ].join('\n') + '\n',
  );
}

if (require.main === module) void run().then((r) => process.exit(Object.values(r.pass).every(Boolean) ? 0 : 1));
