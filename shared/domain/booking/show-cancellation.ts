// What a booking gets back when an operator cancels its show (docs/architecture.md, Show
// cancellation): everything the customer paid — tickets, fees and taxes, the show did not happen —
// less what earlier cancellations of the booking already refunded. The refund policy does not apply.
import type { Money } from '../money.js';

export interface PaidAndRefunded {
  /** What the booking's payment took (the booking's `charged`). */
  paid: Money;
  /** Refunds already made or under way for this payment (earlier cancellations of some seats). */
  refunded: readonly Money[];
}

/** The amount still owed, never below zero, in the payment's currency. */
export function showCancellationRefund({ paid, refunded }: PaidAndRefunded): Money {
  const back = refunded.reduce((n, m) => {
    if (m.currency !== paid.currency) throw new Error(`refund in ${m.currency} of a payment in ${paid.currency}`);
    return n + m.minor;
  }, 0);
  return { minor: Math.max(0, paid.minor - back), currency: paid.currency };
}
