// One chaos run (docs/architecture.md, Tests): start the local host with faults on, set up shows
// (faults paused), drive the load for a bounded time — crashing and restarting the host when the
// run keeps a data folder —, switch faults off and let the system settle, then read the committed
// state (Cosmos, the provider's ledger) and check the invariants (test/chaos/invariants.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import { EMULATOR_KEY } from '../../local/services/cosmos-server.js';
import type { Ledger } from '../../local-plugins/payments/ledger.js';
import type { BookingDoc } from '../../shared/booking/model.js';
import { startChaosHost, type ChaosHost } from './host.js';
import { checkInvariants, type InvariantResult, type SectionSnapshot } from './invariants.js';
import { Client, emptyStats, random, userLoop, type Acknowledged, type LoadShow, type LoadStats } from './load.js';
import { STUCK_GRACE_MS, type ChaosOptions } from './options.js';
import { classicShowPayload, classicVenuePayload, moviePayload } from '../support/catalog-payloads.js';

export interface ChaosReport {
  faults: Record<string, number>;
  invariants: InvariantResult[];
  load: LoadStats;
  bookings: Record<string, number>;
  loadSeconds: number;
  settleSeconds: number;
  restarts: number;
  /** HTTP requests answered per second of load, and bookings confirmed per second. */
  throughput: { requestsPerSecond: number; confirmedPerSecond: number };
  /** The host's log lines about failed invocations (the first few): an HTTP function's explains a 500 in serverErrorsBy. */
  hostErrors: string[];
  /** Bookings still not final when the settle window ended (the first few), with what they went through. */
  unsettled: string[];
}

/** What the app (shared/http/handler.ts) and the local host (local/http, local/core/http-server.ts, a failed trigger) log. */
const FAILURE_LINE = /unhandled error (in|serving)|\b\w+ failed: \w*Error/;

const MASTER_KEY = `chaos-master-${randomUUID()}`;
const DATABASE = 'chaos';
const CITY = 'chaos';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(
  options: ChaosOptions,
  log: (line: string) => void = () => undefined,
): Promise<ChaosReport> {
  const data = mkdtempSync(join(tmpdir(), 'marquee-chaos-'));
  const withData = (env: Record<string, string>) =>
    Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('{data}', data)]));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    MARQUEE_PORT: '0',
    MARQUEE_WEBPUBSUB_PORT: '0',
    MARQUEE_COSMOS_PORT: '0',
    MARQUEE_AZURITE_BLOB_PORT: '0',
    MARQUEE_AZURITE_QUEUE_PORT: '0',
    MARQUEE_AZURITE_TABLE_PORT: '0',
    MARQUEE_LOG_LEVEL: 'error',
    MARQUEE_MASTER_KEY: MASTER_KEY,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    COSMOS_DATABASE: DATABASE,
    DEMO_DATA: 'false',
    LOCAL_FAULTS_SEED: String(options.seed),
    ...options.app,
    ...options.faults,
    // The host's data folder (Azurite, the Cosmos journal, the simulator's books, the keys) in the run's
    // own temporary folder when the run restarts the host; in memory otherwise.
    MARQUEE_DATA_DIR: options.restarts > 0 ? join(data, 'host') : '',
    ...(options.restarts > 0 ? withData(options.dataEnv) : {}),
  };
  delete env.COSMOS_ENDPOINT;
  delete env.COSMOS_KEY;
  log(`starting the host (faults: ${Object.keys(options.faults).length} settings, seed ${options.seed})`);
  const host = await startChaosHost(env);
  try {
    return await drive(host, options, log);
  } finally {
    await host.stop();
    rmSync(data, { recursive: true, force: true });
  }
}

