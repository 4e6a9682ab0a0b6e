// What the inventory relies on from an InventoryStore (shared/inventory/ports.ts): a section is
// created once from nothing, every write is conditional on the version read, so writers racing
// on one section never sell a seat twice, and the sweeper finds sections whose holds expired.
import { describe, expect, it } from 'vitest';
import type { SeatState } from '../../shared/domain/section.js';
import { sectionDocId, type InventoryStore, type SectionDoc } from '../../shared/inventory/ports.js';
import { unique } from './fixtures.js';

const empty = (showId: string, sectionId = 'prime'): SectionDoc => ({
  id: sectionDocId(showId, sectionId),
  showId,
  sectionId,
  layoutId: 'layout-1',
  version: 0,
  seats: {},
  holdExpiry: null,
  booked: 0,
});

const booked = (bookingId: string): SeatState => ({ s: 'booked', bookingId, holdId: bookingId });

export function inventoryStoreCases(make: () => InventoryStore): void {
  describe('InventoryStore', () => {
    it('creates a missing section once; creating it again answers the existing version', async () => {
      const store = make();
      const showId = unique('show');
      expect(await store.read(showId, 'prime')).toBeUndefined();
      const created = await store.createIfMissing(empty(showId));
      expect(created.doc).toEqual(empty(showId));
      const sold = { ...created.doc, version: 1, seats: { A1: booked('bk-1') }, booked: 1 };
      expect((await store.replace(sold, created.etag)).ok).toBe(true);
      const again = await make().createIfMissing(empty(showId));
      expect(again.doc).toEqual(sold);
      expect(await store.read(showId, 'prime')).toEqual(again);
    });

    it('replaces under the version read, answers the new version, and refuses a stale one', async () => {
      const store = make();
      const created = await store.createIfMissing(empty(unique('show')));
      const next = { ...created.doc, version: 1, seats: { A1: booked('bk-1') }, booked: 1 };
      const written = await store.replace(next, created.etag);
      expect(written).toMatchObject({ ok: true, section: { doc: next } });
      expect(written.ok && written.section.etag).not.toBe(created.etag);
      const stale = await store.replace({ ...created.doc, version: 1, seats: { A1: booked('bk-2') } }, created.etag);
      expect(stale).toEqual({ ok: false, conflict: true });
      expect((await store.read(created.doc.showId, 'prime'))?.doc).toEqual(next);
    });

    it('never sells a seat twice to writers racing from several processes', async () => {
      const showId = unique('show');
      await make().createIfMissing(empty(showId));
      const stores = [make(), make(), make(), make()];
      const pool = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'];
      // Each buyer wants two overlapping seats: read, refuse if either is taken, else write under the version read.
      const buy = async (buyer: number): Promise<string[] | undefined> => {
        const want = [pool[buyer % pool.length]!, pool[(buyer + 1) % pool.length]!];
        const store = stores[buyer % stores.length]!;
        for (;;) {
          const current = (await store.read(showId, 'prime'))!;
          if (want.some((seat) => current.doc.seats[seat])) return undefined;
          const seats = { ...current.doc.seats, ...Object.fromEntries(want.map((s) => [s, booked(`bk-${buyer}`)])) };
          const next = { ...current.doc, version: current.doc.version + 1, seats, booked: Object.keys(seats).length };
          if ((await store.replace(next, current.etag)).ok) return want;
        }
      };
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => buy(i)));
      const final = (await make().read(showId, 'prime'))!.doc;
      const sold = outcomes.flatMap((seats, buyer) => (seats ?? []).map((seat) => [seat, `bk-${buyer}`] as const));
      expect(new Set(sold.map(([seat]) => seat)).size).toBe(sold.length); // no seat in two successful buys
      expect(Object.entries(final.seats).map(([seat, st]) => [seat, st.s === 'booked' && st.bookingId])).toEqual(
        expect.arrayContaining(sold),
      );
      expect(Object.keys(final.seats)).toHaveLength(sold.length);
      expect(final.version).toBe(outcomes.filter(Boolean).length);
    });

    it("reads a show's sections at once, few or many, leaving out missing ones and other shows'", async () => {
      const store = make();
      const [showId, other] = [unique('show'), unique('show')];
      const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
      for (const id of ids.slice(0, 5)) await store.createIfMissing(empty(showId, id));
      await store.createIfMissing(empty(other, 's1'));
      const sold = (await store.read(showId, 's2'))!;
      await store.replace({ ...sold.doc, version: 1, seats: { A1: booked('bk-1') }, booked: 1 }, sold.etag);
      const many = await store.readSections(showId, ids); // one query
      expect(many.map((s) => s.doc.sectionId).sort()).toEqual(ids.slice(0, 5));
      expect(many.every((s) => s.doc.showId === showId)).toBe(true);
      expect(many.find((s) => s.doc.sectionId === 's2')).toEqual(await store.read(showId, 's2'));
      const few = await store.readSections(showId, ['s2', 's6']); // point reads
      expect(few.map((s) => s.doc)).toEqual([
        { ...empty(showId, 's2'), version: 1, seats: { A1: booked('bk-1') }, booked: 1 },
      ]);
    });

    it('finds the sections holding a hold that expired before a time, across shows', async () => {
      const store = make();
      const withHold = async (showId: string, holdExpiry: string | null) => {
        const created = await store.createIfMissing(empty(showId));
        await store.replace({ ...created.doc, version: 1, holdExpiry }, created.etag);
      };
      const [expired, later, none] = [unique('show'), unique('show'), unique('show')];
      await withHold(expired, '2001-01-01T00:00:00.000Z');
      await withHold(later, '2001-01-03T00:00:00.000Z');
      await withHold(none, null);
      const found = (await store.withExpiredHolds('2001-01-02T00:00:00.000Z', 100)).map((s) => s.doc.showId);
      expect(found).toContain(expired);
      expect(found).not.toContain(later);
      expect(found).not.toContain(none);
      expect(await store.withExpiredHolds('2001-01-04T00:00:00.000Z', 1)).toHaveLength(1);
    });
  });
}
