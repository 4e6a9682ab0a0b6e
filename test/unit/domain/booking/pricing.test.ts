import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  defaultPricingPolicy,
  percentHalfUp,
  priceSeats,
  type PriceTable,
  type PricingPolicy,
} from '../../../../shared/domain/booking/index.js';

const table: PriceTable = { currency: 'INR', prices: { CLASSIC: 20_000, PRIME: 35_050, RECLINER: 0 } };

describe('pricing', () => {
  it('charges the ticket price, a 10 % convenience fee and 18 % GST on the fee', () => {
    const r = priceSeats(
      [
        { seatId: 'A1', category: 'CLASSIC' },
        { seatId: 'A2', category: 'CLASSIC' },
      ],
      table,
      defaultPricingPolicy,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const b = r.breakdown;
    // ₹200 ticket → ₹20 fee → ₹3.60 GST on it.
    expect(b.lines[0]).toMatchObject({
      ticket: { minor: 20_000 },
      fee: { minor: 2_000 },
      feeTax: { minor: 360 },
      ticketTax: { minor: 0 },
      total: { minor: 22_360 },
    });
    expect(b.tickets.minor).toBe(40_000);
    expect(b.fees.minor).toBe(4_000);
    expect(b.taxes.minor).toBe(720);
    expect(b.total).toEqual({ minor: 44_720, currency: 'INR' });
  });

  it('rounds each line half-up to the paisa', () => {
    // ₹350.50 → fee 3505 paise; GST 18 % of 3505 = 630.9 → 631.
    const r = priceSeats([{ seatId: 'B1', category: 'PRIME' }], table, defaultPricingPolicy);
    expect(r.ok && r.breakdown.lines[0]!.feeTax.minor).toBe(631);
    expect(percentHalfUp(25, 2000)).toBe(5); // 5.0 exactly
    expect(percentHalfUp(1, 5000)).toBe(1); // 0.5 → 1
    expect(percentHalfUp(1, 4999)).toBe(0);
  });

  it('applies the minimum fee and tax on tax-exclusive prices', () => {
    const policy: PricingPolicy = { feeBp: 1000, feeMinMinor: 3_000, feeTaxBp: 1800, priceTaxBp: 1200 };
    const r = priceSeats([{ seatId: 'A1', category: 'CLASSIC' }], table, policy);
    expect(r.ok && r.breakdown.lines[0]).toMatchObject({
      fee: { minor: 3_000 },
      ticketTax: { minor: 2_400 },
      feeTax: { minor: 540 },
      total: { minor: 25_940 },
    });
  });

  it('refuses unknown categories, duplicate seats and an empty selection', () => {
    expect(priceSeats([], table, defaultPricingPolicy)).toMatchObject({ ok: false, code: 'NO_SEATS' });
    expect(priceSeats([{ seatId: 'A1', category: 'GOLD' }], table, defaultPricingPolicy)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_CATEGORY',
    });
    expect(priceSeats([{ seatId: 'A1', category: 'toString' }], table, defaultPricingPolicy)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_CATEGORY',
    });
    const dup = [
      { seatId: 'A1', category: 'CLASSIC' },
      { seatId: 'A1', category: 'PRIME' },
    ];
    expect(priceSeats(dup, table, defaultPricingPolicy)).toMatchObject({ ok: false, code: 'DUPLICATE_SEAT' });
    expect(
      priceSeats([{ seatId: 'A1', category: 'X' }], { currency: 'INR', prices: { X: 1.5 } }, defaultPricingPolicy),
    ).toMatchObject({ ok: false, code: 'INVALID_PRICE' });
  });

  it('keeps every part a non-negative integer and makes the parts add up to the total (property)', () => {
    const policyArb = fc.record({
      feeBp: fc.integer({ min: 0, max: 10_000 }),
      feeMinMinor: fc.integer({ min: 0, max: 10_000 }),
      feeTaxBp: fc.integer({ min: 0, max: 10_000 }),
      priceTaxBp: fc.integer({ min: 0, max: 10_000 }),
    });
    const pricesArb = fc.dictionary(fc.constantFrom('A', 'B', 'C', 'D'), fc.integer({ min: 0, max: 10_000_000 }), {
      minKeys: 1,
    });
    fc.assert(
      fc.property(policyArb, pricesArb, fc.integer({ min: 1, max: 10 }), (policy, prices, count) => {
        const categories = Object.keys(prices);
        const seats = Array.from({ length: count }, (_, i) => ({
          seatId: `S${i}`,
          category: categories[i % categories.length]!,
        }));
        const r = priceSeats(seats, { currency: 'INR', prices }, policy);
        if (!r.ok) return false;
        const b = r.breakdown;
        for (const l of b.lines) {
          for (const m of [l.ticket, l.ticketTax, l.fee, l.feeTax, l.total]) {
            if (!Number.isSafeInteger(m.minor) || m.minor < 0 || m.currency !== 'INR') return false;
          }
          if (l.ticket.minor + l.ticketTax.minor + l.fee.minor + l.feeTax.minor !== l.total.minor) return false;
          if (l.fee.minor < policy.feeMinMinor) return false;
        }
        const sumLines = b.lines.reduce((s, l) => s + l.total.minor, 0);
        return (
          b.lines.length === count &&
          sumLines === b.total.minor &&
          b.tickets.minor + b.fees.minor + b.taxes.minor === b.total.minor
        );
      }),
      { numRuns: 500 },
    );
  });
});
