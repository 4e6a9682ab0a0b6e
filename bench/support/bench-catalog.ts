// The catalog a write-path bench books against: one movie, one 200-seat venue (10 rows of 20, all
// Classic at ₹250) and shows on it, created over the operator API the way an operator would.
// bench/booking.ts and bench/cost/run.ts share it, so their figures are for the same show shape.
import { classicShowPayload, classicVenuePayload, moviePayload } from '../../test/support/catalog-payloads.js';

/** POSTs an operator call and answers the created document (with its id), or throws. */
export type OperatorPost = (path: string, body: unknown) => Promise<{ id: string }>;

export interface BenchScreen {
  movieId: string;
  venueId: string;
}

export async function createBenchScreen(post: OperatorPost, name: string): Promise<BenchScreen> {
  const movie = await post('/api/movies', moviePayload(`${name} Movie`));
  const rows = 'ABCDEFGHIJ'.split('').map((label) => ({ label, blocks: [10, 10] }));
  const venue = await post('/api/venues', classicVenuePayload(`${name} Venue`, rows, { address: `${name} Road` }));
  return { movieId: movie.id, venueId: venue.id };
}

/** A show on the bench screen starting `hoursAhead` from now; answers its id. */
export async function createBenchShow(post: OperatorPost, screen: BenchScreen, hoursAhead: number): Promise<string> {
  const startsAt = new Date(Date.now() + hoursAhead * 3_600_000).toISOString();
  const show = await post('/api/shows', classicShowPayload(screen.movieId, screen.venueId, startsAt, 25000));
  return show.id;
}
