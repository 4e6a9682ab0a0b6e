// The compact availability encoding (documented for client developers in docs/seat-map.md):
// one character per seat, in layout order, with the seat codes of shared/contracts/seats.ts.
// A 300-seat screen is 300 bytes.
import type { Category, LayoutIndex, SectionSummary } from '../contracts/layout.js';
import { BLOCKED, FREE, UNAVAILABLE, type SeatCode } from '../contracts/seats.js';
import type { Money } from './money.js';
import { effective, type SeatMap } from './section.js';

/** GET /api/shows/{showId}/seats (docs/seat-map.md): the answer the inventory service serializes. */
export interface AvailabilityView {
  showId: string;
  status: 'scheduled' | 'cancelled';
  layoutId: string;
  layoutVersion: number;
  /** Grows with every change to the show's seats (sum of the section versions). */
  version: number;
  encoding: 'seat-state-v1';
  /** One character per seat in layout order: '0' free, '1' unavailable, '2' blocked. */
  seats: string;
  /** Category → free seats. */
  free: Record<string, number>;
  /** Category → price of one ticket. */
  prices: Record<string, Money>;
  /** The layout's categories (id and name), in layout order. */
  categories: Category[];
  /** The layout's sections without their rows: a stadium's overview draws from these alone. */
  sections: SectionSummary[];
}

/** Encodes the seats of every section (missing sections read as all free). */
export function encodeAvailability(index: LayoutIndex, sections: ReadonlyMap<string, SeatMap>, now: number): string {
  const chars: string[] = new Array<string>(index.seats.length).fill(FREE);
  for (const seats of sections.values()) {
    for (const [id, state] of Object.entries(seats)) {
      const info = index.byId.get(id);
      if (!info) continue;
      const e = effective(state, now);
      if (e === 'blocked') chars[info.index] = BLOCKED;
      else if (e !== 'free') chars[info.index] = UNAVAILABLE;
    }
  }
  return chars.join('');
}

/** Seat id → code, for clients and tests. */
export function decodeAvailability(index: LayoutIndex, encoded: string): Map<string, SeatCode> {
  if (encoded.length !== index.seats.length)
    throw new Error(`availability has ${encoded.length} seats, layout ${index.seats.length}`);
  return new Map(index.seats.map((s) => [s.id, encoded[s.index] as SeatCode]));
}

/** Free seats per category. */
export function freeByCategory(index: LayoutIndex, encoded: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of index.layout.categories) out[c.id] = 0;
  for (const s of index.seats) if (encoded[s.index] === FREE) out[s.category] = (out[s.category] ?? 0) + 1;
  return out;
}
