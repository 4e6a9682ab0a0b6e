// The operator API bodies that tests, the chaos run and the benches create their catalog with: one
// movie, a venue with one 2D screen whose rows are all one "classic" category, and a show on it.
// Kept in one place so a change to the catalog's contract (shared/catalog) is made once.

/** POST /api/movies: a two-hour English drama. */
export function moviePayload(title: string) {
  return {
    kind: 'movie',
    title,
    genres: ['Drama'],
    languages: ['English'],
    formats: ['2D'],
    certificate: 'U',
    durationMinutes: 120,
    releaseDate: '2026-01-01',
  };
}

/** POST /api/venues: screen `s1`, each row `label` of `blocks` (seat counts split by aisles), all classic. */
export function classicVenuePayload(
  name: string,
  rows: { label: string; blocks: number[] }[],
  { city = 'blr', address = 'Test Road' }: { city?: string; address?: string } = {},
) {
  return {
    city,
    name,
    address,
    screens: [
      {
        id: 's1',
        name: 'Screen 1',
        formats: ['2D'],
        categories: [{ id: 'classic', name: 'Classic' }],
        rows: rows.map(({ label, blocks }) => ({ label, category: 'classic', blocks })),
      },
    ],
  };
}

/** POST /api/shows: an English 2D show on screen `s1`, classic seats at `priceMinor` paise. */
export function classicShowPayload(movieId: string, venueId: string, startsAt: string, priceMinor: number) {
  return {
    movieId,
    venueId,
    screenId: 's1',
    startsAt,
    language: 'English',
    format: '2D',
    prices: { classic: { minor: priceMinor, currency: 'INR' } },
  };
}
