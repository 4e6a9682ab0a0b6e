// The API's shapes as the client reads them. The server is the source of truth, so these are its
// own types, imported type-only from shared/ (erased at build: no server code enters the bundle;
// eslint.config.mjs allows only `import type` from shared/domain, the view modules and shared/errors). The layout
// and the seat codes are the wire protocol's own: shared/contracts, which web/ may import by value.
export type { City, Format, Movie, Show, Venue } from '../../../shared/domain/catalog.js';
export type { Recommendation, ShowSlot, ScoreComponents } from '../../../shared/domain/recommendations/scoring.js';
import type { Recommendation } from '../../../shared/domain/recommendations/scoring.js';

/** A rail as GET /api/me/recommendations and GET /api/recommendations answer it. */
export interface Rail {
  city: string;
  cityName: string;
  basis: 'history' | 'preferences' | 'trending';
  items: Recommendation[];
}
export type { Money } from '../../../shared/domain/money.js';
export type {
  Category,
  Layout,
  LayoutRow,
  LayoutSeat,
  LayoutSection,
  SeatKind,
} from '../../../shared/contracts/layout.js';
export type { SeatCode } from '../../../shared/contracts/seats.js';
export type { AvailabilityView as Availability } from '../../../shared/domain/availability.js';
export type { PriceBreakdown, PriceLine } from '../../../shared/domain/booking/pricing.js';
export type { BookingStatus } from '../../../shared/domain/booking/state-machine.js';
export type { SeatDiffMessage, SectionDiff } from '../../../shared/domain/seat-diff.js';
export type {
  BookingView as Booking,
  CancellationView as Cancellation,
  ShowSnapshot,
} from '../../../shared/booking/view.js';
