// What a user can actually book (docs/architecture.md, Recommendations): the titles showing in a
// city in the next days, each with its bookable shows soonest first — scheduled, not started, not
// sold out by the confirmed bookings the recommender has counted. Pure.
import type { Movie, Show } from '../catalog.js';
import type { Candidate, ShowSlot } from './scoring.js';

/** Days ahead a recommendation may send someone to. */
export const BOOKABLE_DAYS = 7;

export interface CandidateInput {
  now: number;
  shows: readonly Show[];
  movies: ReadonlyMap<string, Movie>;
  /** Show id → seats sold (the city's aggregate). */
  seatsSold: Record<string, number>;
  /** Seats in the show's layout, undefined when unknown (then it never reads as sold out). */
  capacity: (show: Show) => number | undefined;
  /** Hour of an instant in the city's time zone. */
  localHour: (epochMs: number) => number;
}

export function bookableCandidates(x: CandidateInput): Candidate[] {
  const until = x.now + BOOKABLE_DAYS * 86_400_000;
  const byMovie = new Map<string, { movie: Movie; slots: ShowSlot[] }>();
  for (const s of x.shows) {
    const starts = Date.parse(s.startsAt);
    if (s.status !== 'scheduled' || starts <= x.now || starts > until) continue;
    const capacity = x.capacity(s);
    if (capacity !== undefined && (x.seatsSold[s.id] ?? 0) >= capacity) continue;
    const movie = x.movies.get(s.movieId);
    if (!movie || movie.status === 'withdrawn') continue;
    let entry = byMovie.get(movie.id);
    if (!entry) byMovie.set(movie.id, (entry = { movie, slots: [] }));
    const prices = Object.values(s.prices).map((p) => p.minor);
    entry.slots.push({
      showId: s.id,
      venueId: s.venueId,
      venueName: s.venueName,
      startsAt: s.startsAt,
      localHour: x.localHour(starts),
      language: s.language,
      format: s.format,
      fromMinor: prices.length ? Math.min(...prices) : 0,
    });
  }
  return [...byMovie.values()]
    .map(({ movie, slots }) => ({
      movieId: movie.id,
      title: movie.title,
      kind: movie.kind,
      genres: movie.genres,
      releaseDate: movie.releaseDate,
      ...(movie.poster ? { poster: movie.poster } : {}),
      shows: slots.sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0)),
    }))
    .sort((a, b) => (a.movieId < b.movieId ? -1 : 1));
}
