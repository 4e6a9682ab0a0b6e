// Show search over one city's shows for one or more local dates: filters combine with AND, a
// filter with several values matches any of them (genre=Drama,Comedy), text matches the title, the
// venue or a cast member case-insensitively, results sort by start time then id, and pages
// continue after a (startsAt, id) key — so paging returns every show exactly once even if shows are
// added between pages. The continuation token is opaque to clients (encoded by the caller).
import type { Format, Movie, Show } from './catalog.js';
import { minutesOfDay } from './zoned-time.js';

/** Parts of the day by the show's local start: morning < 12:00 ≤ afternoon < 17:00 ≤ evening < 21:00 ≤ night. */
export type TimeOfDay = 'morning' | 'afternoon' | 'evening' | 'night';
export const TIMES_OF_DAY: readonly TimeOfDay[] = ['morning', 'afternoon', 'evening', 'night'];

export function timeOfDay(minutes: number): TimeOfDay {
  return minutes < 12 * 60 ? 'morning' : minutes < 17 * 60 ? 'afternoon' : minutes < 21 * 60 ? 'evening' : 'night';
}

/** The longest date range one search covers (a fortnight: today to the weekend after next). */
export const MAX_SEARCH_DAYS = 14;

export interface ShowFilter {
  movieId?: string;
  venueId?: string;
  kind?: 'movie' | 'event';
  genre?: readonly string[];
  language?: readonly string[];
  format?: readonly Format[];
  time?: readonly TimeOfDay[];
  /** The city's time zone, for `time`. */
  timeZone?: string;
  /** Shows whose cheapest seat costs at most this (minor units). */
  maxPrice?: number;
  q?: string;
  /** Cast of each title by movie id, so `q` finds a show by an actor or performer. */
  castOf?: (movieId: string) => readonly string[] | undefined;
  includeCancelled?: boolean;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const anyOf = (values: readonly string[] | undefined, has: (v: string) => boolean) =>
  !values?.length || values.some(has);

export function matchesShow(show: Show, f: ShowFilter): boolean {
  if (!f.includeCancelled && show.status === 'cancelled') return false;
  if (f.movieId && show.movieId !== f.movieId) return false;
  if (f.venueId && show.venueId !== f.venueId) return false;
  if (f.kind && show.kind !== f.kind) return false;
  if (!anyOf(f.genre, (g) => show.genres.some((x) => eq(x, g)))) return false;
  if (!anyOf(f.language, (l) => eq(show.language, l))) return false;
  if (!anyOf(f.format, (x) => show.format === x)) return false;
  if (f.time?.length && !f.time.includes(timeOfDay(minutesOfDay(Date.parse(show.startsAt), f.timeZone ?? 'UTC'))))
    return false;
  if (f.maxPrice !== undefined && !Object.values(show.prices).some((p) => p.minor <= f.maxPrice!)) return false;
  if (f.q && !matchesText(show, f.q, f.castOf)) return false;
  return true;
}

/** Every word of the query appears in the title, the venue's name or one cast member's name. */
function matchesText(show: Show, q: string, castOf: ShowFilter['castOf']): boolean {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = [show.title, show.venueName, ...(castOf?.(show.movieId) ?? [])].join('\n').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function compareShows(a: Show, b: Show): number {
  return a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface PageCursor {
  startsAt: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  next?: PageCursor;
}

/** Filters, sorts and returns the page after `after`. `shows` need not be sorted. */
export function searchShows(shows: readonly Show[], filter: ShowFilter, limit: number, after?: PageCursor): Page<Show> {
  const matching = shows.filter((s) => matchesShow(s, filter)).sort(compareShows);
  let start = 0;
  if (after) {
    const key = { startsAt: after.startsAt, id: after.id } as Show;
    start = matching.findIndex((s) => compareShows(s, key) > 0);
    if (start < 0) start = matching.length;
  }
  const items = matching.slice(start, start + limit);
  const last = items[items.length - 1];
  const next = last && start + limit < matching.length ? { startsAt: last.startsAt, id: last.id } : undefined;
  return { items, next };
}

export interface MovieFilter {
  city?: string;
  genre?: string;
  language?: string;
  q?: string;
}

export function searchMovies(movies: readonly Movie[], f: MovieFilter): Movie[] {
  return movies
    .filter(
      (m) =>
        (!f.city || m.cities.includes(f.city)) &&
        (!f.genre || m.genres.some((g) => eq(g, f.genre!))) &&
        (!f.language || m.languages.some((l) => eq(l, f.language!))) &&
        (!f.q || m.title.toLowerCase().includes(f.q.trim().toLowerCase())),
    )
    .sort((a, b) => a.title.localeCompare(b.title, 'en') || (a.id < b.id ? -1 : 1));
}
