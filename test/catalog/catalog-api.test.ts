// The catalog over real HTTP on the demo data: search, paging, caching, seat maps, best-available
// and every bad input named by field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { allShows, call, expectBadField, tomorrow, type ShowDto, type ShowPageDto } from './helpers.js';
import { addDays } from '../../shared/domain/zoned-time.js';
import type { Layout } from '../../shared/contracts/layout.js';
import type { AvailabilityView } from '../../shared/domain/availability.js';

let host: TestHost;
let o: string;
let show: ShowDto;

beforeAll(async () => {
  host = await startHost({ env: { DEMO_DATA: 'true' }, timeoutMs: 60_000 });
  o = host.origin;
  const page = await call<ShowPageDto>(o, `/api/shows?city=blr&date=${tomorrow('Asia/Kolkata')}&limit=1`);
  show = page.body.items[0]!;
});
afterAll(async () => {
  await host?.stop();
});

describe('catalog reads', () => {
  it('lists at least five cities with their time zones', async () => {
    const r = await call<{ items: { id: string; timeZone: string }[] }>(o, '/api/cities');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThanOrEqual(5);
    expect(r.body.items.find((c) => c.id === 'dxb')?.timeZone).toBe('Asia/Dubai');
  });

  it('filters movies by city, genre, language and title, and 404s an unknown movie', async () => {
    const all = await call<{
      items: { id: string; title: string; genres: string[]; languages: string[]; cities: string[] }[];
    }>(o, '/api/movies');
    expect(all.body.items.length).toBeGreaterThanOrEqual(40);
    const some = all.body.items.find((m) => m.cities.includes('hyd'))!;
    const g = some.genres[0]!;
    const l = some.languages[0]!;
    const r = await call<{ items: typeof all.body.items }>(
      o,
      `/api/movies?city=hyd&genre=${encodeURIComponent(g.toUpperCase())}&language=${encodeURIComponent(l.toLowerCase())}`,
    );
    expect(r.body.items.map((m) => m.id)).toContain(some.id);
    expect(r.body.items.every((m) => m.cities.includes('hyd') && m.genres.includes(g) && m.languages.includes(l))).toBe(
      true,
    );
    const q = await call<{ items: { title: string }[] }>(o, '/api/movies?q=MONSOON');
    expect(q.body.items.length).toBeGreaterThan(0);
    expect(q.body.items.every((m) => m.title.toLowerCase().includes('monsoon'))).toBe(true);
    expect((await call(o, `/api/movies/${some.id}`)).status).toBe(200);
    expect((await call(o, '/api/movies/mov-nope')).status).toBe(404);
  });

  it('defaults the date to today in the city time zone and sorts by start time', async () => {
    for (const [city, tz] of [
      ['blr', 'Asia/Kolkata'],
      ['sin', 'Asia/Singapore'],
    ] as const) {
      const r = await call<ShowPageDto>(o, `/api/shows?city=${city}`);
      expect(r.status).toBe(200);
      expect(r.body.date).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date()));
    }
  });

  it('pages every show exactly once, in start order, whatever the page size', async () => {
    const date = tomorrow('Asia/Kolkata');
    const big = await allShows(o, `city=blr&date=${date}`, 100);
    const small = await allShows(o, `city=blr&date=${date}`, 7);
    expect(big.length).toBeGreaterThan(50);
    expect(small.map((s) => s.id)).toEqual(big.map((s) => s.id));
    expect(new Set(big.map((s) => s.id)).size).toBe(big.length);
    const sorted = [...big].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
    expect(big.map((s) => s.id)).toEqual(sorted.map((s) => s.id));
    expect(big.every((s) => s.city === 'blr' && s.localDate === date)).toBe(true);
  });

  it('combines filters exactly like filtering the full list', async () => {
    const date = tomorrow('Asia/Kolkata');
    const all = await allShows(o, `city=blr&date=${date}`);
    const pick = all[3]!;
    const cases: [string, (s: ShowDto) => boolean][] = [
      [
        `language=${pick.language.toLowerCase()}&format=${pick.format}`,
        (s) => s.language === pick.language && s.format === pick.format,
      ],
      [
        `genre=${pick.genres[0]}&venueId=${pick.venueId}`,
        (s) => s.genres.includes(pick.genres[0]!) && s.venueId === pick.venueId,
      ],
      [
        `movieId=${pick.movieId}&q=${encodeURIComponent(pick.title.slice(2, 7).toUpperCase())}`,
        (s) => s.movieId === pick.movieId,
      ],
    ];
    for (const [query, predicate] of cases) {
      const got = await allShows(o, `city=blr&date=${date}&${query}`, 5);
      expect(got.length).toBeGreaterThan(0);
      expect(got.map((s) => s.id)).toEqual(all.filter(predicate).map((s) => s.id));
    }
  });

  it('searches a range of dates, several values per filter, a time of day, events apart, and by cast or venue', async () => {
    const from = tomorrow('Asia/Kolkata');
    const days = [from, addDays(from, 1), addDays(from, 2)];
    const perDay = await Promise.all(days.map((d) => allShows(o, `city=mum&date=${d}`)));
    const range = await allShows(o, `city=mum&date=${days[0]}&to=${days[2]}`, 50);
    expect(range.map((s) => s.id)).toEqual(
      perDay
        .flat()
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id))
        .map((s) => s.id),
    );
    const all = perDay.flat();
    const [g1, g2] = [...new Set(all.flatMap((s) => s.genres))];
    const both = await allShows(o, `city=mum&date=${days[0]}&to=${days[2]}&genre=${g1},${g2!.toUpperCase()}`);
    expect(both.length).toBe(all.filter((s) => s.genres.includes(g1!) || s.genres.includes(g2!)).length);

    const hour = (s: ShowDto) =>
      Number(
        new Intl.DateTimeFormat('en', { timeZone: 'Asia/Kolkata', hour: 'numeric', hourCycle: 'h23' }).format(
          new Date(s.startsAt),
        ),
      );
    const evening = await allShows(o, `city=mum&date=${days[0]}&to=${days[2]}&time=evening,night`);
    expect(evening.length).toBe(all.filter((s) => hour(s) >= 17).length);
    expect(evening.length).toBeGreaterThan(0);

    const events = await allShows(o, `city=mum&date=${days[0]}&to=${days[2]}&kind=event`);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((s) => s.kind === 'event')).toBe(true);
    expect(events.length).toBe(all.filter((s) => s.kind === 'event').length);

    // A performer of a stadium event (its cast), and the venue's name, find it.
    const stadiumShow = events.find((s) => s.venueId === 'ven-mum-arena')!;
    const movie = await call<{ cast: string[] }>(o, `/api/movies/${stadiumShow.movieId}`);
    const performer = movie.body.cast[0]!;
    const byCast = await allShows(
      o,
      `city=mum&date=${days[0]}&to=${days[2]}&q=${encodeURIComponent(performer.toLowerCase())}`,
    );
    expect(byCast.map((s) => s.id)).toContain(stadiumShow.id);
    const byVenue = await allShows(
      o,
      `city=mum&date=${days[0]}&to=${days[2]}&q=${encodeURIComponent('marquee arena')}`,
    );
    expect(byVenue.length).toBe(all.filter((s) => s.venueId === 'ven-mum-arena').length);

    const venues = await call<{ items: { id: string; city: string; kind: string }[] }>(o, '/api/venues?city=mum');
    expect(venues.status).toBe(200);
    expect(venues.body.items.every((v) => v.city === 'mum')).toBe(true);
    expect(venues.body.items.find((v) => v.id === 'ven-mum-arena')?.kind).toBe('stadium');
  });

  it('answers 304 to If-None-Match on search, show, venue and layout; layouts are immutable', async () => {
    for (const path of [
      `/api/shows?city=blr&date=${show.localDate}`,
      `/api/shows/${show.id}`,
      `/api/venues/${show.venueId}`,
      `/api/layouts/${show.layoutId}`,
      '/api/cities',
    ]) {
      const first = await call(o, path);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^".+"$/);
      expect(first.headers.get('cache-control')).toContain('public');
      const again = await fetch(o + path, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    }
    const layout = await call(o, `/api/layouts/${show.layoutId}`);
    expect(layout.headers.get('cache-control')).toContain('immutable');
  });
});

