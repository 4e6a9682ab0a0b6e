// The catalog a write-path bench books against: one movie, one 200-seat venue (10 rows of 20, all
// Classic at ₹250) and shows on it, created over the operator API the way an operator would.
// bench/booking.ts and bench/cost/run.ts share it, so their figures are for the same show shape.

/** POSTs an operator call and answers the created document (with its id), or throws. */
export type OperatorPost = (path: string, body: unknown) => Promise<{ id: string }>;

export interface BenchScreen {
  movieId: string;
  venueId: string;
}

export async function createBenchScreen(post: OperatorPost, name: string): Promise<BenchScreen> {
  const movie = await post('/api/movies', {
    kind: 'movie',
    title: `${name} Movie`,
    genres: ['Drama'],
    languages: ['English'],
    formats: ['2D'],
    certificate: 'U',
    durationMinutes: 120,
    releaseDate: '2026-01-01',
  });
  const rows = 'ABCDEFGHIJ'.split('').map((label) => ({ label, category: 'classic', blocks: [10, 10] }));
  const venue = await post('/api/venues', {
    city: 'blr',
    name: `${name} Venue`,
    address: `${name} Road`,
    screens: [{ id: 's1', name: 'Screen 1', formats: ['2D'], categories: [{ id: 'classic', name: 'Classic' }], rows }],
  });
  return { movieId: movie.id, venueId: venue.id };
}

/** A show on the bench screen starting `hoursAhead` from now; answers its id. */
export async function createBenchShow(post: OperatorPost, screen: BenchScreen, hoursAhead: number): Promise<string> {
  const show = await post('/api/shows', {
    movieId: screen.movieId,
    venueId: screen.venueId,
    screenId: 's1',
    startsAt: new Date(Date.now() + hoursAhead * 3_600_000).toISOString(),
    language: 'English',
    format: '2D',
    prices: { classic: { minor: 25000, currency: 'INR' } },
  });
  return show.id;
}
