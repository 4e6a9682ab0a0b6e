// Recommendations end to end through the local host: bookings flow through the real saga, the
// booking-events topic and the `recommendations` subscription into the signals, and the rails change
// accordingly. Real SDKs, real HTTP; the stored signals are read back with the Cosmos SDK.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CosmosClient, type Database } from '@azure/cosmos';
import type { TestHost } from '../support/local-host.js';
import { api, bookAndPay, eventsOf, signIn, startBookingHost, type Caller } from '../booking/helpers.js';

interface Item {
  movieId: string;
  title: string;
  genres: string[];
  reason: string;
  components: Record<string, number>;
  shows: { showId: string; startsAt: string }[];
}

const seats = ['A1', 'A2'];

describe('recommendations', () => {
  let host: TestHost;
  let operator: Caller;
  let db: Database;
  /** Four Horror titles of our own, each with one show tomorrow on one screen. */
  const horror: { movieId: string; showId: string; title: string }[] = [];

  async function rail(caller: Caller | undefined, query = 'city=blr&limit=10') {
    const r = await api(host, caller, 'GET', `${caller ? '/api/me' : '/api'}/recommendations?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { city: string; basis: string; items: Item[] };
  }

  async function signals(userId: string) {
    const { resource } = await db.container('recommendations').item(userId, userId).read();
    return resource as { confirmed: number; genres: Record<string, number>; pending: unknown[] } | undefined;
  }

  async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    const database = `recs${randomUUID().slice(0, 8)}`;
    host = await startBookingHost({ COSMOS_DATABASE: database, DEMO_DATA: 'true' });
    db = new CosmosClient({
      endpoint: inject('cosmosEndpoint'),
      key: inject('cosmosKey'),
      connectionPolicy: { enableEndpointDiscovery: false },
    }).database(database);
    operator = await signIn(host, 'op-recs', ['operator']);
    const rows = ['A', 'B'].map((label) => ({ label, category: 'classic', blocks: [10] }));
    const venue = await api(host, operator, 'POST', '/api/venues', {
      city: 'blr',
      name: `Fright Hall ${randomUUID().slice(0, 6)}`,
      address: 'Test Road',
      screens: [
        { id: 's1', name: 'Screen 1', formats: ['2D'], categories: [{ id: 'classic', name: 'Classic' }], rows },
      ],
    });
    expect(venue.status, JSON.stringify(venue.body)).toBe(201);
    for (let i = 0; i < 4; i++) {
      const title = `Night Terror ${i + 1} ${randomUUID().slice(0, 4)}`;
      const movie = await api(host, operator, 'POST', '/api/movies', {
        kind: 'movie',
        title,
        genres: ['Horror'],
        languages: ['English'],
        formats: ['2D'],
        certificate: 'A',
        durationMinutes: 100,
        releaseDate: '2026-06-01',
      });
      expect(movie.status, JSON.stringify(movie.body)).toBe(201);
      const show = await api(host, operator, 'POST', '/api/shows', {
        movieId: movie.body.id,
        venueId: venue.body.id,
        screenId: 's1',
        startsAt: new Date(Date.now() + (26 + i * 3) * 3_600_000).toISOString(),
        language: 'English',
        format: '2D',
        prices: { classic: { minor: 25000, currency: 'INR' } },
      });
      expect(show.status, JSON.stringify(show.body)).toBe(201);
      horror.push({ movieId: movie.body.id, showId: show.body.id, title });
    }
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('gives anyone the city trend with reasons, and an unknown city is a 400 naming city', async () => {
    const anyone = await rail(undefined);
    expect(anyone.basis).toBe('trending');
    expect(anyone.items.length).toBe(10);
    for (const item of anyone.items) {
      expect(item.reason).toMatch(/^(Trending in Bengaluru|New this week|Now showing)$/);
      expect(item.shows.length).toBeGreaterThan(0);
      expect(item.shows.length).toBeLessThanOrEqual(3);
      expect(Date.parse(item.shows[0]!.startsAt)).toBeGreaterThan(Date.now());
    }
    for (const path of ['/api/recommendations?city=atlantis', '/api/recommendations']) {
      const bad = await api(host, undefined, 'GET', path);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.city']);
    }
    const me = await signIn(host, 'recs-unknown-city');
    const bad = await api(host, me, 'GET', '/api/me/recommendations?city=atlantis');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.city');
  });

  it('starts a brand-new user from the preferences they state, at once, in their profile city', async () => {
    const fresh = await signIn(host, `recs-new-${randomUUID().slice(0, 6)}`);
    const path = '/api/me/recommendations?city=blr&limit=10';
    const first = await api(host, fresh, 'GET', path);
    expect(first.body.basis).toBe('trending');
    // Private, and revalidated every time (a profile change must show at once): an unchanged rail is a 304.
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await api(host, fresh, 'GET', path, undefined, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    const put = await api(host, fresh, 'PUT', '/api/me/profile', {
      name: 'New Fan',
      city: 'blr',
      genres: ['Horror'],
      languages: ['English'],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const after = await rail(fresh, 'limit=10');
    expect(after.city).toBe('blr');
    expect(after.basis).toBe('preferences');
    expect(after.items[0]!.genres).toContain('Horror');
    expect(after.items[0]!.reason).toMatch(/Horror, as in your profile$/);
    // The old version is no longer current: the same revalidation now gets the new rail.
    const changed = await api(host, fresh, 'GET', path, undefined, { 'if-none-match': etag! });
    expect(changed.status).toBe(200);
    expect(changed.body.basis).toBe('preferences');
  });

  it('ranks Horror higher after two Horror bookings, counts a redelivered event once, and leaves other users alone', async () => {
    const fan = await signIn(host, `recs-fan-${randomUUID().slice(0, 6)}`);
    const bystander = await signIn(host, `recs-by-${randomUUID().slice(0, 6)}`);
    const horrorIds = new Set(horror.map((h) => h.movieId));
    const horrorCount = (items: Item[]) => items.filter((i) => i.genres.includes('Horror')).length;
    const before = await rail(fan);
    const bystanderBefore = await rail(bystander);

    const first = await bookAndPay(host, fan, horror[0]!.showId, seats);
    await bookAndPay(host, fan, horror[1]!.showId, seats);
    const mine = await until(
      'both bookings in the fan’s signals',
      () => signals(fan.userId),
      (s) => s?.confirmed === 2 && s.pending.length === 0,
    );
    expect(mine!.genres).toEqual({ Horror: 2 });

    const after = await rail(fan);
    expect(after.basis).toBe('history');
    expect(after.items[0]!.genres).toContain('Horror');
    expect(after.items[0]!.reason).toMatch(/Horror, like your past bookings|Because you booked Night Terror/);
    expect(horrorCount(after.items)).toBeGreaterThan(horrorCount(before.items));
    // The two titles just booked are not offered again; the other two of ours are.
    const offered = after.items.map((i) => i.movieId);
    expect(offered).not.toContain(horror[0]!.movieId);
    expect(offered).not.toContain(horror[1]!.movieId);
    expect(offered.filter((m) => horrorIds.has(m)).length).toBe(2);

    // The same event delivered twice more: it is consumed, and counted once.
    const [confirmed] = (await eventsOf(host, first.bookingId)).filter((e) => e.body.type === 'booking.confirmed');
    expect(confirmed).toBeDefined();
    for (let i = 0; i < 2; i++) {
      const sent = await fetch(host.url('/.local/servicebus/topics/booking-events/messages'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...host.admin },
        body: JSON.stringify({ body: confirmed!.body, messageId: `${confirmed!.messageId}-again-${i}` }),
      });
      expect(sent.status).toBe(201);
    }
    await until(
      'the redeliveries to reach the subscriptions',
      async () => (await eventsOf(host, first.bookingId)).filter((e) => e.body.id === confirmed!.body.id).length,
      (n) => n === 3,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect((await signals(fan.userId))!.confirmed).toBe(2);
    const { resources: shards } = await db
      .container('recommendation-aggregates')
      .items.query({ query: 'SELECT * FROM c WHERE c.key = @k', parameters: [{ name: '@k', value: 'city:blr' }] })
      .fetchAll();
    const booked = shards.reduce((n, s) => n + (s.bookings?.[horror[0]!.movieId] ?? 0), 0);
    const seatsSold = shards.reduce((n, s) => n + (s.seatsSold?.[horror[0]!.showId]?.seats ?? 0), 0);
    expect([booked, seatsSold]).toEqual([1, 2]);
    // Co-booking: the second title was booked after the first, by one user.
    const { resource: co } = await db
      .container('recommendation-aggregates')
      .item(`title:${horror[1]!.movieId}`, `title:${horror[1]!.movieId}`)
      .read();
    expect(co.coBooked).toEqual({ [horror[0]!.movieId]: 1 });

    // The bystander has no signals of their own; only the city's trend moved for them.
    expect(await signals(bystander.userId)).toBeUndefined();
    const bystanderAfter = await rail(bystander);
    expect(bystanderAfter.basis).toBe('trending');
    for (const item of [...bystanderBefore.items, ...bystanderAfter.items]) {
      expect(item.components.affinity).toBe(0);
      expect(item.components.coBooking).toBe(0);
      expect(item.reason).not.toMatch(/you booked|your past bookings|your profile/);
    }
  });
});
