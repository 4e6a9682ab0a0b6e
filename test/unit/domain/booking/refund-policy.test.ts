import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  defaultPricingPolicy,
  defaultRefundPolicy,
  priceSeats,
  quoteRefund,
  refundPolicy,
  type RefundableBooking,
} from '../../../../shared/domain/booking/index.js';

const show = '2026-12-01T18:30:00.000Z';
const HOUR = 3_600_000;
const before = (ms: number) => new Date(Date.parse(show) - ms);

function booking(overrides: Partial<RefundableBooking> = {}): RefundableBooking {
  const priced = priceSeats(
    [
      { seatId: 'A1', category: 'CLASSIC' },
      { seatId: 'A2', category: 'CLASSIC' },
      { seatId: 'A3', category: 'PRIME' },
    ],
    { currency: 'INR', prices: { CLASSIC: 20_000, PRIME: 30_001 } },
    defaultPricingPolicy,
  );
  if (!priced.ok) throw new Error('fixture');
  return { status: 'confirmed', currency: 'INR', showStartsAt: show, lines: priced.breakdown.lines, ...overrides };
}

describe('refund policy', () => {
  it('refunds the full ticket price and keeps the fees from exactly 24 hours before the show', () => {
    const q = quoteRefund(booking(), ['A1', 'A2'], before(24 * HOUR), defaultRefundPolicy);
    expect(q).toMatchObject({
      ok: true,
      tier: { refundBp: 10_000 },
      refund: { minor: 40_000, currency: 'INR' },
      feesKept: { minor: 4_720 },
      whole: false,
    });
    expect(q.ok && q.remaining.map((l) => l.seatId)).toEqual(['A3']);
  });

  it('refunds half one millisecond under 24 hours and at exactly 4 hours, rounding down', () => {
    for (const at of [before(24 * HOUR - 1), before(4 * HOUR)]) {
      const q = quoteRefund(booking(), ['A3'], at, defaultRefundPolicy);
      expect(q).toMatchObject({
        ok: true,
        tier: { refundBp: 5000 },
        refund: { minor: 15_000 },
        ticketValue: { minor: 30_001 },
      });
    }
  });

  it('refuses one millisecond under 4 hours, and once the show has started', () => {
    expect(quoteRefund(booking(), ['A1'], before(4 * HOUR - 1), defaultRefundPolicy)).toMatchObject({
      ok: false,
      code: 'TOO_LATE',
    });
    expect(quoteRefund(booking(), ['A1'], before(0), defaultRefundPolicy)).toMatchObject({
      ok: false,
      code: 'SHOW_STARTED',
    });
    expect(quoteRefund(booking(), ['A1'], before(-HOUR), defaultRefundPolicy)).toMatchObject({
      ok: false,
      code: 'SHOW_STARTED',
    });
  });

  it('refuses non-refundable shows, unconfirmed bookings and seats not in the booking', () => {
    const early = before(48 * HOUR);
    expect(quoteRefund(booking({ nonRefundable: true }), ['A1'], early, defaultRefundPolicy)).toMatchObject({
      ok: false,
      code: 'NON_REFUNDABLE',
    });
    expect(quoteRefund(booking({ status: 'cancelling' }), ['A1'], early, defaultRefundPolicy)).toMatchObject({
      ok: false,
      code: 'NOT_CONFIRMED',
    });
    expect(quoteRefund(booking(), ['Z9'], early, defaultRefundPolicy)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_SEAT',
    });
    expect(quoteRefund(booking(), [], early, defaultRefundPolicy)).toMatchObject({ ok: false, code: 'NO_SEATS' });
    expect(quoteRefund(booking(), ['A1', 'A1'], early, defaultRefundPolicy)).toMatchObject({
      ok: false,
      code: 'DUPLICATE_SEAT',
    });
  });

  it('cancels the whole booking when every seat is named', () => {
    const q = quoteRefund(booking(), ['A3', 'A1', 'A2'], before(30 * HOUR), defaultRefundPolicy);
    expect(q).toMatchObject({ ok: true, whole: true, remaining: [], refund: { minor: 70_001 } });
  });

  it('reads its tiers from settings', () => {
    const policy = refundPolicy({ fullBeforeHours: 48, partialBeforeHours: 2, partialBp: 2500 });
    expect(quoteRefund(booking(), ['A1'], before(47 * HOUR), policy)).toMatchObject({
      ok: true,
      refund: { minor: 5_000 },
    });
    expect(quoteRefund(booking(), ['A1'], before(2 * HOUR), policy)).toMatchObject({
      ok: true,
      refund: { minor: 5_000 },
    });
    expect(quoteRefund(booking(), ['A1'], before(2 * HOUR - 1), policy)).toMatchObject({ ok: false, code: 'TOO_LATE' });
  });

  it('never refunds more than the ticket value of the cancelled seats, nor a negative amount (property)', () => {
    const b = booking();
    fc.assert(
      fc.property(
        fc.integer({ min: -10 * HOUR, max: 100 * HOUR }),
        fc.subarray(['A1', 'A2', 'A3'], { minLength: 1 }),
        (ms, seats) => {
          const q = quoteRefund(b, seats, before(ms), defaultRefundPolicy);
          if (!q.ok) return ms < 4 * HOUR;
          return (
            Number.isSafeInteger(q.refund.minor) &&
            q.refund.minor >= 0 &&
            q.refund.minor <= q.ticketValue.minor &&
            q.remaining.length + q.seatIds.length === 3
          );
        },
      ),
    );
  });
});
