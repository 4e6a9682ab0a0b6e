// Scoring: history and stated preferences pull matching titles up, what the user cannot book or has
// booked stays out, rails stay diverse, every item says why, and strangers get the city's trend.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { genreCap, recommend, type Candidate } from '../../../../shared/domain/recommendations/scoring.js';
import { applyBooking, emptyUserSignals, type UserSignals } from '../../../../shared/domain/recommendations/signals.js';
import { bookableCandidates } from '../../../../shared/domain/recommendations/candidates.js';
import type { Movie, Show } from '../../../../shared/domain/catalog.js';
import { booking, candidate, iso, NOW } from './fixtures.js';

const GENRES = ['Horror', 'Drama', 'Comedy', 'Action', 'Romance'];
const catalogue: Candidate[] = Array.from({ length: 25 }, (_, i) => candidate(`m${i}`, [GENRES[i % 5]!]));
const trending = Object.fromEntries(catalogue.map((c, i) => [c.movieId, 25 - i]));

function withBookings(...ids: string[]): UserSignals {
  return ids.reduce(
    (s, id, i) => applyBooking(s, `e${i}`, booking(id, catalogue.find((c) => c.movieId === id)!.genres))!,
    emptyUserSignals('u1'),
  );
}

const base = { now: NOW, cityName: 'Bengaluru', candidates: catalogue, trending, coBooked: {}, limit: 10 };

describe('recommend', () => {
  it('ranks Horror higher for a user who booked two Horror titles', () => {
    const before = recommend(base);
    const after = recommend({ ...base, user: withBookings('m0', 'm5') });
    const horrorRank = (xs: typeof before) => xs.findIndex((x) => x.genres.includes('Horror'));
    expect(horrorRank(after)).toBe(0);
    expect(after.filter((x) => x.genres.includes('Horror')).length).toBeGreaterThan(
      before.filter((x) => x.genres.includes('Horror')).length,
    );
    expect(after[0]!.reason).toMatch(/Horror, like your past bookings/);
    expect(after.map((x) => x.movieId)).not.toContain('m0');
    expect(after.map((x) => x.movieId)).not.toContain('m5');
  });

  it('starts a new user from stated preferences, saying so', () => {
    const out = recommend({
      ...base,
      user: emptyUserSignals('u1'),
      stated: { genres: ['Romance'], languages: ['English'] },
    });
    expect(out[0]!.genres).toEqual(['Romance']);
    expect(out[0]!.reason).toBe('English · Romance, as in your profile');
  });

  it('gives a stranger the city trend', () => {
    const out = recommend(base);
    expect(out[0]!.movieId).toBe('m0');
    expect(out[0]!.reason).toBe('Trending in Bengaluru');
  });

  it('names the booked title behind a co-booking', () => {
    const user = withBookings('m0');
    const out = recommend({ ...base, trending: {}, user, coBooked: { m0: { m23: 40, m1: 1 } } });
    expect(out[0]).toMatchObject({ movieId: 'm23', reason: 'Because you booked Title m0' });
  });

  it('keeps titles already booked out, except repeat-watch genres', () => {
    const gig = candidate('live-1', ['Concert']);
    const user = applyBooking(emptyUserSignals('u1'), 'e', booking('live-1', ['Concert']))!;
    const out = recommend({ ...base, candidates: [...catalogue, gig], user, limit: 30 });
    expect(out.map((x) => x.movieId)).toContain('live-1');
  });

  it('never fills a rail with one genre while others are bookable, and always explains each item', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...catalogue.map((c) => c.movieId)), { maxLength: 6 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.constantFrom(...GENRES), { maxLength: 3 }),
        (booked, limit, stated) => {
          const user = withBookings(...new Set(booked));
          const out = recommend({ ...base, user, limit, stated: { genres: stated, languages: [] } });
          expect(out.length).toBeLessThanOrEqual(limit);
          expect(new Set(out.map((x) => x.movieId)).size).toBe(out.length);
          const counts = new Map<string, number>();
          for (const x of out) counts.set(x.genres[0]!, (counts.get(x.genres[0]!) ?? 0) + 1);
          // Five genres of five titles each: the cap binds unless the rail is longer than the cap allows.
          if (limit <= genreCap(limit) * GENRES.length)
            for (const n of counts.values()) expect(n).toBeLessThanOrEqual(genreCap(limit));
          for (const x of out) {
            expect(x.reason.length).toBeGreaterThan(0);
            expect(x.shows.length).toBeGreaterThan(0);
            expect(x.shows.length).toBeLessThanOrEqual(3);
            for (const v of Object.values(x.components)) expect(v).toBeGreaterThanOrEqual(0);
          }
          for (let i = 1; i < out.length; i++) expect(out[i]!.movieId).not.toBe(out[i - 1]!.movieId);
        },
      ),
    );
  });

  it('a rail of five never shows five titles of one genre', () => {
    const horror = Array.from({ length: 8 }, (_, i) => candidate(`h${i}`, ['Horror']));
    const out = recommend({
      ...base,
      candidates: [...horror, candidate('d1', ['Drama']), candidate('c1', ['Comedy'])],
      user: withBookings('m0', 'm5'),
      limit: 5,
    });
    // Two of Horror (the cap for five), then one each of the other two, then Horror again as nothing else is left.
    const genres = out.map((x) => x.genres[0]);
    expect(genres.slice(0, 2)).toEqual(['Horror', 'Horror']);
    expect(genres.slice(2, 4).sort()).toEqual(['Comedy', 'Drama']);
    expect(genres[4]).toBe('Horror');
  });
});

