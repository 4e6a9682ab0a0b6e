import { describe, expect, it } from 'vitest';
import { attemptEnded, releaseAttempt } from '../../../../shared/domain/booking/index.js';
import type { SeatMap } from '../../../../shared/domain/section.js';

const later = '2030-01-01T10:10:00.000Z';
const earlier = '2030-01-01T09:50:00.000Z';

describe('releaseAttempt: the seats an ended booking attempt gives back', () => {
  const seats: SeatMap = {
    A1: { s: 'held', holdId: 'bk1', userId: 'u1', expiresAt: later },
    A2: { s: 'held', holdId: 'bk1', userId: 'u1', expiresAt: earlier },
    // Booked late for the ended attempt: a confirmation that read the booking before it ended.
    A3: { s: 'booked', bookingId: 'bk1', holdId: 'bk1' },
    // Another attempt of the same booking, another booking, another hold, an operator's block.
    B1: { s: 'booked', bookingId: 'bk1', holdId: 'bk1.2' },
    B2: { s: 'booked', bookingId: 'bk2', holdId: 'bk2' },
    B3: { s: 'held', holdId: 'bk3', userId: 'u3', expiresAt: later },
    B4: { s: 'blocked' },
  };

  it("frees the attempt's holds (expired or not) and the seats booked late for it, nothing else", () => {
    const r = releaseAttempt(seats, { bookingId: 'bk1', holdId: 'bk1' });
    expect(r.changed).toBe(true);
    expect(r.freed.sort()).toEqual(['A1', 'A2', 'A3']);
    expect(Object.keys(r.seats).sort()).toEqual(['B1', 'B2', 'B3', 'B4']);
    expect(r.seats.B2).toBe(seats.B2);
  });

  it('looks only at the seats named, and is a no-op when run again', () => {
    const r = releaseAttempt(seats, { bookingId: 'bk1', holdId: 'bk1', seatIds: ['A3', 'B2', 'C9'] });
    expect(r.freed).toEqual(['A3']);
    const again = releaseAttempt(r.seats, { bookingId: 'bk1', holdId: 'bk1', seatIds: ['A3', 'B2', 'C9'] });
    expect(again).toEqual({ seats: r.seats, changed: false, freed: [] });
  });

  it('never frees a seat booked under the hold id for another booking', () => {
    const odd: SeatMap = { A1: { s: 'booked', bookingId: 'other', holdId: 'bk1' } };
    expect(releaseAttempt(odd, { bookingId: 'bk1', holdId: 'bk1' }).changed).toBe(false);
  });

  it('treats failed, expired and cancelled bookings as ended; live and confirmed ones keep their seats', () => {
    expect(['failed', 'expired', 'cancelled'].every((s) => attemptEnded(s as never))).toBe(true);
    expect(
      ['pending', 'held', 'paying', 'confirmed', 'cancelling', 'refund_failed'].some((s) => attemptEnded(s as never)),
    ).toBe(false);
  });
});
