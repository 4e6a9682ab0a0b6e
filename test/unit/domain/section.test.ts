import { describe, expect, it } from 'vitest';
import {
  blockSeats,
  confirmHold,
  effective,
  holdSeats,
  releaseHold,
  sweepExpired,
  unblockSeats,
  earliestHoldExpiry,
  type SeatMap,
} from '../../../shared/domain/section.js';
import { T0, iso } from './fixtures.js';

const hold = (seats: SeatMap, seatIds: string[], holdId: string, now = T0, ttl = 600_000) =>
  holdSeats(seats, { seatIds, holdId, userId: `u-${holdId}`, expiresAt: iso(now + ttl), now });

describe('section operations', () => {
  it('holds free seats all together and refuses the whole request when one is taken', () => {
    const a = hold({}, ['A1', 'A2'], 'h1');
    expect(a.ok && a.changed).toBe(true);
    if (!a.ok) throw new Error();
    const b = hold(a.seats, ['A2', 'A3'], 'h2');
    expect(b).toEqual({ ok: false, reason: 'SEATS_UNAVAILABLE', seats: ['A2'] });
  });

  it('treats an expired hold as free for everyone', () => {
    const a = hold({}, ['A1'], 'h1', T0, 1000);
    if (!a.ok) throw new Error();
    expect(effective(a.seats.A1, T0 + 999)).toBe('held');
    expect(effective(a.seats.A1, T0 + 1000)).toBe('free');
    const b = hold(a.seats, ['A1'], 'h2', T0 + 1000);
    expect(b.ok && b.seats.A1).toMatchObject({ s: 'held', holdId: 'h2' });
  });

  it('is idempotent for the same holdId: a replay changes nothing and keeps the expiry', () => {
    const a = hold({}, ['A1', 'A2'], 'h1');
    if (!a.ok) throw new Error();
    const again = hold(a.seats, ['A1', 'A2'], 'h1', T0 + 5000);
    expect(again).toMatchObject({ ok: true, changed: false });
    expect(again.ok && again.seats).toBe(a.seats);
  });

  it('confirms a hold into a booking once, and a replay with the same bookingId is harmless', () => {
    const a = hold({}, ['A1', 'A2'], 'h1');
    if (!a.ok) throw new Error();
    const c = confirmHold(a.seats, { holdId: 'h1', bookingId: 'b1' });
    expect(c).toMatchObject({ ok: true, changed: true, affected: ['A1', 'A2'] });
    if (!c.ok) throw new Error();
    expect(c.seats.A1).toEqual({ s: 'booked', bookingId: 'b1', holdId: 'h1' });
    expect(confirmHold(c.seats, { holdId: 'h1', bookingId: 'b1' })).toMatchObject({ ok: true, changed: false });
    expect(confirmHold(c.seats, { holdId: 'h1', bookingId: 'b2' })).toMatchObject({
      ok: false,
      reason: 'HOLD_NOT_FOUND',
    });
  });

  it('confirms an expired hold nobody took, but not one whose seat went to someone else', () => {
    const a = hold({}, ['A1', 'A2'], 'h1', T0, 1000);
    if (!a.ok) throw new Error();
    expect(confirmHold(a.seats, { holdId: 'h1', bookingId: 'b1', seatIds: ['A1', 'A2'] })).toMatchObject({ ok: true });
    const b = hold(a.seats, ['A2'], 'h2', T0 + 2000);
    if (!b.ok) throw new Error();
    expect(confirmHold(b.seats, { holdId: 'h1', bookingId: 'b1', seatIds: ['A1', 'A2'] })).toEqual({
      ok: false,
      reason: 'SEATS_UNAVAILABLE',
      seats: ['A2'],
    });
    const released = releaseHold(a.seats, 'h1');
    expect(confirmHold(released.seats, { holdId: 'h1', bookingId: 'b1', seatIds: ['A1', 'A2'] })).toEqual({
      ok: false,
      reason: 'HOLD_EXPIRED',
      seats: ['A1', 'A2'],
    });
  });

  it('releases only its own hold, never a booking, and twice is fine', () => {
    const a = hold({}, ['A1'], 'h1');
    if (!a.ok) throw new Error();
    const b = hold(a.seats, ['A2'], 'h2');
    if (!b.ok) throw new Error();
    const r = releaseHold(b.seats, 'h1');
    expect(r.affected).toEqual(['A1']);
    expect(Object.keys(r.seats)).toEqual(['A2']);
    expect(releaseHold(r.seats, 'h1')).toMatchObject({ changed: false, affected: [] });
    const c = confirmHold(r.seats, { holdId: 'h2', bookingId: 'b2' });
    if (!c.ok) throw new Error();
    expect(releaseHold(c.seats, 'h2').changed).toBe(false);
  });

  it('blocks free seats only and unblocks blocked seats only', () => {
    const a = hold({}, ['A1'], 'h1');
    if (!a.ok) throw new Error();
    expect(blockSeats(a.seats, ['A1', 'A2'], T0)).toEqual({ ok: false, reason: 'SEATS_UNAVAILABLE', seats: ['A1'] });
    const b = blockSeats(a.seats, ['A2', 'A3'], T0);
    if (!b.ok) throw new Error();
    expect(hold(b.seats, ['A2'], 'h9')).toMatchObject({ ok: false, seats: ['A2'] });
    expect(blockSeats(b.seats, ['A2'], T0)).toMatchObject({ ok: true, changed: false });
    const u = unblockSeats(b.seats, ['A1', 'A2']);
    expect(u.affected).toEqual(['A2']);
    expect(u.seats.A1).toMatchObject({ s: 'held' });
  });

  it('sweeps holds expired before the cutoff and reports the earliest expiry', () => {
    const a = hold({}, ['A1'], 'h1', T0, 1000);
    if (!a.ok) throw new Error();
    const b = hold(a.seats, ['A2'], 'h2', T0, 60_000);
    if (!b.ok) throw new Error();
    expect(earliestHoldExpiry(b.seats)).toBe(iso(T0 + 1000));
    expect(sweepExpired(b.seats, T0 + 1000).affected).toEqual([]);
    const s = sweepExpired(b.seats, T0 + 1001);
    expect(s.affected).toEqual(['A1']);
    expect(earliestHoldExpiry(s.seats)).toBe(iso(T0 + 60_000));
  });
});
