// The per-user ticket cap's use-case (docs/architecture.md, Waiting room: the ticket ledger): the
// conditional-write loop around the pure rules of shared/domain/waiting-room/ledger.ts. A lost
// write (412: another booking of the same user changed the ledger first) re-reads and judges the cap
// again on the fresh copy, so no interleaving of concurrent bookings passes it — the property test
// test/unit/domain/waiting-room/ledger.property.test.ts runs this very loop under random schedules.
import { emptyLedger, reconcile, release, reserve, type BookingFact } from '../domain/waiting-room/index.js';
import { DocumentContendedError } from '../ports/documents.js';
import { ledgerIdOf, type LedgerDoc, type TicketLedgers } from './ports.js';

export interface LedgerRequest {
  userId: string;
  saleId: string;
  showIds: string[];
  bookingId: string;
  seats: number;
  cap: number;
}

export interface LedgerDeps {
  ledgers: TicketLedgers;
  /** The committed state of the user's bookings named (only asked when a reservation would pass the cap). */
  facts(userId: string, bookingIds: string[]): Promise<Record<string, BookingFact>>;
  clock: () => number;
  /** How long a line whose booking is not recorded yet still counts (see reconcile). */
  graceMs: number;
}

const ATTEMPTS = 12;

/** Reserved (or already this booking's); otherwise what the cap leaves. */
export type LedgerAnswer = { ok: true } | { ok: false; held: number; left: number };

export async function reserveSeats(d: LedgerDeps, r: LedgerRequest): Promise<LedgerAnswer> {
  let checked = false;
  for (let i = 0; i < ATTEMPTS; i++) {
    const now = d.clock();
    const stored = await d.ledgers.read(r.userId, r.saleId);
    let ledger = stored?.doc ?? fresh(r, now);
    let answer = reserve(ledger, r.bookingId, r.seats, r.cap, now);
    if (!answer.ok && !checked) {
      // Near the cap: give back what ended bookings no longer hold, then judge again. A fact is
      // never older than the read it is applied to (lines added since are kept as they are).
      const facts = await d.facts(r.userId, Object.keys(ledger.lines));
      ledger = { ...ledger, ...reconcile(ledger, facts, d.clock(), d.graceMs) };
      answer = reserve(ledger, r.bookingId, r.seats, r.cap, now);
      checked = true;
    }
    if (!answer.ok) {
      // Nothing to give back may still have been worth writing (a reconciled copy); the next
      // reservation reconciles again, so the refusal does not wait for it.
      return { ok: false, held: answer.held, left: answer.left };
    }
    if (!answer.changed && stored) return { ok: true };
    const doc: LedgerDoc = { ...ledger, ...answer.ledger, updatedAt: new Date(now).toISOString() };
    if (await d.ledgers.save(doc, stored?.etag)) return { ok: true };
    checked = false;
    await new Promise((res) => setTimeout(res, Math.floor(Math.random() * 5 * (i + 1))));
  }
  throw new DocumentContendedError(ledgerIdOf(r.saleId), ATTEMPTS);
}

/** Gives the booking's line back (a booking refused before it held, or never recorded). Idempotent. */
export async function releaseSeats(d: LedgerDeps, userId: string, saleId: string, bookingId: string): Promise<void> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const stored = await d.ledgers.read(userId, saleId);
    const next = stored && release(stored.doc, bookingId);
    if (!stored || !next) return;
    const doc: LedgerDoc = { ...stored.doc, ...next, updatedAt: new Date(d.clock()).toISOString() };
    if (await d.ledgers.save(doc, stored.etag)) return;
  }
  throw new DocumentContendedError(ledgerIdOf(saleId), ATTEMPTS);
}

function fresh(r: LedgerRequest, now: number): LedgerDoc {
  return {
    id: ledgerIdOf(r.saleId),
    userId: r.userId,
    saleId: r.saleId,
    showIds: r.showIds,
    ...emptyLedger(),
    updatedAt: new Date(now).toISOString(),
  };
}
