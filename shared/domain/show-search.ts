// Show search over one city's shows for one local date: filters combine with AND, text matches
// the title case-insensitively, results sort by start time then id, and pages continue after a
// (startsAt, id) key — so paging returns every show exactly once even if shows are added between
// pages. The continuation token is opaque to clients (encoded by the caller).
import type { Format, Movie, Show } from './catalog.js';

export interface ShowFilter {
  movieId?: string;
  venueId?: string;
  genre?: string;
  language?: string;
  format?: Format;
  q?: string;
  includeCancelled?: boolean;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function matchesShow(show: Show, f: ShowFilter): boolean {
  if (!f.includeCancelled && show.status === 'cancelled') return false;
  if (f.movieId && show.movieId !== f.movieId) return false;
  if (f.venueId && show.venueId !== f.venueId) return false;
  if (f.genre && !show.genres.some((g) => eq(g, f.genre!))) return false;
  if (f.language && !eq(show.language, f.language)) return false;
  if (f.format && show.format !== f.format) return false;
  if (f.q && !show.title.toLowerCase().includes(f.q.trim().toLowerCase())) return false;
  return true;
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
