// Pricing (Indian-style, like the big ticketing apps): the category price on the show's price
// table is what the ticket costs and is tax-inclusive by default (cinema GST is inside the listed
// price); a convenience fee per ticket is charged on top, as a percentage of the ticket price with
// a floor, and 18 % GST is added on that fee. Venues that list tax-exclusive prices set
// `priceTaxBp` and tax is then added on the ticket price too.
//
// Rounding: every amount is computed per ticket and rounded half-up to the minor unit there; the
// totals are the sums of the lines. So the parts always add up to the total exactly, and a partial
// cancellation refunds precisely the lines of the seats it cancels. (Rounding per line can differ
// from rounding the total by under one minor unit per ticket — the invoice is per ticket.)
import { type BasisPoints, type Money, money, percentHalfUp, sum } from '../money.js';

export interface PricingPolicy {
  /** Convenience fee per ticket as a share of the ticket price, e.g. 1000 = 10 %. */
  feeBp: BasisPoints;
  /** Lowest fee per ticket in minor units (0 for none). */
  feeMinMinor: number;
  /** GST on the convenience fee, 1800 = 18 %. */
  feeTaxBp: BasisPoints;
  /** Tax added on the ticket price; 0 when listed prices already include it. */
  priceTaxBp: BasisPoints;
}

export const defaultPricingPolicy: PricingPolicy = { feeBp: 1000, feeMinMinor: 0, feeTaxBp: 1800, priceTaxBp: 0 };

export interface SeatToPrice {
  seatId: string;
  /** A key of the show's price table, e.g. "PREMIUM". */
  category: string;
}

export interface PriceTable {
  currency: string;
  /** Category → price of one ticket in minor units. */
  prices: Readonly<Record<string, number>>;
}

/** A show's price table (category → Money, all in the city's currency) as pricing reads it. */
export function priceTableOf(prices: Readonly<Record<string, Money>>): PriceTable {
  const entries = Object.entries(prices);
  return {
    currency: entries[0]?.[1].currency ?? 'INR',
    prices: Object.fromEntries(entries.map(([category, m]) => [category, m.minor])),
  };
}

export interface PriceLine {
  seatId: string;
  category: string;
  ticket: Money;
  /** Tax on the ticket price (0 when prices are tax-inclusive). */
  ticketTax: Money;
  fee: Money;
  feeTax: Money;
  /** ticket + ticketTax + fee + feeTax. */
  total: Money;
}

export interface PriceBreakdown {
  currency: string;
  lines: PriceLine[];
  tickets: Money;
  fees: Money;
  /** ticketTax + feeTax over all lines. */
  taxes: Money;
  total: Money;
}

export type PricingResult =
  | { ok: true; breakdown: PriceBreakdown }
  | { ok: false; code: 'NO_SEATS' | 'UNKNOWN_CATEGORY' | 'DUPLICATE_SEAT' | 'INVALID_PRICE'; detail: string };

/** Prices a set of seats of one show. Pure; refuses rather than guessing. */
export function priceSeats(seats: readonly SeatToPrice[], table: PriceTable, policy: PricingPolicy): PricingResult {
  if (seats.length === 0) return { ok: false, code: 'NO_SEATS', detail: 'At least one seat is needed.' };
  const seen = new Set<string>();
  const lines: PriceLine[] = [];
  const c = table.currency;
  for (const seat of seats) {
    if (seen.has(seat.seatId))
      return { ok: false, code: 'DUPLICATE_SEAT', detail: `Seat ${seat.seatId} is listed twice.` };
    seen.add(seat.seatId);
    const price = Object.hasOwn(table.prices, seat.category) ? table.prices[seat.category] : undefined;
    if (price === undefined)
      return {
        ok: false,
        code: 'UNKNOWN_CATEGORY',
        detail: `Seat ${seat.seatId} has category ${seat.category}, which has no price.`,
      };
    if (!Number.isSafeInteger(price) || price < 0)
      return {
        ok: false,
        code: 'INVALID_PRICE',
        detail: `The price of ${seat.category} is not a non-negative integer.`,
      };
    const ticketTax = percentHalfUp(price, policy.priceTaxBp);
    const fee = Math.max(percentHalfUp(price, policy.feeBp), policy.feeMinMinor);
    const feeTax = percentHalfUp(fee, policy.feeTaxBp);
    lines.push({
      seatId: seat.seatId,
      category: seat.category,
      ticket: money(price, c),
      ticketTax: money(ticketTax, c),
      fee: money(fee, c),
      feeTax: money(feeTax, c),
      total: money(price + ticketTax + fee + feeTax, c),
    });
  }
  return { ok: true, breakdown: breakdownOf(c, lines) };
}

/** Totals of a set of lines (also used for what remains after a partial cancellation). */
export function breakdownOf(currency: string, lines: PriceLine[]): PriceBreakdown {
  const pick = (f: (l: PriceLine) => Money) => sum(currency, lines.map(f));
  const taxes = sum(currency, [pick((l) => l.ticketTax), pick((l) => l.feeTax)]);
  return {
    currency,
    lines,
    tickets: pick((l) => l.ticket),
    fees: pick((l) => l.fee),
    taxes,
    total: pick((l) => l.total),
  };
}
