// The per-user ticket cap under concurrency (docs/architecture.md, Waiting room: the ticket
// ledger). The real reservation loop (shared/waiting-room/ledger.ts) runs against an in-memory
// store with ETag semantics while fast-check's scheduler interleaves every read, write and booking
// lookup of many bookings of one user at once: whatever the order, the seats the ledger grants never
// pass the cap, every granted booking is on the ledger, and seats of ended bookings come back.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reserveSeats, releaseSeats, type LedgerDeps } from '../../../../shared/waiting-room/ledger.js';
import type { LedgerDoc, TicketLedgers } from '../../../../shared/waiting-room/ports.js';
import {
  reconcile,
  release,
  reserve,
  seatsOnLedger,
  type BookingFact,
} from '../../../../shared/domain/waiting-room/index.js';

const NOW = Date.parse('2030-01-01T10:00:00Z');
const GRACE = 60_000;

/** A one-document store: a read is a copy with its version; a save wins only on the version it read. */
function memoryLedgers(s: fc.Scheduler): TicketLedgers & {
  current(): LedgerDoc | undefined;
  seed(doc: LedgerDoc): void;
} {
  let stored: { doc: LedgerDoc; etag: string } | undefined;
  let version = 0;
  return {
    current: () => stored?.doc,
    seed: (doc) => (stored = { doc, etag: `v${++version}` }),
    read: () => s.schedule(Promise.resolve(stored && structuredClone(stored)), 'read'),
    save: (doc, etag) =>
      s.schedule(Promise.resolve(), 'save').then(() => {
        if ((etag === undefined && stored) || (etag !== undefined && stored?.etag !== etag)) return false;
        stored = { doc: structuredClone(doc), etag: `v${++version}` };
        return true;
      }),
  };
}

const requests = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 });

function deps(s: fc.Scheduler, ledgers: TicketLedgers, facts: Record<string, BookingFact>): LedgerDeps {
  return {
    ledgers,
    clock: () => NOW,
    graceMs: GRACE,
    facts: (_user, ids) =>
      s.schedule(
        Promise.resolve(Object.fromEntries(ids.filter((id) => facts[id]).map((id) => [id, facts[id]!]))),
        'facts',
      ),
  };
}

const request = (bookingId: string, seats: number, cap: number) => ({
  userId: 'u1',
  saleId: 'sale_1',
  showIds: ['s1', 's2'],
  bookingId,
  seats,
  cap,
});

describe('the ticket ledger under concurrent bookings', () => {
  it('never grants more than the cap, and records exactly the bookings it granted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), requests, fc.integer({ min: 1, max: 8 }), async (s, seats, cap) => {
        const ledgers = memoryLedgers(s);
        const d = deps(s, ledgers, {});
        const answers = seats.map((n, i) => reserveSeats(d, request(`bk${i}`, n, cap)));
        const all = await s.waitFor(Promise.all(answers));
        const granted = seats.filter((_, i) => all[i]!.ok);
        expect(granted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(cap);
        const doc = ledgers.current();
        const ids = seats.map((_, i) => `bk${i}`).filter((_, i) => all[i]!.ok);
        expect(Object.keys(doc?.lines ?? {}).sort()).toEqual(ids.sort());
        expect(seatsOnLedger(doc ?? { lines: {} })).toBe(granted.reduce((a, b) => a + b, 0));
        // A refusal says truly what was left when it was judged: less than asked.
        seats.forEach((n, i) => {
          const a = all[i]!;
          if (!a.ok) expect(a.left).toBeLessThan(n);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives back the seats of ended and shrunk bookings, while racing ones still never pass the cap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        requests,
        fc.array(
          fc.record({
            seats: fc.integer({ min: 1, max: 4 }),
            fact: fc.oneof(
              fc.constant<BookingFact>({ state: 'ended' }),
              fc.constant<BookingFact>({ state: 'absent' }),
              fc.integer({ min: 0, max: 4 }).map((n): BookingFact => ({ state: 'holds', seats: n })),
            ),
            ageMs: fc.integer({ min: 0, max: 2 * GRACE }),
          }),
          { maxLength: 4 },
        ),
        fc.integer({ min: 2, max: 10 }),
        async (s, seats, earlier, cap) => {
          const ledgers = memoryLedgers(s);
          const facts: Record<string, BookingFact> = {};
          const lines: LedgerDoc['lines'] = {};
          earlier.forEach((e, i) => {
            lines[`old${i}`] = { seats: e.seats, at: NOW - e.ageMs };
            facts[`old${i}`] = e.fact;
          });
          // What the earlier bookings still hold, from committed state.
          const live = seatsOnLedger(reconcile({ lines }, facts, NOW, GRACE));
          ledgers.seed({
            id: 'ticket-ledger:sale_1',
            userId: 'u1',
            saleId: 'sale_1',
            showIds: ['s1'],
            lines,
            updatedAt: '',
          });
          const d = deps(s, ledgers, facts);
          const answers = seats.map((n, i) => reserveSeats(d, request(`bk${i}`, n, cap)));
          const all = await s.waitFor(Promise.all(answers));
          const granted = seats.filter((_, i) => all[i]!.ok).reduce((a, b) => a + b, 0);
          // The cap counts what earlier bookings still hold plus what was granted now.
          expect(granted).toBeLessThanOrEqual(Math.max(0, cap - live));
          // A booking that fits on what is really left is never refused when it asks alone.
          if (seats.length === 1 && live + seats[0]! <= cap) expect(all[0]!.ok).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('releases a line once, and a release racing a reservation loses nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 4 }), async (s, n) => {
        const ledgers = memoryLedgers(s);
        const d = deps(s, ledgers, {});
        const first = reserveSeats(d, request('bkA', n, 8));
        await s.waitFor(first);
        const both = Promise.all([releaseSeats(d, 'u1', 'sale_1', 'bkA'), reserveSeats(d, request('bkB', n, 8))]);
        const [, b] = await s.waitFor(both);
        expect(b.ok).toBe(true);
        expect(Object.keys(ledgers.current()!.lines)).toEqual(['bkB']);
      }),
      { numRuns: 100 },
    );
  });
});

describe('the ledger rules', () => {
  it('reserve keeps a booking’s line as it is; release drops only that line', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (a, b) => {
        const one = reserve({ lines: {} }, 'x', a, 12, NOW);
        expect(one.ok).toBe(true);
        if (!one.ok) return;
        const again = reserve(one.ledger, 'x', b, 12, NOW);
        expect(again).toEqual({ ok: true, ledger: one.ledger, changed: false });
        expect(release(one.ledger, 'y')).toBeUndefined();
        expect(release(one.ledger, 'x')).toEqual({ lines: {} });
      }),
    );
  });
});
