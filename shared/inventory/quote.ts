// Prices a selection of seats from the show's price table (integer minor units, one currency).
import { type Money, sum } from '../domain/money.js';
import type { ShowWithLayout } from './service.js';

export interface Quote {
  seats: { id: string; category: string; price: Money }[];
  total: Money;
}

export function quoteSeats({ show, index }: ShowWithLayout, seatIds: readonly string[]): Quote {
  const seats = seatIds.map((id) => {
    const category = index.byId.get(id)!.category;
    return { id, category, price: show.prices[category]! };
  });
  const currency = seats[0]?.price.currency ?? Object.values(show.prices)[0]?.currency ?? 'XXX';
  return {
    seats,
    total: sum(
      currency,
      seats.map((s) => s.price),
    ),
  };
}
