// What the catalog needs from storage: cities, movies, venues, shows and seat layouts, read by id
// or by the few queries the pages make, and written whole (upserts). The Cosmos adapter is
// shared/adapters/cosmos/catalog-store.ts, wired in shared/services.ts.
import type { City, Movie, Show, Venue } from '../domain/catalog.js';
import type { Layout } from '../contracts/layout.js';

export interface CatalogStore {
  cities(): Promise<City[]>;
  movies(): Promise<Movie[]>;
  movie(id: string): Promise<Movie | undefined>;
  venue(city: string, id: string): Promise<Venue | undefined>;
  /** Every venue of a city (open and closed). */
  venues(city: string): Promise<Venue[]>;
  show(city: string, id: string): Promise<Show | undefined>;
  layout(id: string): Promise<Layout | undefined>;
  showsOn(city: string, localDate: string): Promise<Show[]>;
  /** Shows on one screen starting in [from, to) (ISO), for the overlap rule. */
  showsOnScreen(city: string, venueId: string, screenId: string, from: string, to: string): Promise<Show[]>;
  putCity(city: City): Promise<void>;
  putMovie(movie: Movie): Promise<void>;
  putVenue(venue: Venue): Promise<void>;
  putShow(show: Show): Promise<void>;
  putLayout(layout: Layout): Promise<void>;
  /** A small marker document (e.g. "demo data loaded"), read back as-is. */
  marker(id: string): Promise<Record<string, unknown> | undefined>;
  putMarker(id: string, value: Record<string, unknown>): Promise<void>;
}
