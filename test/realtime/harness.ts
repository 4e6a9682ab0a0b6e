// End-to-end set-up for the realtime tests: a local host with the demo catalog, two shows, an
// inventory service in the test process on the same Cosmos database (as a second Function
// instance would be), and real `@azure/web-pubsub-client` viewers that connect through
// GET /api/realtime/negotiate and keep a seat map by the client rules of docs/realtime.md.
import { randomBytes } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { WebPubSubClient, type WebPubSubClientOptions } from '@azure/web-pubsub-client';
import { inject } from 'vitest';
import { createCosmos, type Cosmos } from '../../shared/adapters/cosmos/client.js';
import { cosmosCatalogStore } from '../../shared/adapters/cosmos/catalog-store.js';
import { cosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store.js';
import { CatalogService } from '../../shared/catalog/service.js';
import { decodeAvailability } from '../../shared/domain/availability.js';
import type { SeatDiffMessage } from '../../shared/domain/seat-diff.js';
import { InventoryService } from '../../shared/inventory/service.js';
import { startHost, type TestHost } from '../support/local-host.js';
import { bearer } from '../support/tokens.js';
import { call, tomorrow, type ShowDto, type ShowPageDto } from '../catalog/helpers.js';

export interface Stack {
  host: TestHost;
  cosmos: Cosmos;
  catalog: CatalogService;
  inventory: InventoryService;
  /** Two shows on sale tomorrow (different ids, each with its own group). */
  shows: [ShowDto, ShowDto];
}

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const database = `rt${randomBytes(4).toString('hex')}`;
  const host = await startHost({ env: { DEMO_DATA: 'true', COSMOS_DATABASE: database, ...env }, timeoutMs: 60_000 });
  const cosmos = createCosmos({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database,
    timeoutMs: 10_000,
  });
  const catalog = new CatalogService(cosmosCatalogStore(cosmos), Date.now);
  const inventory = new InventoryService({
    store: cosmosInventoryStore(cosmos.container('inventory')),
    lookup: (id) => catalog.showWithLayout(id),
    clock: Date.now,
    availabilityTtlMs: 0,
  });
  const page = await call<ShowPageDto>(host.origin, `/api/shows?city=hyd&date=${tomorrow('Asia/Kolkata')}&limit=10`);
  if (page.status !== 200 || page.body.items.length < 2)
    throw new Error(`no demo shows: ${page.status} ${JSON.stringify(page.body).slice(0, 300)}`);
  return { host, cosmos, catalog, inventory, shows: [page.body.items[0]!, page.body.items[1]!] };
}

/** `count` seat ids of a show's largest section (demo screens have ≥ 100 there), in layout order. */
export async function seatsOf(stack: Stack, showId: string, count: number, from = 0): Promise<string[]> {
  const found = (await stack.catalog.showWithLayout(showId))!;
  const largest = [...found.index.sectionSeats.values()].sort((x, y) => y.length - x.length)[0]!;
  const ids = largest.slice(from, from + count).map((s) => s.id);
  if (ids.length !== count) throw new Error(`section has ${largest.length} seats; asked for ${from}..${from + count}`);
  return ids;
}

export interface Negotiated {
  url: string;
  expiresAt: string;
  groups: string[];
  userId?: string;
}

