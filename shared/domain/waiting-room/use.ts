// Admissions are single-use (docs/architecture.md, Waiting room: one admission, one booking). The
// first booking made with an admission binds it — recorded on the queue entry under its ETag, so
// two tabs racing with the same token cannot both win — and from then on the token books only that
// booking (its replays and retried attempts under the same Idempotency-Key). A booking refused before
// it held a seat lets the admission go again (seats were taken between the map and the click); once
// it held seats the admission is spent, also after that booking ends: the buyer queues again.

/** The booking an admission was used for, recorded on the queue entry. */
export interface AdmissionUse {
  /** The entry's key when it was used: a user back in the queue has a new key, and a new admission. */
  key: string;
  bookingId: string;
  /** When it was bound (ms). */
  at: number;
}

/**
 * What the booking that holds the admission says, from committed state: `spent` (in flight, holding,
 * bought, or ended after holding), `released` (refused before holding a seat), `absent` (no booking
 * under that id: the binding request is still on its way to create it, or died).
 */
export type UseFact = 'spent' | 'released' | 'absent';

/**
 * `bind`: this booking may take the admission (nobody holds it, or its holder let it go);
 * `mine`: it is already this booking's; `used`: another booking has it.
 * Without a `bookingId` (a best-available suggestion) the answer is `bind` or `used`, nothing is bound.
 */
export function admissionUse(
  use: AdmissionUse | undefined,
  key: string,
  bookingId: string | undefined,
  fact: UseFact | undefined,
  now: number,
  graceMs: number,
): 'bind' | 'mine' | 'used' {
  if (!use || use.key !== key) return 'bind';
  if (bookingId !== undefined && use.bookingId === bookingId) return 'mine';
  if (fact === 'released') return 'bind';
  if (fact === 'absent' && now - use.at >= graceMs) return 'bind';
  return 'used';
}

/** Statuses of a booking that took seats at some point (its history says whether it ever held). */
const HELD_STATUSES = ['held', 'paying', 'confirmed', 'cancelling', 'cancelled', 'refund_failed'];

/** The use fact of a committed booking (undefined: none recorded). */
export function useFactOf(booking: { status: string; history: readonly { status: string }[] } | undefined): UseFact {
  if (!booking) return 'absent';
  if (booking.status === 'pending' || HELD_STATUSES.includes(booking.status)) return 'spent';
  // failed or expired: spent only if it held seats before it ended.
  return booking.history.some((h) => HELD_STATUSES.includes(h.status)) ? 'spent' : 'released';
}