describe('bookable candidates', () => {
  const movie = (id: string, over: Partial<Movie> = {}): Movie => ({
    id,
    kind: 'movie',
    title: id,
    genres: ['Drama'],
    languages: ['English'],
    formats: ['2D'],
    certificate: 'U',
    durationMinutes: 100,
    cast: [],
    releaseDate: '2026-11-01',
    cities: ['blr'],
    ...over,
  });
  const show = (id: string, movieId: string, hours: number, over: Partial<Show> = {}): Show => ({
    id,
    city: 'blr',
    movieId,
    kind: 'movie',
    title: movieId,
    genres: ['Drama'],
    language: 'English',
    format: '2D',
    certificate: 'U',
    durationMinutes: 100,
    venueId: 'ven-1',
    venueName: 'V',
    screenId: 's1',
    screenName: 'S',
    layoutId: 'lay',
    startsAt: iso(NOW + hours * 3_600_000),
    endsAt: iso(NOW + (hours + 2) * 3_600_000),
    localDate: '2026-12-02',
    prices: { a: { minor: 300, currency: 'INR' }, b: { minor: 200, currency: 'INR' } },
    status: 'scheduled',
    ...over,
  });

  it('keeps scheduled shows in the next seven days that are not sold out, soonest first', () => {
    const out = bookableCandidates({
      now: NOW,
      shows: [
        show('s-late', 'a', 30),
        show('s-soon', 'a', 3),
        show('s-past', 'a', -1),
        show('s-far', 'b', 24 * 8),
        show('s-cancelled', 'c', 5, { status: 'cancelled' }),
        show('s-full', 'd', 5),
        show('s-gone', 'e', 5),
      ],
      movies: new Map(['a', 'b', 'c', 'd', 'e'].map((m) => [m, movie(m, m === 'e' ? { status: 'withdrawn' } : {})])),
      seatsSold: { 's-full': 40, 's-late': 39 },
      capacity: () => 40,
      localHour: () => 18,
    });
    expect(out.map((c) => [c.movieId, c.shows.map((s) => s.showId)])).toEqual([['a', ['s-soon', 's-late']]]);
    expect(out[0]!.shows[0]!.fromMinor).toBe(200);
  });
});
