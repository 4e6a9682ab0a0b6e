// What ticketing relies on from a TicketStore (shared/booking/store.ts): issuing is insert-once (a
// used ticket stays used), a booking's tickets are found by show and booking, and a scan is a
// conditional write on the current copy, so of two racing scans exactly one wins.
import { describe, expect, it } from 'vitest';
import type { TicketDoc, TicketStore } from '../../shared/booking/store.js';
import { ticketDoc, unique } from './fixtures.js';

export function ticketStoreCases(make: () => TicketStore): void {
  describe('TicketStore', () => {
    it('issues a ticket once: putting it again keeps the first, used or not', async () => {
      const store = make();
      const t = ticketDoc();
      await store.put(t);
      const used: TicketDoc = { ...t, status: 'used', usedAt: '2030-01-01T18:00:00.000Z', usedBy: 'op' };
      expect(await store.mutate(t.showId, t.id, () => used)).toEqual(used);
      await store.put({ ...t, code: 'reissued' });
      expect((await store.read(t.showId, t.id))?.doc).toEqual(used);
    });

    it("finds a booking's tickets by show and booking, and nothing else", async () => {
      const store = make();
      const showId = unique('show');
      const bookingId = unique('bk');
      const mine = ['A1', 'A2', 'A3'].map((seatId) => ticketDoc({ showId, bookingId, seatId }));
      for (const t of mine) await store.put(t);
      await store.put(ticketDoc({ showId, seatId: 'A1' })); // another booking, same show
      await store.put(ticketDoc({ bookingId: unique('bk') })); // another show
      const found = await store.ofBooking(showId, bookingId);
      expect([...found].sort((a, b) => a.seatId.localeCompare(b.seatId))).toEqual(mine);
      expect(await store.ofBooking(showId, unique('bk'))).toEqual([]);
    });

    it('applies a scan to the current copy: of two racing scans one wins, the other sees it used', async () => {
      const store = make();
      const t = ticketDoc();
      await store.put(t);
      const scan =
        (usedBy: string) =>
        (x: TicketDoc): TicketDoc => {
          if (x.status !== 'valid') throw new Error(`already ${x.status} by ${x.usedBy}`);
          return { ...x, status: 'used', usedAt: '2030-01-01T18:00:00Z', usedBy };
        };
      const results = await Promise.allSettled([
        store.mutate(t.showId, t.id, scan('g1')),
        make().mutate(t.showId, t.id, scan('g2')),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const winner = results[0]!.status === 'fulfilled' ? 'g1' : 'g2';
      expect((await store.read(t.showId, t.id))?.doc.usedBy).toBe(winner);
      expect(await store.read(t.showId, unique('t'))).toBeUndefined();
    });

    it('mutates the current ticket, and writes nothing when the mutator answers undefined', async () => {
      const store = make();
      const t = ticketDoc();
      await store.put(t);
      const voided = await store.mutate(t.showId, t.id, (x) =>
        x.status === 'valid' ? { ...x, status: 'void' } : undefined,
      );
      expect(voided).toEqual({ ...t, status: 'void' });
      const before = (await store.read(t.showId, t.id))!.etag;
      expect(await store.mutate(t.showId, t.id, () => undefined)).toEqual({ ...t, status: 'void' });
      expect((await store.read(t.showId, t.id))!.etag).toBe(before);
      expect(await store.mutate(t.showId, unique('t'), (x) => x)).toBeUndefined();
    });
  });
}