export async function negotiate(origin: string, showId: string, token?: string): Promise<Negotiated> {
  const r = await call<Negotiated>(origin, `/api/realtime/negotiate?showId=${encodeURIComponent(showId)}`, {
    headers: token ? bearer(token) : {},
  });
  if (r.status !== 200) throw new Error(`negotiate answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A client-side seat map following docs/realtime.md: snapshot, then chained diffs; gap → refetch. */
export class Viewer {
  readonly client: WebPubSubClient;
  readonly messages: SeatDiffMessage[] = [];
  readonly server: Record<string, unknown>[] = [];
  /** Arrival time (ms) of each message, by show version. */
  readonly arrivals = new Map<number, number>();
  seats = new Map<string, string>();
  version = -1;
  refetches = 0;
  connectionId = '';
  private buffer: SeatDiffMessage[] = [];
  private synced = false;

  constructor(
    readonly origin: string,
    readonly showId: string,
    readonly token?: string,
    options: WebPubSubClientOptions = {},
    rewriteUrl: (url: string) => string = (u) => u,
  ) {
    this.client = new WebPubSubClient(
      { getClientAccessUrl: async () => rewriteUrl((await negotiate(origin, showId, token)).url) },
      { messageRetryOptions: { maxRetries: 0 }, ...options },
    );
    this.client.on('connected', (e) => (this.connectionId = e.connectionId));
    this.client.on('group-message', (e) => this.onSeats(e.message.data as SeatDiffMessage));
    this.client.on('server-message', (e) => this.server.push(e.message.data as Record<string, unknown>));
  }

  async start(): Promise<this> {
    const connected = new Promise<void>((r) => this.client.on('connected', () => r()));
    await this.client.start();
    await connected;
    await this.resync();
    return this;
  }

  stop(): void {
    this.client.stop();
  }

  /** GET the snapshot, then replay what arrived meanwhile. */
  async resync(): Promise<void> {
    this.synced = false;
    this.refetches++;
    const r = await call<{ version: number; seats: string }>(this.origin, `/api/shows/${this.showId}/seats`);
    if (r.status !== 200) throw new Error(`seats answered ${r.status}`);
    this.version = r.body.version;
    this.seats = new Map(this.layoutIds.map((id, i) => [id, r.body.seats[i]!]));
    this.synced = true;
    const pending = this.buffer.splice(0);
    for (const m of pending) this.apply(m);
  }

  layoutIds: string[] = [];

  private onSeats(m: SeatDiffMessage): void {
    if (m?.type !== 'seats') return;
    this.messages.push(m);
    if (!this.arrivals.has(m.version)) this.arrivals.set(m.version, Date.now());
    if (!this.synced) this.buffer.push(m);
    else this.apply(m);
  }

  private apply(m: SeatDiffMessage): void {
    if (m.full) {
      if (m.version < this.version) return;
      for (const id of this.seats.keys()) this.seats.set(id, '0');
      for (const s of m.sections) for (const [id, code] of Object.entries(s.seats)) this.seats.set(id, code);
      this.version = m.version;
      return;
    }
    if (m.version <= this.version) return; // already in the snapshot or seen
    if (m.base !== null && m.base > this.version) {
      void this.resync(); // a gap: missed messages
      return;
    }
    for (const s of m.sections) for (const [id, code] of Object.entries(s.seats)) this.seats.set(id, code);
    this.version = m.version;
  }
}

export async function viewer(
  stack: Stack,
  showId: string,
  token?: string,
  options?: WebPubSubClientOptions,
  rewriteUrl?: (url: string) => string,
): Promise<Viewer> {
  const v = new Viewer(stack.host.origin, showId, token, options, rewriteUrl);
  const found = (await stack.catalog.showWithLayout(showId))!;
  v.layoutIds = found.index.seats.map((s) => s.id);
  return v.start();
}

/** The server's seat map, for comparison (fresh: the test inventory has no cache). */
export async function serverSeats(stack: Stack, showId: string): Promise<Map<string, string>> {
  const a = (await stack.inventory.availability(showId))!;
  return decodeAvailability(a.index, a.encoded);
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

/** A TCP proxy between clients and the Web PubSub emulator, able to cut every connection (a network drop). */
export async function dropProxy(target: string): Promise<{ port: number; drop(): number; close(): Promise<void> }> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = new Socket();
    outbound.connect(Number(targetPort), hostname === 'localhost' ? '127.0.0.1' : hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    drop() {
      const n = sockets.size;
      for (const s of sockets) s.destroy();
      return n;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
