// Small catalogues and bookings for the recommender's domain tests.
import type { Candidate } from '../../../../shared/domain/recommendations/scoring.js';
import type { BookingFact } from '../../../../shared/domain/recommendations/signals.js';

export const NOW = Date.parse('2026-12-02T06:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export function candidate(movieId: string, genres: string[], over: Partial<Candidate> = {}): Candidate {
  return {
    movieId,
    title: `Title ${movieId}`,
    kind: 'movie',
    genres,
    releaseDate: '2026-10-01',
    shows: [
      {
        showId: `shw-${movieId}-1`,
        venueId: 'ven-1',
        venueName: 'Venue 1',
        startsAt: iso(NOW + 86_400_000),
        localHour: 19,
        language: 'English',
        format: '2D',
        fromMinor: 20000,
      },
    ],
    ...over,
  };
}

let n = 0;
export function booking(movieId: string, genres: string[], over: Partial<BookingFact> = {}): BookingFact {
  n++;
  return {
    bookingId: `bk_${n}`,
    userId: 'u1',
    city: 'blr',
    movieId,
    title: `Title ${movieId}`,
    genres,
    language: 'English',
    format: '2D',
    venueId: 'ven-1',
    showId: `shw-${movieId}-1`,
    localHour: 19,
    seats: 2,
    spendMinor: 40000,
    showStartsAt: iso(NOW + 86_400_000),
    at: iso(NOW - 3_600_000),
    ...over,
  };
}
