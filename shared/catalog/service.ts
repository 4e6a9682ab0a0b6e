// Catalog reads: cities, movies, venues, layouts, shows and show search. The catalog is read-heavy
// and changes rarely, so reads come from small in-process caches (cities 60 s, movies and a city's
// day of shows 5 s, layouts forever — they are immutable per id); an operator write on this
// instance drops what it touched, other instances see it within the TTL.
import type { CatalogStore } from './ports.js';
import type { City, Movie, Show, Venue } from '../domain/catalog.js';
import { indexLayout, type Layout, type LayoutIndex } from '../contracts/layout.js';
import {
  MAX_SEARCH_DAYS,
  searchMovies,
  searchShows,
  type MovieFilter,
  type PageCursor,
  type ShowFilter,
} from '../domain/show-search.js';
import { addDays, localDate } from '../domain/zoned-time.js';
import type { ShowWithLayout } from '../inventory/service.js';
import { TtlCache } from './cache.js';
import { etagOf } from '../http/caching.js';

/** The city an id belongs to: catalog ids read `<kind>-<city>-…` (ven-blr-01, shw-blr-…). */
export function cityOfId(id: string): string | undefined {
  const m = /^(?:ven|shw)-([a-z0-9]+)-/.exec(id);
  return m?.[1];
}

export interface ShowSearch extends Omit<ShowFilter, 'castOf' | 'timeZone'> {
  city: string;
  date?: string;
  /** Last local date of a range starting at `date` (inclusive); `date` alone is one day. */
  to?: string;
  limit: number;
  after?: PageCursor;
}

export interface ShowPage {
  city: City;
  date: string;
  to: string;
  items: Show[];
  next?: PageCursor;
}

export class CatalogService {
  private readonly citiesCache = new TtlCache<string, City[]>(60_000, 1);
  private readonly moviesCache = new TtlCache<string, Movie[]>(5_000, 1);
  private readonly dayCache = new TtlCache<string, Show[]>(5_000, 500);
  private readonly showCache = new TtlCache<string, Show | null>(5_000, 5000);
  private readonly layoutCache = new TtlCache<string, LayoutIndex | null>(Infinity, 500);
  private readonly layoutBodies = new WeakMap<LayoutIndex, string>();
  private readonly venuesCache = new TtlCache<string, Venue[]>(5_000, 100);
  private readonly pageCache = new TtlCache<string, { body: string; etag: string }>(1_000, 2_000);

  constructor(
    readonly store: CatalogStore,
    private readonly clock: () => number,
  ) {}

  cities(): Promise<City[]> {
    return this.citiesCache.get('all', async () =>
      (await this.store.cities()).sort((a, b) => a.name.localeCompare(b.name, 'en')),
    );
  }

  async city(id: string): Promise<City | undefined> {
    return (await this.cities()).find((c) => c.id === id);
  }

  async movies(filter: MovieFilter = {}): Promise<Movie[]> {
    const all = await this.moviesCache.get('all', () => this.store.movies());
    return searchMovies(
      all.filter((m) => m.status !== 'withdrawn'),
      filter,
    );
  }

  async movie(id: string): Promise<Movie | undefined> {
    const all = await this.moviesCache.get('all', () => this.store.movies());
    return all.find((m) => m.id === id) ?? (await this.store.movie(id));
  }

  async venue(id: string): Promise<Venue | undefined> {
    const city = cityOfId(id);
    return city ? this.store.venue(city, id) : undefined;
  }

  async show(id: string): Promise<Show | undefined> {
    const city = cityOfId(id);
    if (!city) return undefined;
    return (await this.showCache.get(id, async () => (await this.store.show(city, id)) ?? null)) ?? undefined;
  }

  async layout(id: string): Promise<LayoutIndex | undefined> {
    return (
      (await this.layoutCache.get(id, async () => {
        const layout = await this.store.layout(id);
        return layout ? indexLayout(layout) : null;
      })) ?? undefined
    );
  }

