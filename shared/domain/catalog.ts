// Catalog entities (docs/architecture.md, Data model): cities, venues with screens, movies and live events, and
// shows denormalised for search (title, genres, language, format, venue name, prices), so that
// "shows in a city on a date" is one single-partition read. Money is integer minor units.
import type { Money } from './money.js';

export type { Money } from './money.js';

export interface City {
  id: string;
  name: string;
  /** IANA time zone; "today" and show dates are local to it. */
  timeZone: string;
  currency: string;
}

export type Format = '2D' | '3D' | 'IMAX' | 'LIVE';
export const FORMATS: readonly Format[] = ['2D', '3D', 'IMAX', 'LIVE'];

export interface Screen {
  id: string;
  name: string;
  layoutId: string;
  seatCount: number;
  formats: Format[];
}

export interface Venue {
  id: string;
  city: string;
  name: string;
  kind: 'multiplex' | 'stadium';
  address: string;
  screens: Screen[];
  /** A closed venue takes no new shows. */
  status?: 'open' | 'closed';
}

export interface Movie {
  id: string;
  kind: 'movie' | 'event';
  title: string;
  genres: string[];
  languages: string[];
  formats: Format[];
  /** CBFC-style certificate: U, UA, A (events: "All ages", "18+"). */
  certificate: string;
  durationMinutes: number;
  rating?: number;
  cast: string[];
  poster?: string;
  releaseDate: string;
  /** Cities where it currently plays (denormalised by the catalog for the movie list). */
  cities: string[];
  /** Withdrawn titles leave the lists; their past shows keep their copy of the title. */
  status?: 'active' | 'withdrawn';
}

export interface Show {
  id: string;
  city: string;
  movieId: string;
  kind: 'movie' | 'event';
  title: string;
  genres: string[];
  language: string;
  format: Format;
  certificate: string;
  durationMinutes: number;
  venueId: string;
  venueName: string;
  screenId: string;
  screenName: string;
  layoutId: string;
  /** ISO-8601 UTC. */
  startsAt: string;
  endsAt: string;
  /** The show's date in the city's time zone (YYYY-MM-DD): the search key. */
  localDate: string;
  /** Category id → price. */
  prices: Record<string, Money>;
  status: 'scheduled' | 'cancelled';
  /** Set when an operator cancelled the show (POST /api/ops/shows/{showId}/cancel): why, when, who. */
  cancellation?: ShowCancellation;
  /**
   * Tickets are sold without refunds (the cancellation policy refuses with NON_REFUNDABLE). Absent
   * means false. A booking copies it when made, so changing it later leaves earlier bookings' terms.
   */
  nonRefundable?: boolean;
}

export interface ShowCancellation {
  reason: string;
  at: string;
  by: string;
}

/** Minutes kept free after a show on the same screen (cleaning, ads, entry). */
export const TURNAROUND_MINUTES = 15;

/** Two shows on one screen overlap when their [start, end + turnaround) intervals intersect. */
export function showsOverlap(a: Pick<Show, 'startsAt' | 'endsAt'>, b: Pick<Show, 'startsAt' | 'endsAt'>): boolean {
  const gap = TURNAROUND_MINUTES * 60_000;
  const aStart = Date.parse(a.startsAt);
  const aEnd = Date.parse(a.endsAt) + gap;
  const bStart = Date.parse(b.startsAt);
  const bEnd = Date.parse(b.endsAt) + gap;
  return aStart < bEnd && bStart < aEnd;
}

export function findOverlap<T extends Pick<Show, 'id' | 'screenId' | 'venueId' | 'startsAt' | 'endsAt' | 'status'>>(
  candidate: T,
  others: readonly T[],
): T | undefined {
  return others.find(
    (o) =>
      o.id !== candidate.id &&
      o.status !== 'cancelled' &&
      o.venueId === candidate.venueId &&
      o.screenId === candidate.screenId &&
      showsOverlap(candidate, o),
  );
}
