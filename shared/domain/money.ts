// Money is integer minor units (paise, cents) with an ISO 4217 code (docs/architecture.md, Data model). This is the
// one money shape of the whole API: catalog prices, quotes, seat-map prices, bookings, refunds.
// Every amount in the booking rules goes through these helpers so no float ever reaches a total.

export interface Money {
  /** Integer minor units, never negative in a price or refund. */
  readonly minor: number;
  /** ISO 4217 code, e.g. "INR". */
  readonly currency: string;
}

export const money = (minor: number, currency: string): Money => {
  if (!Number.isSafeInteger(minor))
    throw new RangeError(`money must be an integer number of minor units, got ${minor}`);
  return { minor, currency };
};

export const zero = (currency: string): Money => ({ minor: 0, currency });

export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new RangeError(`cannot add ${a.currency} to ${b.currency}`);
  return money(a.minor + b.minor, a.currency);
}

export const sum = (currency: string, amounts: readonly Money[]): Money => amounts.reduce(add, zero(currency));

/** Basis points: 1 bp = 0.01 %, so 18 % GST is 1800. Integer rates keep the arithmetic exact. */
export type BasisPoints = number;

/**
 * `minor × bp / 10 000`, rounded half-up (half a paisa and more goes up), which is how Indian GST
 * invoices round. Exact: integer arithmetic on the numerator, no float division before rounding.
 */
export function percentHalfUp(minor: number, bp: BasisPoints): number {
  const numerator = minor * bp;
  return Math.floor((numerator + 5_000) / 10_000);
}

/** `minor × bp / 10 000` rounded down: used for refunds, so a refund never exceeds its tier. */
export function percentFloor(minor: number, bp: BasisPoints): number {
  return Math.floor((minor * bp) / 10_000);
}