  /** The layout serialized once (layouts are immutable per id). */
  async layoutBody(id: string): Promise<string | undefined> {
    const index = await this.layout(id);
    if (!index) return undefined;
    let body = this.layoutBodies.get(index);
    if (!body) this.layoutBodies.set(index, (body = JSON.stringify(index.layout)));
    return body;
  }

  /** The show with its layout index: what the inventory service needs. */
  async showWithLayout(showId: string): Promise<ShowWithLayout | undefined> {
    const show = await this.show(showId);
    if (!show) return undefined;
    const index = await this.layout(show.layoutId);
    return index ? { show, index } : undefined;
  }

  /** Today in the city's time zone. */
  today(city: City): string {
    return localDate(this.clock(), city.timeZone);
  }

  async dayOfShows(city: string, date: string): Promise<Show[]> {
    return this.dayCache.get(`${city}|${date}`, () => this.store.showsOn(city, date));
  }

  /** Caller checked the city exists and that a range is at most MAX_SEARCH_DAYS long. */
  async searchShows(city: City, q: Omit<ShowSearch, 'city'>): Promise<ShowPage> {
    const date = q.date ?? this.today(city);
    const to = q.to ?? date;
    const dates: string[] = [];
    for (let d = date; d <= to && dates.length < MAX_SEARCH_DAYS; d = addDays(d, 1)) dates.push(d);
    const shows = (await Promise.all(dates.map((d) => this.dayOfShows(city.id, d)))).flat();
    // Cast only matters to a text search; the movie list is cached.
    const cast = q.q ? new Map((await this.movies()).map((m) => [m.id, m.cast])) : undefined;
    const page = searchShows(
      shows,
      { ...q, timeZone: city.timeZone, castOf: cast && ((id) => cast.get(id)) },
      q.limit,
      q.after,
    );
    return { city, date, to, items: page.items, next: page.next };
  }

  /** The venues of a city, open ones first, by name. */
  async venues(city: string): Promise<Venue[]> {
    return this.venuesCache.get(city, async () =>
      (await this.store.venues(city)).sort(
        (a, b) => Number(a.status === 'closed') - Number(b.status === 'closed') || a.name.localeCompare(b.name, 'en'),
      ),
    );
  }

  /**
   * A search page serialized with its ETag, kept for a second per distinct query: hot searches
   * (everyone opening "today in Mumbai") cost one filter, sort, stringify and hash per second.
   */
  searchBody(
    city: City,
    q: Omit<ShowSearch, 'city'>,
    render: (page: ShowPage) => string,
  ): Promise<{ body: string; etag: string }> {
    const lower = (v: readonly string[] | undefined) => v?.map((x) => x.toLowerCase());
    const key = JSON.stringify([
      city.id,
      q.date ?? this.today(city),
      q.to,
      q.movieId,
      q.venueId,
      q.kind,
      lower(q.genre),
      lower(q.language),
      q.format,
      q.time,
      q.maxPrice,
      q.q?.trim().toLowerCase(),
      q.limit,
      q.after,
    ]);
    return this.pageCache.get(key, async () => {
      const body = render(await this.searchShows(city, q));
      return { body, etag: etagOf(body) };
    });
  }

  /** Drops cached entries an operator write made stale. */
  invalidate(what: { show?: Show; movies?: boolean; cities?: boolean; venueCity?: string }): void {
    if (what.venueCity) this.venuesCache.delete(what.venueCity);
    if (what.show) {
      // Search pages live a second; an operator who just saved a show must find it at once.
      this.pageCache.clear();
      this.showCache.delete(what.show.id);
      this.dayCache.delete(`${what.show.city}|${what.show.localDate}`);
    }
    if (what.movies) this.moviesCache.delete('all');
    if (what.cities) this.citiesCache.delete('all');
  }

  async putLayout(layout: Layout): Promise<void> {
    await this.store.putLayout(layout);
    this.layoutCache.delete(layout.id);
  }
}
