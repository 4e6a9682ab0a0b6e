// Inventory against the running stack through the real @azure/cosmos SDK: 500 concurrent holds of
// overlapping 1–6 seat sets on one show, spread over four independent service instances (as if
// four Function instances), never hold a seat twice; the section then holds exactly the union of
// the successful holds. Then operator rules that need bookings: confirm, cancel refused, blocks.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startHost, type TestHost } from '../support/local-host.js';
import { bearer, tokenFor } from '../support/tokens.js';
import { createCosmos, type Cosmos } from '../../shared/adapters/cosmos/client.js';
import { cosmosCatalogStore } from '../../shared/adapters/cosmos/catalog-store.js';
import { cosmosInventoryStore } from '../../shared/adapters/cosmos/inventory-store.js';
import { CatalogService } from '../../shared/catalog/service.js';
import { InventoryService, type HoldResult } from '../../shared/inventory/service.js';
import { createRandom } from '../../shared/demo/random.js';
import { AppError } from '../../shared/errors.js';
import { call, expectBadField, tomorrow, type ShowDto, type ShowPageDto } from './helpers.js';

let host: TestHost;
let cosmos: Cosmos;
let catalog: CatalogService;
let show: ShowDto;
const database = `race${randomBytes(4).toString('hex')}`;

const service = () =>
  new InventoryService({
    store: cosmosInventoryStore(cosmos.container('inventory')),
    lookup: (id) => catalog.showWithLayout(id),
    clock: Date.now,
  });

beforeAll(async () => {
  host = await startHost({ env: { DEMO_DATA: 'true', COSMOS_DATABASE: database }, timeoutMs: 60_000 });
  cosmos = createCosmos({ endpoint: inject('cosmosEndpoint'), key: inject('cosmosKey'), database, timeoutMs: 10_000 });
  catalog = new CatalogService(cosmosCatalogStore(cosmos), Date.now);
  const page = await call<ShowPageDto>(host.origin, `/api/shows?city=hyd&date=${tomorrow('Asia/Kolkata')}&limit=5`);
  show = page.body.items[2]!;
});
afterAll(async () => {
  await host?.stop();
});

describe('seat holds under contention', () => {
  it('never holds a seat twice across 500 concurrent overlapping holds on four instances', async () => {
    const found = (await catalog.showWithLayout(show.id))!;
    const prime = found.index.sectionSeats.get('prime')!.map((s) => s.id);
    const pool = prime.slice(0, 40); // 40 seats, 500 requests of 1–6: heavy overlap
    const rnd = createRandom('race');
    const instances = [service(), service(), service(), service()];
    const requests = Array.from({ length: 500 }, (_, i) => ({
      holdId: `hold-${i}`,
      seats: rnd.sample(pool, rnd.int(1, 6)),
      via: instances[i % 4]!,
    }));
    const results = await Promise.all(
      requests.map(async (r): Promise<HoldResult | 'busy'> => {
        try {
          return await r.via.hold(show.id, r.seats, r.holdId, `user-${r.holdId}`, 600);
        } catch (err) {
          if (err instanceof AppError && err.code === 'INVENTORY_BUSY') return 'busy';
          throw err;
        }
      }),
    );
    const ok = results.filter((r): r is Extract<HoldResult, { ok: true }> => r !== 'busy' && r.ok);
    const refused = results.filter((r): r is Extract<HoldResult, { ok: false }> => r !== 'busy' && !r.ok);
    const busy = results.filter((r) => r === 'busy').length;
    const retries = ok.map((r) => r.attempts - 1);
    console.log(
      `race: ${ok.length} held, ${refused.length} refused (taken), ${busy} busy; retries per successful hold: mean ${(retries.reduce((a, b) => a + b, 0) / Math.max(1, ok.length)).toFixed(2)}, max ${Math.max(0, ...retries)}`,
    );
    expect(ok.length).toBeGreaterThan(5);
    expect(refused.every((r) => r.code === 'SEATS_UNAVAILABLE')).toBe(true);

    // No seat in two successful holds.
    const owner = new Map<string, string>();
    for (const r of ok)
      for (const s of r.seatIds) {
        expect(owner.has(s), `${s} held by ${owner.get(s)} and ${r.holdId}`).toBe(false);
        owner.set(s, r.holdId);
      }
    // The stored section holds exactly the union of the successful holds.
    const { resource } = await cosmos
      .container('inventory')
      .item(`${show.id}:prime`, show.id)
      .read<{ seats: Record<string, { s: string; holdId: string }> }>();
    const stored = Object.entries(resource!.seats).filter(([, st]) => st.s === 'held');
    expect(new Map(stored.map(([id, st]) => [id, st.holdId]))).toEqual(owner);

    // The public seat map (≤ 1 s old) shows them unavailable.
    await new Promise((r) => setTimeout(r, 1100));
    const map = await call<{ seats: string }>(host.origin, `/api/shows/${show.id}/seats`);
    for (const id of owner.keys()) expect(map.body.seats[found.index.byId.get(id)!.index]).toBe('1');
  });

  it('releases, confirms idempotently, and refuses to cancel a show with bookings', async () => {
    const inv = service();
    const found = (await catalog.showWithLayout(show.id))!;
    const seats = found.index.sectionSeats
      .get('prime')!
      .slice(-3)
      .map((s) => s.id);
    const held = await inv.hold(show.id, seats, 'h-book', 'u1', 600);
    expect(held.ok).toBe(true);
    expect(await inv.hold(show.id, seats, 'h-other', 'u2', 600)).toMatchObject({
      ok: false,
      code: 'SEATS_UNAVAILABLE',
    });
    expect(await inv.hold(show.id, seats, 'h-book', 'u1', 600)).toMatchObject({ ok: true });
    const confirmed = await inv.confirm(show.id, 'h-book', 'b-1');
    expect(confirmed).toMatchObject({ ok: true, seatIds: seats });
    expect(await inv.confirm(show.id, 'h-book', 'b-1', seats)).toMatchObject({ ok: true });
    expect(await inv.release(show.id, 'h-book')).toMatchObject({ ok: true, seatIds: [] });
    expect(await inv.hold(show.id, ['NOPE1'], 'x', 'u', 60)).toMatchObject({
      ok: false,
      code: 'INVALID_SEATS',
      detail: 'not seats of this show: NOPE1',
      seats: ['NOPE1'],
    });

    const operator = await tokenFor(host.origin, { sub: 'op', roles: ['operator'] });
    const cancel = await call<{ code: string }>(host.origin, `/api/shows/${show.id}`, {
      method: 'DELETE',
      headers: bearer(operator),
    });
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('SHOW_HAS_BOOKINGS');
  });

  it('frees expired holds: reads them as free at once, and the sweeper removes them', async () => {
    const inv = service();
    const found = (await catalog.showWithLayout(show.id))!;
    const seats = found.index.sectionSeats
      .get('classic')!
      .slice(-2)
      .map((s) => s.id);
    expect((await inv.hold(show.id, seats, 'h-short', 'u1', 1)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await inv.hold(show.id, seats, 'h-next', 'u2', 1)).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 1100));
    const swept = await inv.sweep(0);
    expect(swept.seats).toBeGreaterThanOrEqual(2);
    const { resource } = await cosmos
      .container('inventory')
      .item(`${show.id}:classic`, show.id)
      .read<{ seats: Record<string, unknown>; holdExpiry: string | null }>();
    for (const id of seats) expect(resource!.seats[id]).toBeUndefined();
  });
});

