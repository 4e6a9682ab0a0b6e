// Catalog documents in Cosmos DB. `catalog` (partition /city) holds cities, venues and shows, each
// with a `type`; `movies` (/id) movies and events; `layouts` (/id) immutable seat layouts. Queries
// always name the partition key in the WHERE clause as well: the embedded server ignores the
// partitionKey option, and on Azure it keeps the query single-partition.
import type { Container } from '@azure/cosmos';
import type { City, Movie, Show, Venue } from '../../domain/catalog.js';
import type { Layout } from '../../contracts/layout.js';
import type { CatalogStore } from '../../catalog/ports.js';
import type { Cosmos } from './client.js';
import { clean } from './documents.js';
import { withOutage } from './faults.js';

/** Documents in `catalog` carry their kind in `type`; the domain's types do not. */
const KIND = ['type'];

async function point<T>(container: Container, id: string, pk: string, type?: string): Promise<T | undefined> {
  const res = await container.item(id, pk).read<Record<string, unknown>>();
  if (!res.resource || (type && res.resource.type !== type)) return undefined;
  return clean<T>(res.resource, KIND);
}

async function query<T>(container: Container, text: string, params: Record<string, string>): Promise<T[]> {
  const parameters = Object.entries(params).map(([name, value]) => ({ name: `@${name}`, value }));
  const { resources } = await withOutage(() =>
    container.items.query<Record<string, unknown>>({ query: text, parameters }).fetchAll(),
  );
  return resources.map((r) => clean<T>(r, KIND));
}

export function cosmosCatalogStore(cosmos: Cosmos): CatalogStore {
  const catalog = cosmos.container('catalog');
  const movies = cosmos.container('movies');
  const layouts = cosmos.container('layouts');
  return {
    cities: async () =>
      (await query<City>(catalog, "SELECT * FROM c WHERE c.type = 'city'", {})).map(
        ({ id, name, timeZone, currency }) => ({ id, name, timeZone, currency }),
      ),
    movies: () => query<Movie>(movies, "SELECT * FROM c WHERE c.type = 'movie'", {}),
    movie: (id) => point<Movie>(movies, id, id, 'movie'),
    venue: (city, id) => point<Venue>(catalog, id, city, 'venue'),
    venues: (city) => query<Venue>(catalog, "SELECT * FROM c WHERE c.city = @city AND c.type = 'venue'", { city }),
    show: (city, id) => point<Show>(catalog, id, city, 'show'),
    layout: (id) => point<Layout>(layouts, id, id),
    showsOn: (city, localDate) =>
      query<Show>(catalog, "SELECT * FROM c WHERE c.city = @city AND c.type = 'show' AND c.localDate = @date", {
        city,
        date: localDate,
      }),
    showsOnScreen: (city, venueId, screenId, from, to) =>
      query<Show>(
        catalog,
        "SELECT * FROM c WHERE c.city = @city AND c.type = 'show' AND c.venueId = @venue AND c.screenId = @screen AND c.startsAt >= @from AND c.startsAt < @to",
        { city, venue: venueId, screen: screenId, from, to },
      ),
    putCity: async (city) => void (await catalog.items.upsert({ ...city, city: city.id, type: 'city' })),
    putMovie: async (movie) => void (await movies.items.upsert({ ...movie, type: 'movie' })),
    putVenue: async (venue) => void (await catalog.items.upsert({ ...venue, type: 'venue' })),
    putShow: async (show) => void (await catalog.items.upsert({ ...show, type: 'show' })),
    putLayout: async (layout) => void (await layouts.items.upsert(layout)),
    marker: (id) => point<Record<string, unknown>>(catalog, id, '_markers', 'marker'),
    putMarker: async (id, value) =>
      void (await catalog.items.upsert({ ...value, id, city: '_markers', type: 'marker' })),
  };
}
