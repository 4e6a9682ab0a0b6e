// The state of one inventory section and the pure operations on it (docs/architecture.md, Seats and holds). A section
// stores only its non-free seats, so an empty show is a tiny document and a write carries only
// what changed hands. Every operation returns the new map of seats or a typed outcome; nothing here
// reads a clock — callers pass `now` (epoch ms).
//
// Invariants (property-tested in test/unit/domain/section.property.test.ts):
// - a seat is in at most one state, so never in two holds or two bookings;
// - an expired hold reads as free: anyone may take the seat;
// - replaying hold/confirm/release with the same holdId/bookingId is harmless (idempotent).

export type SeatState =
  | { s: 'held'; holdId: string; userId: string; expiresAt: string }
  | { s: 'booked'; bookingId: string; holdId: string }
  | { s: 'blocked' };

/** Seat id → state; absent means free. */
export type SeatMap = Readonly<Record<string, SeatState>>;

export type Effective = 'free' | 'held' | 'booked' | 'blocked';

export type FailureReason = 'SEATS_UNAVAILABLE' | 'HOLD_NOT_FOUND' | 'HOLD_EXPIRED';

export interface Failure {
  ok: false;
  reason: FailureReason;
  /** The seats that caused the failure, in request order. */
  seats: string[];
}

export interface Success {
  ok: true;
  seats: SeatMap;
  /** False when the operation was a replay that left the section as it was. */
  changed: boolean;
  /** The seats the operation applies to (e.g. those released or confirmed). */
  affected: string[];
}

export type Outcome = Success | Failure;

export function isActiveHold(state: SeatState | undefined, now: number): state is Extract<SeatState, { s: 'held' }> {
  return state?.s === 'held' && Date.parse(state.expiresAt) > now;
}

/** How a seat reads at `now`: an expired hold is free. */
export function effective(state: SeatState | undefined, now: number): Effective {
  if (!state) return 'free';
  if (state.s === 'held') return Date.parse(state.expiresAt) > now ? 'held' : 'free';
  return state.s;
}

export interface HoldRequest {
  seatIds: readonly string[];
  holdId: string;
  userId: string;
  expiresAt: string;
  now: number;
}

/** Holds every seat or none. Seats already held (or confirmed) under the same holdId are fine. */
export function holdSeats(seats: SeatMap, req: HoldRequest): Outcome {
  const taken: string[] = [];
  let replay = true;
  for (const id of req.seatIds) {
    const st = seats[id];
    if (st && ((st.s === 'held' && st.holdId === req.holdId) || (st.s === 'booked' && st.holdId === req.holdId)))
      continue;
    replay = false;
    if (effective(st, req.now) !== 'free') taken.push(id);
  }
  if (taken.length) return { ok: false, reason: 'SEATS_UNAVAILABLE', seats: taken };
  if (replay) return { ok: true, seats, changed: false, affected: [...req.seatIds] };
  const next: Record<string, SeatState> = { ...seats };
  for (const id of req.seatIds) {
    const st = next[id];
    if (st?.s === 'booked') continue;
    next[id] = { s: 'held', holdId: req.holdId, userId: req.userId, expiresAt: req.expiresAt };
  }
  return { ok: true, seats: next, changed: true, affected: [...req.seatIds] };
}

/**
 * Keeps a hold past its expiry while nobody knows whether it was paid (docs/architecture.md, Sagas:
 * Recovery and late payments): seats still held under holdId, expired or not, run until
 * `expiresAt` if that is later; seats nobody holds any more are taken again; seats booked under the
 * hold stay booked. All of them or none, like holdSeats.
 */
export function extendHold(seats: SeatMap, req: HoldRequest): Outcome {
  const taken: string[] = [];
  const next: Record<string, SeatState> = { ...seats };
  let changed = false;
  for (const id of req.seatIds) {
    const st = seats[id];
    if (st?.s === 'booked' && st.holdId === req.holdId) continue;
    if (st?.s === 'held' && st.holdId === req.holdId) {
      if (Date.parse(st.expiresAt) >= Date.parse(req.expiresAt)) continue;
      next[id] = { ...st, expiresAt: req.expiresAt };
    } else if (effective(st, req.now) !== 'free') {
      taken.push(id);
      continue;
    } else {
      next[id] = { s: 'held', holdId: req.holdId, userId: req.userId, expiresAt: req.expiresAt };
    }
    changed = true;
  }
  if (taken.length) return { ok: false, reason: 'SEATS_UNAVAILABLE', seats: taken };
  return { ok: true, seats: changed ? next : seats, changed, affected: [...req.seatIds] };
}