async function drive(host: ChaosHost, options: ChaosOptions, log: (line: string) => void): Promise<ChaosReport> {
  const stats = emptyStats();
  const client = new Client(() => host.origin, stats);
  const admin = { 'x-functions-key': MASTER_KEY };
  const setFaults = async (enabled: boolean) => {
    const r = await client.retrying('POST', '/.local/faults', { headers: admin, body: { enabled } });
    if (r.status !== 200) throw new Error(`POST /.local/faults answered ${r.status}: ${JSON.stringify(r.body)}`);
  };

  await setFaults(false);
  const operator = await token(client, 'chaos-operator', ['operator']);
  const city = await client.retrying('PUT', `/api/cities/${CITY}`, {
    token: operator,
    body: { name: 'Chaos City', timeZone: 'Asia/Kolkata', currency: 'INR' },
  });
  if (city.status >= 300) throw new Error(`PUT /api/cities/${CITY} answered ${city.status}`);
  const shows: LoadShow[] = [];
  for (let i = 0; i < options.shows; i++)
    shows.push(await createShow(client, operator, i % 2 === 0 ? 72 : 10, options.seatsPerShow));
  const users = await Promise.all(
    Array.from({ length: options.users }, (_, i) => token(client, `chaos-user-${i}`, ['customer'])),
  );
  log(`${shows.length} shows, ${users.length} users; load for ${options.durationMs / 1000} s with faults on`);

  await setFaults(true);
  const started = Date.now();
  const end = started + options.durationMs;
  const holdTtlMs = Number(options.app.HOLD_TTL_SECONDS ?? 600) * 1000;
  const acknowledged: Acknowledged = { confirmed: new Set(), paidSessions: new Set() };
  const loops = users.map((t, i) =>
    userLoop({ client, token: t, shows, rng: random(options.seed * 1000 + i), end, holdTtlMs, acknowledged }),
  );
  // Each host process counts its own faults: add up what every process injected.
  const injected: Record<string, number> = {};
  const countFaults = async () => {
    const r = await client.retrying('GET', '/.local/faults', { headers: admin });
    for (const [kind, n] of Object.entries((r.body.counts ?? {}) as Record<string, number>))
      injected[kind] = (injected[kind] ?? 0) + n;
  };
  let restarts = 0;
  const crashes = (async () => {
    for (let n = 1; n <= options.restarts; n++) {
      await sleep(started + (n * options.durationMs) / (options.restarts + 1) - Date.now());
      const what = options.crash === 'group' ? "the host's process group" : 'the host';
      log(`crash ${n}: SIGKILL to ${what}, then a restart on the same data folder`);
      await countFaults(); // the last moment's faults of this process go uncounted
      await host.crash(options.crash);
      await host.restart();
      restarts++;
    }
  })();
  await Promise.all([...loops, crashes]);
  const loadSeconds = (Date.now() - started) / 1000;

  await setFaults(false);
  await countFaults();
  log(`load done in ${loadSeconds.toFixed(1)} s; faults off, settling (up to ${options.settleMs / 1000} s)`);

  const settleStarted = Date.now();
  const shown = { confirmed: [...acknowledged.confirmed], paidSessions: [...acknowledged.paidSessions] };
  const read = async () => ({ ...(await readState(host, client, admin, shows)), acknowledged: shown });
  let state = await read();
  while (Date.now() - settleStarted < options.settleMs) {
    const results = checkInvariants({ ...state, now: Date.now(), graceMs: STUCK_GRACE_MS });
    const unsettled = state.bookings.filter((b) => !['confirmed', 'failed', 'expired', 'cancelled'].includes(b.status));
    if (unsettled.length === 0 && results.every((r) => r.held)) break;
    await sleep(2000);
    state = await read();
  }
  const settleSeconds = (Date.now() - settleStarted) / 1000;
  // Judged at the end of the settle window: anything not final by now is past its deadline + grace.
  const invariants = checkInvariants({ ...state, now: Date.now(), graceMs: STUCK_GRACE_MS });
  const unsettled = state.bookings
    .filter((b) => !['confirmed', 'failed', 'expired', 'cancelled'].includes(b.status))
    .slice(0, 5)
    .map(
      (b) =>
        `${b.id} ${b.status}: history ${b.history.map((h) => h.event).join(' → ')}; cancellations ${
          b.cancellations.map((c) => `${c.id} ${c.status}${c.lastError ? ` (${c.lastError})` : ''}`).join(', ') || '-'
        }`,
    );
  const bookings: Record<string, number> = {};
  for (const b of state.bookings) bookings[b.status] = (bookings[b.status] ?? 0) + 1;
  return {
    faults: injected,
    invariants,
    load: stats,
    bookings,
    loadSeconds,
    settleSeconds,
    restarts,
    unsettled,
    hostErrors: host
      .output()
      .split('\n')
      .filter((l) => FAILURE_LINE.test(l))
      .slice(0, 8)
      .map((l) => l.slice(0, 400)),
    throughput: {
      requestsPerSecond: stats.requests / loadSeconds,
      confirmedPerSecond: stats.confirmedSeen / loadSeconds,
    },
  };
}

async function token(client: Client, sub: string, roles: string[]): Promise<string> {
  const r = await client.retrying('POST', '/.identity/token', { body: { sub, name: sub, roles } });
  if (r.status !== 200) throw new Error(`sign-in answered ${r.status}`);
  return r.body.access_token as string;
}

/** A venue with one screen of `seats` seats (rows of 20, all "classic") and a show `hours` from now. */
async function createShow(client: Client, operator: string, hours: number, seats: number): Promise<LoadShow> {
  const ok = async (path: string, body: unknown) => {
    const r = await client.retrying('POST', path, { token: operator, body });
    if (r.status !== 201) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const tag = randomUUID().slice(0, 8);
  const movie = await ok('/api/movies', moviePayload(`Chaos ${tag}`));
  const rowCount = Math.ceil(seats / 20);
  const labels = Array.from({ length: rowCount }, (_, i) => String.fromCharCode(65 + i));
  const venue = await ok(
    '/api/venues',
    classicVenuePayload(
      `Chaos Venue ${tag}`,
      labels.map((label) => ({ label, blocks: [20] })),
      { city: CITY, address: 'Chaos Road' },
    ),
  );
  const startsAt = new Date(Date.now() + hours * 3_600_000).toISOString();
  const show = await ok('/api/shows', classicShowPayload(movie.id, venue.id, startsAt, 20000));
  return {
    showId: show.id as string,
    seats: labels.flatMap((r) => Array.from({ length: 20 }, (_, i) => `${r}${i + 1}`)),
  };
}

async function readState(
  host: ChaosHost,
  client: Client,
  admin: Record<string, string>,
  shows: LoadShow[],
): Promise<{ bookings: BookingDoc[]; sections: SectionSnapshot[]; ledger: Ledger }> {
  const cosmos = new CosmosClient({
    endpoint: host.env.COSMOS_ENDPOINT!,
    key: EMULATOR_KEY,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const db = cosmos.database(DATABASE);
    const ids = new Set(shows.map((s) => s.showId));
    const bookings = (await db.container('bookings').items.readAll<BookingDoc>().fetchAll()).resources.filter((b) =>
      ids.has(b.showId),
    );
    const sections = (
      await db.container('inventory').items.readAll<SectionSnapshot & { id: string }>().fetchAll()
    ).resources.filter((s) => ids.has(s.showId));
    const ledger = await client.retrying('GET', '/.payments/v1/_simulator/ledger', { headers: admin });
    if (ledger.status !== 200) throw new Error(`the simulator's ledger answered ${ledger.status}`);
    return { bookings, sections, ledger: ledger.body as Ledger };
  } finally {
    cosmos.dispose();
  }
}