describe('seat map', () => {
  it('serves one character per layout seat with prices, versions and the layout summarised, and 304 on a matching ETag', async () => {
    const layout = await call<Layout>(o, `/api/layouts/${show.layoutId}`);
    const seats = await call<AvailabilityView>(o, `/api/shows/${show.id}/seats`);
    expect(seats.status).toBe(200);
    expect(seats.body.seats).toMatch(/^[012]+$/);
    expect(seats.body.seats.length).toBe(layout.body.seatCount);
    expect(seats.body).toMatchObject({
      layoutId: show.layoutId,
      layoutVersion: layout.body.version,
      prices: show.prices,
      encoding: 'seat-state-v1',
    });
    // The summary places each section's seats in the string as the layout orders them.
    expect(seats.body.categories).toEqual(layout.body.categories);
    const order = layout.body.sections.map((sec) => ({
      id: sec.id,
      seats: sec.rows.flatMap((r) => r.cells.filter(Boolean)).length,
      categories: [...new Set(sec.rows.map((r) => r.category))],
    }));
    expect(seats.body.sections.map(({ id, seats: n, categories }) => ({ id, seats: n, categories }))).toEqual(order);
    expect(seats.body.sections.map((sec) => sec.start)).toEqual(
      order.map((_, i) => order.slice(0, i).reduce((n, sec) => n + sec.seats, 0)),
    );
    const etag = seats.headers.get('etag')!;
    expect((await fetch(`${o}/api/shows/${show.id}/seats`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${o}/api/shows/${show.id}/seats`, { headers: { 'if-none-match': '"stale"' } })).status).toBe(
      200,
    );
  });

  it('suggests adjacent seats in one row, by category, and wheelchair spaces only on request', async () => {
    const r = await call<{ seatIds: string[]; adjacent: boolean; total: { minor: number } }>(
      o,
      `/api/shows/${show.id}/best-available`,
      { method: 'POST', body: { count: 4 } },
    );
    expect(r.status).toBe(200);
    expect(r.body.seatIds.length).toBe(4);
    expect(r.body.adjacent).toBe(true);
    expect(new Set(r.body.seatIds.map((s) => s.replace(/\d+$/, ''))).size).toBe(1);
    const nums = r.body.seatIds.map((s) => Number(/\d+$/.exec(s)![0]));
    expect(nums).toEqual(nums.map((_, i) => nums[0]! + i));
    const classic = await call<{ seats: { category: string }[] }>(o, `/api/shows/${show.id}/best-available`, {
      method: 'POST',
      body: { count: 2, category: 'classic' },
    });
    expect(classic.body.seats.every((s) => s.category === 'classic')).toBe(true);
    const layout = await call<{ sections: { rows: { cells: ({ id: string; kind?: string } | null)[] }[] }[] }>(
      o,
      `/api/layouts/${show.layoutId}`,
    );
    const special = new Set(
      layout.body.sections.flatMap((s) => s.rows.flatMap((row) => row.cells.filter((c) => c?.kind).map((c) => c!.id))),
    );
    for (let count = 1; count <= 10; count += 3) {
      const plain = await call<{ seatIds: string[] }>(o, `/api/shows/${show.id}/best-available`, {
        method: 'POST',
        body: { count, category: 'classic' },
      });
      if (plain.status === 200) expect(plain.body.seatIds.some((id) => special.has(id))).toBe(false);
    }
    const wheel = await call<{ seatIds: string[] }>(o, `/api/shows/${show.id}/best-available`, {
      method: 'POST',
      body: { count: 2, wheelchair: true },
    });
    expect(wheel.status).toBe(200);
    expect(wheel.body.seatIds.some((id) => special.has(id))).toBe(true);
  });
});

describe('bad input', () => {
  it('names the field for an unknown city, a malformed date, a bad limit or token', async () => {
    expectBadField(await call(o, '/api/shows?city=atlantis'), 'query.city');
    expectBadField(await call(o, '/api/shows'), 'query.city');
    expectBadField(await call(o, '/api/shows?city=blr&date=2026-02-30'), 'query.date');
    expectBadField(await call(o, '/api/shows?city=blr&date=tomorrow'), 'query.date');
    expectBadField(await call(o, '/api/shows?city=blr&continuation=garbage'), 'query.continuation');
    expectBadField(await call(o, '/api/shows?city=blr&format=4DX'), 'query.format');
    expectBadField(await call(o, '/api/movies?city=atlantis'), 'query.city');
    expectBadField(await call(o, '/api/shows?city=blr&format=2D,4DX'), 'query.format');
    expectBadField(await call(o, '/api/shows?city=blr&time=brunch'), 'query.time');
    expectBadField(await call(o, '/api/shows?city=blr&kind=opera'), 'query.kind');
    expectBadField(await call(o, '/api/shows?city=blr&date=2026-12-10&to=2026-12-09'), 'query.to');
    expectBadField(await call(o, '/api/shows?city=blr&date=2026-12-10&to=2027-01-10'), 'query.to');
    expectBadField(await call(o, '/api/shows?city=blr&to=2026-12-10'), 'query.date');
    expectBadField(await call(o, '/api/venues?city=atlantis'), 'query.city');
    expectBadField(await call(o, '/api/venues'), 'query.city');
  });

  it('names the field for bad seat selections', async () => {
    const q = (seatIds: string[]) => call(o, `/api/shows/${show.id}/quote`, { method: 'POST', body: { seatIds } });
    const layout = await call<{ sections: { id: string; rows: { cells: ({ id: string } | null)[] }[] }[] }>(
      o,
      `/api/layouts/${show.layoutId}`,
    );
    const inSection = (i: number) =>
      layout.body.sections[i]!.rows.flatMap((r) => r.cells.filter(Boolean).map((c) => c!.id));
    const prime = inSection(1);
    expectBadField(await q(['ZZ99']), 'body.seatIds');
    expectBadField(await q([prime[0]!, prime[0]!]), 'body.seatIds');
    expectBadField(await q(prime.slice(0, 11)), 'body.seatIds');
    expectBadField(await q([inSection(0)[0]!, prime[0]!]), 'body.seatIds');
    expectBadField(await q([]), 'body.seatIds');
    const ok = await call<{ total: { minor: number; currency: string } }>(o, `/api/shows/${show.id}/quote`, {
      method: 'POST',
      body: { seatIds: prime.slice(20, 22) },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.total.minor).toBe(show.prices.prime!.minor * 2);
  });

  it('names the field for a bad best-available request', async () => {
    const b = (body: unknown) => call(o, `/api/shows/${show.id}/best-available`, { method: 'POST', body });
    expectBadField(await b({ count: 0 }), 'body.count');
    expectBadField(await b({ count: 11 }), 'body.count');
    expectBadField(await b({ count: 2, category: 'balcony' }), 'body.category');
    expectBadField(await b({ count: 'two' }), 'body.count');
  });

  it('answers 404 for an unknown show everywhere', async () => {
    for (const id of ['shw-blr-nope', 'nope']) {
      expect((await call(o, `/api/shows/${id}`)).status).toBe(404);
      expect((await call(o, `/api/shows/${id}/seats`)).status).toBe(404);
      expect((await call(o, `/api/shows/${id}/best-available`, { method: 'POST', body: { count: 2 } })).status).toBe(
        404,
      );
      expect((await call(o, `/api/shows/${id}/quote`, { method: 'POST', body: { seatIds: ['A1'] } })).status).toBe(404);
    }
    expect((await call(o, '/api/venues/ven-blr-nope')).status).toBe(404);
    expect((await call(o, '/api/layouts/lay-nope-v1')).status).toBe(404);
  });
});
