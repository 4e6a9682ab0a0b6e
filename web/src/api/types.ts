// The API's shapes as the client reads them (mirrors shared/domain and functions/*; the server is
// the source of truth). Money is {minor, currency} everywhere.

export type Format = '2D' | '3D' | 'IMAX' | 'LIVE';

export interface City {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
}

export interface Movie {
  id: string;
  kind: 'movie' | 'event';
  title: string;
  genres: string[];
  languages: string[];
  formats: Format[];
  certificate: string;
  durationMinutes: number;
  rating?: number;
  cast: string[];
  poster?: string;
  releaseDate: string;
  cities: string[];
}

export interface Money {
  minor: number;
  currency: string;
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
  startsAt: string;
  endsAt: string;
  localDate: string;
  prices: Record<string, Money>;
  status: 'scheduled' | 'cancelled';
}

export interface Venue {
  id: string;
  city: string;
  name: string;
  kind: 'multiplex' | 'stadium';
  address: string;
}

export type SeatKind = 'standard' | 'wheelchair' | 'companion';

export interface LayoutSeat {
  id: string;
  n: number;
  kind?: SeatKind;
}

export interface LayoutRow {
  label: string;
  category: string;
  cells: (LayoutSeat | null)[];
}

export interface LayoutSection {
  id: string;
  name: string;
  rows: LayoutRow[];
}

export interface Layout {
  id: string;
  version: number;
  name: string;
  categories: { id: string; name: string }[];
  sections: LayoutSection[];
  seatCount: number;
}

/** GET /api/shows/{id}/seats (docs/seat-map.md): one character per seat in layout order. */
export interface Availability {
  showId: string;
  status: 'scheduled' | 'cancelled';
  layoutId: string;
  layoutVersion: number;
  version: number;
  encoding: string;
  /** '0' free, '1' unavailable, '2' blocked. */
  seats: string;
  free: Record<string, number>;
  prices: Record<string, Money>;
}

export type BookingStatus = 'pending' | 'held' | 'paying' | 'confirmed' | 'failed' | 'expired' | 'cancelling' | 'cancelled' | 'refund_failed';

export interface PriceLine {
  seatId: string;
  category: string;
  ticket: Money;
  ticketTax: Money;
  fee: Money;
  feeTax: Money;
  total: Money;
}

export interface PriceBreakdown {
  currency: string;
  lines: PriceLine[];
  tickets: Money;
  fees: Money;
  taxes: Money;
  total: Money;
}

export interface Page<T> {
  items: T[];
  continuationToken?: string;
  next?: string;
}
