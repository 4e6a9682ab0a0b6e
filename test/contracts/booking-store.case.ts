// What the booking use-cases rely on from a BookingStore (shared/booking/store.ts), as cases any
// adapter must pass. `make` answers a new store instance on the same storage each call: two
// instances play two processes (each with its own in-process watch and last-seen copies).
import { describe, expect, it } from 'vitest';
import { withHistory, type BookingDoc } from '../../shared/booking/model.js';
import type { BookingStore } from '../../shared/booking/store.js';
import { bookingDoc, unique } from './fixtures.js';

const step = (doc: BookingDoc, event: string) => withHistory(doc, doc.status, event, new Date().toISOString());

export function bookingStoreCases(make: () => BookingStore): void {
  describe('BookingStore', () => {
    it('creates insert-only: a second create of the same id answers false and keeps the first', async () => {
      const store = make();
      const doc = bookingDoc();
      expect(await store.create(doc)).toBe(true);
      expect(await store.create({ ...doc, seatIds: ['Z9'] })).toBe(false);
      expect(await store.get(doc.userId, doc.id)).toEqual(doc);
    });

    it('reads a booking with a version, and nothing for an unknown one', async () => {
      const store = make();
      const doc = bookingDoc();
      await store.create(doc);
      const stored = await store.read(doc.userId, doc.id);
      expect(stored?.doc).toEqual(doc);
      expect(typeof stored?.etag).toBe('string');
      expect(await store.read(doc.userId, unique('bk'))).toBeUndefined();
      expect(await store.get(unique('user'), doc.id)).toBeUndefined();
    });

    it('replaces under the version read and refuses a stale one', async () => {
      const store = make();
      const doc = bookingDoc();
      await store.create(doc);
      const first = (await store.read(doc.userId, doc.id))!;
      const held = step(first.doc, 'seatsHeld');
      expect(await store.replace(held, first.etag)).toBe(true);
      expect(await store.replace(step(first.doc, 'other'), first.etag)).toBe(false);
      expect(await store.get(doc.userId, doc.id)).toEqual(held);
    });

    it('mutates the fresh copy when the known one is stale, and answers the saved booking', async () => {
      const a = make();
      const b = make();
      const doc = bookingDoc();
      await a.create(doc);
      const stale = (await a.read(doc.userId, doc.id))!;
      const moved = (await b.read(doc.userId, doc.id))!;
      await b.replace(step(moved.doc, 'elsewhere'), moved.etag);
      const seenBy: number[] = [];
      const saved = await a.mutate(
        doc.userId,
        doc.id,
        (d) => {
          seenBy.push(d.history.length);
          return step(d, 'here');
        },
        stale,
      );
      expect(seenBy).toEqual([1, 2]); // the stale copy first, then the stored one after the conflict
      expect(saved?.history.map((h) => h.event)).toEqual(['requested', 'elsewhere', 'here']);
      expect(await b.get(doc.userId, doc.id)).toEqual(saved);
    });

    it('applies every one of many concurrent mutations from several processes', async () => {
      const doc = bookingDoc();
      await make().create(doc);
      const stores = [make(), make(), make()];
      await Promise.all(
        Array.from({ length: 9 }, (_, i) => stores[i % 3]!.mutate(doc.userId, doc.id, (d) => step(d, `e${i}`))),
      );
      const events = (await make().get(doc.userId, doc.id))!.history.map((h) => h.event);
      expect(events).toHaveLength(10);
      expect(new Set(events).size).toBe(10);
    });

    it('writes nothing when the mutator answers undefined, and answers the booking as it is', async () => {
      const store = make();
      const doc = bookingDoc();
      await store.create(doc);
      const before = (await store.read(doc.userId, doc.id))!;
      const answered = await store.mutate(doc.userId, doc.id, () => undefined);
      expect(answered).toEqual(doc);
      expect((await make().read(doc.userId, doc.id))?.etag).toBe(before.etag);
    });

    it('mutates nothing and answers undefined for an unknown booking', async () => {
      let called = false;
      const answered = await make().mutate(unique('user'), unique('bk'), (d) => ((called = true), d));
      expect(answered).toBeUndefined();
      expect(called).toBe(false);
    });

    it('finds a booking by id alone', async () => {
      const store = make();
      const doc = bookingDoc();
      await store.create(doc);
      expect(await make().findById(doc.id)).toEqual(doc);
      expect(await store.findById(unique('bk'))).toBeUndefined();
    });

    it("lists one user's bookings by show time: upcoming ascending, past descending, one page plus one after the cursor", async () => {
      const store = make();
      const userId = unique('user');
      const at = (startsAt: string) => {
        const id = unique('bk');
        return bookingDoc({ id, userId, show: { ...bookingDoc().show, startsAt }, sortKey: `${startsAt}|${id}` });
      };
      const docs = [
        at('2030-01-03T00:00:00.000Z'),
        at('2020-01-01T00:00:00.000Z'),
        at('2030-01-01T00:00:00.000Z'),
        at('2030-01-02T00:00:00.000Z'),
        at('2020-01-02T00:00:00.000Z'),
      ];
      for (const d of docs) await store.create(d);
      await make().create(bookingDoc()); // another user's booking never shows
      const now = '2025-01-01T00:00:00.000Z';
      const ids = (list: BookingDoc[]) => list.map((d) => d.show.startsAt.slice(0, 10));

      expect(ids(await store.listForUser(userId, 'upcoming', now, 10))).toEqual([
        '2030-01-01',
        '2030-01-02',
        '2030-01-03',
      ]);
      expect(ids(await store.listForUser(userId, 'past', now, 10))).toEqual(['2020-01-02', '2020-01-01']);
      expect(await store.listForUser(userId, 'all', now, 10)).toHaveLength(5);
      const page = await store.listForUser(userId, 'upcoming', now, 1);
      expect(ids(page)).toEqual(['2030-01-01', '2030-01-02']); // limit + 1 tells the caller there is more
      expect(ids(await store.listForUser(userId, 'upcoming', now, 1, page[0]!.sortKey))).toEqual([
        '2030-01-02',
        '2030-01-03',
      ]);
      expect(ids(await store.listForUser(userId, 'past', now, 5, docs[4]!.sortKey))).toEqual(['2020-01-01']);
    });

    it('lists bookings by status across users, newest change first, optionally only those past their deadline', async () => {
      const store = make();
      const mark = unique('t'); // this case's documents share a fresh updatedAt prefix, newer than other cases'
      const year = '2099';
      const doc = (status: BookingDoc['status'], updatedAt: string, deadline: string) =>
        bookingDoc({ status, updatedAt: `${year}-${updatedAt}`, deadline: `${year}-${deadline}`, city: mark });
      const a = doc('paying', '01-02T00:00:00.000Z', '01-01T00:00:00.000Z');
      const b = doc('held', '01-03T00:00:00.000Z', '06-01T00:00:00.000Z');
      const c = doc('held', '01-01T00:00:00.000Z', '01-01T00:00:00.000Z');
      const d = doc('confirmed', '01-04T00:00:00.000Z', '01-01T00:00:00.000Z');
      for (const x of [a, b, c, d]) await store.create(x);
      const mine = (list: BookingDoc[]) => list.filter((x) => x.city === mark).map((x) => x.id);

      const active = await store.listByStatus(['held', 'paying'], 50);
      expect(mine(active)).toEqual([b.id, a.id, c.id]);
      expect(active.every((x) => x.status === 'held' || x.status === 'paying')).toBe(true);
      expect(mine(await store.listByStatus(['held', 'paying'], 50, `${year}-03-01T00:00:00.000Z`))).toEqual([
        a.id,
        c.id,
      ]);
      expect(await store.listByStatus(['held', 'paying'], 2)).toHaveLength(2);
    });

    it("wakes a watcher with this process's commits, and times out when none comes", async () => {
      const store = make();
      const doc = bookingDoc();
      await store.create(doc);
      const watch = store.watch(doc.id);
      try {
        expect(await watch.next(20)).toBeUndefined();
        const waiting = watch.next(5000);
        const saved = await store.mutate(doc.userId, doc.id, (d) => step(d, 'seatsHeld'));
        expect(await waiting).toEqual(saved);
        await store.mutate(doc.userId, doc.id, () => undefined); // no change, no wake-up
        expect(await watch.next(20)).toBeUndefined();
      } finally {
        watch.close();
      }
    });

    it('remembers the last version it wrote or read, as a first guess for the next write', async () => {
      const a = make();
      const b = make();
      const doc = bookingDoc();
      expect(a.lastSeen(doc.id)).toBeUndefined();
      await a.create(doc);
      const created = a.lastSeen(doc.id)!;
      expect(created.doc).toEqual(doc);
      expect(b.lastSeen(doc.id)).toBeUndefined(); // another process has not seen it
      const held = await a.mutate(doc.userId, doc.id, (d) => step(d, 'seatsHeld'));
      expect(a.lastSeen(doc.id)?.doc).toEqual(held);
      expect(await a.replace(step(held!, 'paid'), a.lastSeen(doc.id)!.etag)).toBe(true);
      expect(await a.replace(step(held!, 'stale'), created.etag)).toBe(false);
      await b.read(doc.userId, doc.id);
      expect(b.lastSeen(doc.id)?.doc.history).toHaveLength(3);
    });
  });
}
