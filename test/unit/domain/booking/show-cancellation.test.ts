// The refund a show's cancellation owes: with whatever earlier cancellations refunded, the customer
// gets back exactly what they paid — never more, never a negative amount.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { showCancellationRefund } from '../../../../shared/domain/booking/index.js';

const inr = (minor: number) => ({ minor, currency: 'INR' });

describe('showCancellationRefund', () => {
  it('gives back everything paid when nothing was refunded', () => {
    expect(showCancellationRefund({ paid: inr(53900), refunded: [] })).toEqual(inr(53900));
  });

  it('tops earlier refunds up to exactly what was paid', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 10 }),
        (paid, earlier) => {
          // Earlier refunds never exceed the payment (the provider refuses that), so clamp them to it.
          let left = paid;
          const refunded = earlier.map((m) => {
            const r = Math.min(m, left);
            left -= r;
            return inr(r);
          });
          const owed = showCancellationRefund({ paid: inr(paid), refunded });
          expect(owed.minor).toBeGreaterThanOrEqual(0);
          expect(owed.minor + refunded.reduce((n, r) => n + r.minor, 0)).toBe(paid);
        },
      ),
    );
  });

  it('never owes a negative amount, and refuses a refund in another currency', () => {
    expect(showCancellationRefund({ paid: inr(100), refunded: [inr(150)] })).toEqual(inr(0));
    expect(() => showCancellationRefund({ paid: inr(100), refunded: [{ minor: 1, currency: 'USD' }] })).toThrow();
  });
});
