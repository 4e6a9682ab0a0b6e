// The per-user ticket cap of a hot sale (docs/architecture.md, Waiting room: the ticket ledger).
// One ledger per (sale, user) counts the seats each of the user's bookings of the sale's shows
// holds; a booking reserves its seats on the ledger before it holds any, under the ledger's ETag,
// so two bookings racing in two tabs (or on two shows of the event) cannot both pass the cap: the
// loser re-reads and is judged on the winner's line. Lines follow their bookings: when a reservation
// would pass the cap, each line is checked against its booking's committed state first, and a
// booking that ended (refused, expired, released, cancelled) or shrank (a partial refund) gives its
// seats back.

/** Seats one booking reserved, and when (ms). */
export interface LedgerLine {
  seats: number;
  at: number;
}

export interface Ledger {
  /** bookingId → its line. */
  lines: Record<string, LedgerLine>;
}

export const emptyLedger = (): Ledger => ({ lines: {} });

/** Seats the ledger counts now. */
export const seatsOnLedger = (ledger: Ledger): number =>
  Object.values(ledger.lines).reduce((n, line) => n + line.seats, 0);

export type Reservation = { ok: true; ledger: Ledger; changed: boolean } | { ok: false; held: number; left: number };

/**
 * Reserves `seats` for `bookingId` under `cap`. A booking that has a line keeps it unchanged (a
 * replay or a retried attempt of the same request asks for the same seats; a partial refund has
 * already made it smaller, and asking again must not grow it back).
 */
export function reserve(ledger: Ledger, bookingId: string, seats: number, cap: number, now: number): Reservation {
  if (ledger.lines[bookingId]) return { ok: true, ledger, changed: false };
  const held = seatsOnLedger(ledger);
  if (held + seats > cap) return { ok: false, held, left: Math.max(0, cap - held) };
  return { ok: true, ledger: { lines: { ...ledger.lines, [bookingId]: { seats, at: now } } }, changed: true };
}

/** The line of `bookingId` removed (undefined: it had none, nothing to write). */
export function release(ledger: Ledger, bookingId: string): Ledger | undefined {
  if (!ledger.lines[bookingId]) return undefined;
  const { [bookingId]: _gone, ...lines } = ledger.lines;
  return { lines };
}

/**
 * What a booking's committed state says its line is worth: `ended` gives every seat back,
 * `holds` counts the seats it has now (fewer after a partial refund), `absent` means no booking
 * was recorded under that id (yet: the request that reserved may still be on its way to create it).
 */
export type BookingFact = { state: 'holds'; seats: number } | { state: 'ended' } | { state: 'absent' };

/**
 * The ledger after checking each line against its booking. A line whose booking is absent is kept
 * for `graceMs` after it was reserved (the reserving request creates the booking right after), then
 * given back: the request died between the two writes. Lines without a fact are kept as they are.
 */
export function reconcile(ledger: Ledger, facts: Record<string, BookingFact>, now: number, graceMs: number): Ledger {
  const lines: Record<string, LedgerLine> = {};
  for (const [id, line] of Object.entries(ledger.lines)) {
    const fact = facts[id];
    if (!fact) lines[id] = line;
    else if (fact.state === 'holds') lines[id] = { ...line, seats: Math.min(line.seats, fact.seats) };
    else if (fact.state === 'absent' && now - line.at < graceMs) lines[id] = line;
  }
  return { lines };
}
