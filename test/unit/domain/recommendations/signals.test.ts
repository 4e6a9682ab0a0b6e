// The recommender's signals: each event counts once, a user's booking changes only that user's
// document, cancellations take taste back, and the city/title aggregates add up across shards.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  acknowledge,
  applyBooking,
  applyCancellation,
  applyToCity,
  applyToTitle,
  bookedTitles,
  CITY_SHARDS,
  emptyCityAggregate,
  emptyTitleAggregate,
  emptyUserSignals,
  mergeCity,
  shardOf,
  titleDocsFor,
  type AggregateDelta,
  type CityAggregate,
  type TitleAggregate,
  type UserSignals,
} from '../../../../shared/domain/recommendations/signals.js';
import { booking, iso, NOW } from './fixtures.js';

describe('user signals', () => {
  it('counts a booking once even when its event arrives twice', () => {
    const fact = booking('m1', ['Horror']);
    const once = applyBooking(emptyUserSignals('u1'), 'evt-1', fact)!;
    expect(applyBooking(once, 'evt-1', fact)).toBeUndefined();
    expect(applyBooking(once, 'evt-other-id-same-booking', fact)).toBeUndefined();
    expect(once.confirmed).toBe(1);
    expect(once.genres).toEqual({ Horror: 1 });
    expect(once.languages).toEqual({ English: 1 });
    expect(once.dayParts).toEqual({ evening: 1 });
    expect(once.spendMinor).toBe(40000);
    expect(once.pending).toHaveLength(1);
  });

  it('owes co-booking counts with the titles booked before, only for a title booked the first time', () => {
    let s = applyBooking(emptyUserSignals('u1'), 'e1', booking('m1', ['Horror'], { at: iso(NOW - 3000) }))!;
    s = applyBooking(s, 'e2', booking('m2', ['Drama'], { at: iso(NOW - 2000) }))!;
    s = applyBooking(s, 'e3', booking('m1', ['Horror'], { at: iso(NOW - 1000) }))!;
    expect(s.pending.map((p) => [p.movieId, p.coBookedWith, p.bookings])).toEqual([
      ['m1', [], 1],
      ['m2', ['m1'], 1],
      ['m1', [], 0],
    ]);
    expect(bookedTitles(s)).toEqual(['m1', 'm2']);
  });

  it('takes a wholly cancelled booking out of the taste and the booked titles, once', () => {
    const fact = booking('m1', ['Horror', 'Thriller']);
    const booked = applyBooking(emptyUserSignals('u1'), 'e1', fact)!;
    const cancel = {
      bookingId: fact.bookingId,
      userId: 'u1',
      city: 'blr',
      movieId: 'm1',
      showId: fact.showId,
      seats: 2,
      whole: true,
      showStartsAt: fact.showStartsAt,
      at: iso(NOW),
    };
    const cancelled = applyCancellation(booked, 'c1', cancel)!;
    expect(cancelled.genres).toEqual({});
    expect(cancelled.cancellations).toBe(1);
    expect(bookedTitles(cancelled)).toEqual([]);
    expect(cancelled.pending.at(-1)).toMatchObject({ seats: -2, bookings: -1 });
    expect(applyCancellation(cancelled, 'c1', cancel)).toBeUndefined();
  });

  it('forgets an aggregate update once acknowledged', () => {
    const s = applyBooking(emptyUserSignals('u1'), 'e1', booking('m1', ['Horror']))!;
    expect(acknowledge(s, 'e1')!.pending).toEqual([]);
    expect(acknowledge(acknowledge(s, 'e1')!, 'e1')).toBeUndefined();
  });
});

/** Applies deltas to city shards and title documents the way the service does. */
function aggregate(deltas: AggregateDelta[], repeat = 1) {
  const shards = new Map<number, CityAggregate>();
  const titles = new Map<string, TitleAggregate>();
  for (let r = 0; r < repeat; r++)
    for (const d of deltas) {
      const k = shardOf(d.eventId);
      const c = shards.get(k) ?? emptyCityAggregate(d.city, k);
      shards.set(k, applyToCity(c, d) ?? c);
      for (const m of titleDocsFor(d)) {
        const t = titles.get(m) ?? emptyTitleAggregate(m);
        titles.set(m, applyToTitle(t, d) ?? t);
      }
    }
  return { city: mergeCity('blr', [...shards.values()], NOW), titles };
}

describe('aggregates', () => {
  const movies = ['m1', 'm2', 'm3', 'm4'];
  const history = fc.array(
    fc.record({ user: fc.constantFrom('a', 'b', 'c', 'd'), movie: fc.constantFrom(...movies), cancel: fc.boolean() }),
    { maxLength: 30 },
  );

  function replay(steps: { user: string; movie: string; cancel: boolean }[]) {
    const users = new Map<string, UserSignals>();
    const deltas: AggregateDelta[] = [];
    steps.forEach((step, i) => {
      const u = users.get(step.user) ?? emptyUserSignals(step.user);
      const fact = booking(step.movie, ['Drama'], { userId: step.user, at: iso(NOW - (100 - i) * 1000) });
      let next = applyBooking(u, `b${i}`, fact)!;
      if (step.cancel)
        next = applyCancellation(next, `c${i}`, {
          bookingId: fact.bookingId,
          userId: step.user,
          city: 'blr',
          movieId: step.movie,
          showId: fact.showId,
          seats: fact.seats,
          whole: true,
          showStartsAt: fact.showStartsAt,
          at: fact.at,
        })!;
      deltas.push(...next.pending);
      users.set(step.user, { ...next, pending: [] });
    });
    return { users, deltas };
  }

  it('counts, per title, the users holding a booking of it, across shards, however often deltas are redelivered', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 3 }), (steps, repeat) => {
        const { users, deltas } = replay(steps);
        const { city } = aggregate(deltas, repeat);
        for (const m of movies) {
          const holders = [...users.values()].filter((u) => bookedTitles(u).includes(m)).length;
          expect(city.bookings[m] ?? 0).toBe(holders);
        }
        const seats = steps.filter((s) => !s.cancel).length * 2;
        expect(Object.values(city.seatsSold).reduce((a, b) => a + b, 0)).toBe(seats);
      }),
    );
  });

  it('counts a co-booked pair on both titles, symmetrically', () => {
    fc.assert(
      fc.property(history, (steps) => {
        const { titles } = aggregate(replay(steps.map((s) => ({ ...s, cancel: false }))).deltas, 2);
        for (const x of movies)
          for (const y of movies) expect(titles.get(x)?.coBooked[y] ?? 0).toBe(titles.get(y)?.coBooked[x] ?? 0);
      }),
    );
  });

  it('spreads a city over its shards and decays trending with time', () => {
    expect(new Set(Array.from({ length: 200 }, (_, i) => shardOf(`evt-${i}`))).size).toBe(CITY_SHARDS);
    const { deltas } = replay([{ user: 'a', movie: 'm1', cancel: false }]);
    const shard = applyToCity(emptyCityAggregate('blr', 0), deltas[0]!)!;
    const at = Date.parse(deltas[0]!.at);
    expect(mergeCity('blr', [shard], at).trending.m1).toBeCloseTo(1);
    expect(mergeCity('blr', [shard], at + 24 * 3_600_000).trending.m1).toBeCloseTo(0.5);
  });
});