describe('operator catalog', () => {
  it('requires the operator role', async () => {
    const customer = await tokenFor(host.origin, { sub: 'c1', roles: ['customer'] });
    const body = {
      kind: 'movie',
      title: 'X',
      genres: ['Drama'],
      languages: ['Hindi'],
      formats: ['2D'],
      certificate: 'U',
      durationMinutes: 100,
      releaseDate: '2026-01-01',
    };
    expect((await call(host.origin, '/api/movies', { method: 'POST', body })).status).toBe(401);
    expect((await call(host.origin, '/api/movies', { method: 'POST', body, headers: bearer(customer) })).status).toBe(
      403,
    );
  });

  it('creates a movie, a venue and a show with inventory; rejects past and overlapping shows; cancels', async () => {
    const op = bearer(await tokenFor(host.origin, { sub: 'op', roles: ['operator'] }));
    const movie = await call<{ id: string }>(host.origin, '/api/movies', {
      method: 'POST',
      headers: op,
      body: {
        kind: 'movie',
        title: 'Operator Cut',
        genres: ['Drama'],
        languages: ['Telugu'],
        formats: ['2D'],
        certificate: 'UA',
        durationMinutes: 120,
        releaseDate: '2026-11-01',
      },
    });
    expect(movie.status).toBe(201);
    const screen = {
      id: 's1',
      name: 'Screen 1',
      formats: ['2D'],
      categories: [
        { id: 'classic', name: 'Classic' },
        { id: 'prime', name: 'Prime' },
      ],
      rows: [
        { label: 'A', category: 'classic', blocks: [5, 10, 5], wheelchairPairs: 1 },
        { label: 'B', category: 'prime', blocks: [5, 10, 5] },
      ],
    };
    expect(
      (
        await call(host.origin, '/api/venues', {
          method: 'POST',
          headers: op,
          body: { city: 'atlantis', name: 'V', address: 'A', screens: [screen] },
        })
      ).status,
    ).toBe(400);
    const venue = await call<{ id: string; screens: { layoutId: string }[] }>(host.origin, '/api/venues', {
      method: 'POST',
      headers: op,
      body: { city: 'hyd', name: 'Operator Hall', address: 'Road 1', screens: [screen] },
    });
    expect(venue.status).toBe(201);
    const startsAt = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
    const body = {
      movieId: movie.body.id,
      venueId: venue.body.id,
      screenId: 's1',
      startsAt,
      language: 'Telugu',
      format: '2D',
      prices: { classic: { minor: 15000, currency: 'INR' }, prime: { minor: 20000, currency: 'INR' } },
    };
    const past = await call<{ errors: { field: string }[] }>(host.origin, '/api/shows', {
      method: 'POST',
      headers: op,
      body: { ...body, startsAt: '2020-01-01T10:00:00Z' },
    });
    expect(past.status).toBe(400);
    expect(past.body.errors[0]!.field).toBe('body.startsAt');
    const wrongPrices = await call<{ errors: { field: string }[] }>(host.origin, '/api/shows', {
      method: 'POST',
      headers: op,
      body: { ...body, prices: { classic: { minor: 1, currency: 'INR' } } },
    });
    expect(wrongPrices.status).toBe(400);
    expect(wrongPrices.body.errors.map((e) => e.field)).toContain('body.prices.prime');
    const created = await call<{ id: string; localDate: string }>(host.origin, '/api/shows', {
      method: 'POST',
      headers: op,
      body,
    });
    expect(created.status).toBe(201);
    const { resources } = await cosmos
      .container('inventory')
      .items.query({
        query: 'SELECT c.id FROM c WHERE c.showId = @s',
        parameters: [{ name: '@s', value: created.body.id }],
      })
      .fetchAll();
    expect(resources.length).toBe(2);
    const overlap = await call<{ code: string }>(host.origin, '/api/shows', {
      method: 'POST',
      headers: op,
      body: { ...body, startsAt: new Date(Date.parse(startsAt) + 60 * 60_000).toISOString() },
    });
    expect(overlap.status).toBe(409);
    expect(overlap.body.code).toBe('SHOW_OVERLAP');
    const seats = await call<{ seats: string }>(host.origin, `/api/shows/${created.body.id}/seats`);
    expect(seats.body.seats).toBe('0'.repeat(40));

    const block = await call(host.origin, `/api/shows/${created.body.id}/seat-blocks`, {
      method: 'POST',
      headers: op,
      body: { action: 'block', seatIds: ['B1', 'B2'] },
    });
    expect(block.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const after = await call<{ seats: string }>(host.origin, `/api/shows/${created.body.id}/seats`);
    expect(after.body.seats.slice(20, 23)).toBe('220');
    const badBlock = await call(host.origin, `/api/shows/${created.body.id}/seat-blocks`, {
      method: 'POST',
      headers: op,
      body: { action: 'block', seatIds: ['A1', 'B1'] },
    });
    expect(badBlock.status).toBe(400);

    const cancelled = await call<{ status: string }>(host.origin, `/api/shows/${created.body.id}`, {
      method: 'DELETE',
      headers: op,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('shapes rows: an indent and an aisle width reach the layout; bad ones are 400s naming the field', async () => {
    const op = bearer(await tokenFor(host.origin, { sub: 'op', roles: ['operator'] }));
    const screen = (rows: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
      id: 's1',
      name: 'Curved',
      formats: ['2D'],
      categories: [{ id: 'classic', name: 'Classic' }],
      rows: rows.map((r, i) => ({ label: 'AB'[i], category: 'classic', blocks: [3, 3], ...r })),
      ...extra,
    });
    const post = (s: unknown) =>
      call(host.origin, '/api/venues', {
        method: 'POST',
        headers: op,
        body: { city: 'hyd', name: 'Curve Hall', address: 'Road 2', screens: [s] },
      });
    expectBadField(await post(screen([{}, { indent: 21 }])), 'body.screens.0.rows.1.indent');
    expectBadField(await post(screen([{ indent: -1 }, {}])), 'body.screens.0.rows.0.indent');
    expectBadField(await post(screen([{ indent: 1.5 }, {}])), 'body.screens.0.rows.0.indent');
    expectBadField(await post(screen([{}, {}], { aisleWidth: 0 })), 'body.screens.0.aisleWidth');
    const venue = await call<{ screens: { layoutId: string }[] }>(host.origin, '/api/venues', {
      method: 'POST',
      headers: op,
      body: {
        city: 'hyd',
        name: 'Curve Hall',
        address: 'Road 2',
        screens: [screen([{ indent: 2 }, {}], { aisleWidth: 2 })],
      },
    });
    expect(venue.status).toBe(201);
    const layout = await call<{ sections: { rows: { cells: unknown[] }[] }[] }>(
      host.origin,
      `/api/layouts/${venue.body.screens[0]!.layoutId}`,
    );
    const shape = (i: number) => layout.body.sections[0]!.rows[i]!.cells.map((c) => (c ? 'x' : '.')).join('');
    expect([shape(0), shape(1)]).toEqual(['..xxx..xxx', 'xxx..xxx']);
  });
});
