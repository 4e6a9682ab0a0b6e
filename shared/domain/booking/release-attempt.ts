// Which seats a booking attempt that has ended (failed, expired — its saga or the reconciler ended
// it) must give back (docs/architecture.md, Sagas: Seats of an ended attempt). Not only the seats
// its hold still holds: a confirmation that ran late — the saga's confirmSeats, or bookingRecovery's,
// deciding on a copy of the booking read before the end was committed — may have booked them for
// the booking after all. Such a seat belongs to nobody: no booking owns it and nobody can buy it.
// Seats booked under another hold (another attempt, a later booking) are never touched.
import type { SeatMap, SeatState } from '../section.js';
import { isTerminal, type BookingStatus } from './state-machine.js';

export interface EndedAttempt {
  bookingId: string;
  /** The attempt's hold id (shared/booking/steps.ts holdIdOf): its holds and the seats it booked carry it. */
  holdId: string;
  /** The attempt's seats; without them, every seat of the section the attempt holds or booked. */
  seatIds?: readonly string[];
}

export interface AttemptRelease {
  seats: SeatMap;
  changed: boolean;
  /** The seats freed: held under the attempt's hold, or booked for the booking under it. */
  freed: string[];
}

/** Whether the seats of a booking in `status` are its own, or must go back (the booking ended unconfirmed). */
export const attemptEnded = (status: BookingStatus): boolean => isTerminal(status);

/** Frees every seat the ended attempt still holds or booked late; other seats are left as they are. */
export function releaseAttempt(seats: SeatMap, attempt: EndedAttempt): AttemptRelease {
  const ids = attempt.seatIds ?? Object.keys(seats);
  const freed = ids.filter((id) => isOfAttempt(seats[id], attempt));
  if (!freed.length) return { seats, changed: false, freed };
  const next: Record<string, SeatState> = { ...seats };
  for (const id of freed) delete next[id];
  return { seats: next, changed: true, freed };
}

function isOfAttempt(st: SeatState | undefined, a: EndedAttempt): boolean {
  if (st?.s === 'held') return st.holdId === a.holdId;
  if (st?.s === 'booked') return st.holdId === a.holdId && st.bookingId === a.bookingId;
  return false;
}