/** Frees the seats still held under holdId (all of them, or only `seatIds`). Never touches bookings. */
export function releaseHold(seats: SeatMap, holdId: string, seatIds?: readonly string[]): Success {
  const ids = seatIds ?? Object.keys(seats);
  const affected = ids.filter((id) => {
    const st = seats[id];
    return st?.s === 'held' && st.holdId === holdId;
  });
  if (!affected.length) return { ok: true, seats, changed: false, affected };
  const next: Record<string, SeatState> = { ...seats };
  for (const id of affected) delete next[id];
  return { ok: true, seats: next, changed: true, affected };
}

export interface ConfirmRequest {
  holdId: string;
  bookingId: string;
  /** The seats the booking expects; without it, whatever the hold still has. */
  seatIds?: readonly string[];
}

/**
 * Turns the hold into a booking. A hold that expired but whose seats nobody took still confirms
 * (the customer paid); a seat someone else took fails the whole confirmation (the saga refunds).
 */
export function confirmHold(seats: SeatMap, req: ConfirmRequest): Outcome {
  const ids =
    req.seatIds ??
    Object.keys(seats).filter((id) => {
      const st = seats[id];
      return (st?.s === 'held' && st.holdId === req.holdId) || (st?.s === 'booked' && st.bookingId === req.bookingId);
    });
  if (!ids.length) return { ok: false, reason: 'HOLD_NOT_FOUND', seats: [] };
  const lost: string[] = [];
  let replay = true;
  for (const id of ids) {
    const st = seats[id];
    if (st?.s === 'booked' && st.bookingId === req.bookingId) continue;
    replay = false;
    if (!(st?.s === 'held' && st.holdId === req.holdId)) lost.push(id);
  }
  if (lost.length) {
    const freed = lost.every((id) => !seats[id]);
    return { ok: false, reason: freed ? 'HOLD_EXPIRED' : 'SEATS_UNAVAILABLE', seats: lost };
  }
  if (replay) return { ok: true, seats, changed: false, affected: [...ids] };
  const next: Record<string, SeatState> = { ...seats };
  for (const id of ids) next[id] = { s: 'booked', bookingId: req.bookingId, holdId: req.holdId };
  return { ok: true, seats: next, changed: true, affected: [...ids] };
}

/** Operator block: free (or expired-hold) seats become blocked; active holds and bookings refuse. */
export function blockSeats(seats: SeatMap, seatIds: readonly string[], now: number): Outcome {
  const taken = seatIds.filter((id) => {
    const e = effective(seats[id], now);
    return e === 'held' || e === 'booked';
  });
  if (taken.length) return { ok: false, reason: 'SEATS_UNAVAILABLE', seats: taken };
  const toBlock = seatIds.filter((id) => seats[id]?.s !== 'blocked');
  if (!toBlock.length) return { ok: true, seats, changed: false, affected: [...seatIds] };
  const next: Record<string, SeatState> = { ...seats };
  for (const id of toBlock) next[id] = { s: 'blocked' };
  return { ok: true, seats: next, changed: true, affected: [...seatIds] };
}

/** Blocked seats become free; other seats are left as they are. */
export function unblockSeats(seats: SeatMap, seatIds: readonly string[]): Success {
  const affected = seatIds.filter((id) => seats[id]?.s === 'blocked');
  if (!affected.length) return { ok: true, seats, changed: false, affected };
  const next: Record<string, SeatState> = { ...seats };
  for (const id of affected) delete next[id];
  return { ok: true, seats: next, changed: true, affected };
}

/** Removes holds that expired before `cutoff` (the sweeper passes now − grace). */
export function sweepExpired(seats: SeatMap, cutoff: number): Success {
  const affected = Object.keys(seats).filter((id) => {
    const st = seats[id];
    return st?.s === 'held' && Date.parse(st.expiresAt) < cutoff;
  });
  if (!affected.length) return { ok: true, seats, changed: false, affected };
  const next: Record<string, SeatState> = { ...seats };
  for (const id of affected) delete next[id];
  return { ok: true, seats: next, changed: true, affected };
}

/** The earliest expiry among holds (ISO), so the sweeper can find sections worth visiting. */
export function earliestHoldExpiry(seats: SeatMap): string | null {
  let min: string | null = null;
  for (const st of Object.values(seats))
    if (st.s === 'held' && (min === null || st.expiresAt < min)) min = st.expiresAt;
  return min;
}
