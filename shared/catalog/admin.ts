// Operator use-cases on the catalog: cities, movies, venues (with their screens' layouts) and shows.
// Rules: a show needs a known movie, an open venue, one of its screens, a start in the future, a
// price for every seat category of the screen, and no overlap with another show on that screen
// (409); a new show gets its inventory sections at once; a show with bookings is not cancelled here
// (409): POST /api/ops/shows/{showId}/cancel refunds and tells its holders (shared/booking/show-cancel.ts).
// A changed screen gets a new layout version (layouts are immutable).
import { randomUUID } from 'node:crypto';
import type { City, Format, Money, Movie, Screen, Show, Venue } from '../domain/catalog.js';
import { findOverlap } from '../domain/catalog.js';
import { layoutProblems } from '../domain/layout.js';
import { buildScreenLayout, type RowSpec } from '../domain/layout-builder.js';
import { localDate } from '../domain/zoned-time.js';
import type { CatalogService } from './service.js';
import type { InventoryService } from '../inventory/service.js';
import { invalidInput, notFound, SystemError, UserError } from '../errors.js';

/** What an operator sends for a movie: the stored movie less what the catalog derives. */
export type MovieInput = Omit<Movie, 'id' | 'cast' | 'cities' | 'status'> & { cast?: string[] };

export interface ScreenInput {
  id: string;
  name: string;
  formats: Format[];
  categories: { id: string; name: string }[];
  rows: RowSpec[];
  aisleWidth?: number;
}

export interface VenueInput {
  city: string;
  name: string;
  kind: 'multiplex' | 'stadium';
  address: string;
  screens: ScreenInput[];
}

export interface ShowInput {
  movieId: string;
  venueId: string;
  screenId: string;
  startsAt: string;
  language: string;
  format: Format;
  prices: Record<string, Money>;
  /** Sold without refunds; default false. */
  nonRefundable?: boolean;
}

const shortId = () => randomUUID().replace(/-/g, '').slice(0, 12);

export class CatalogAdmin {
  constructor(
    private readonly catalog: CatalogService,
    private readonly inventory: InventoryService,
    private readonly clock: () => number,
  ) {}

  async putCity(city: City): Promise<City> {
    await this.catalog.store.putCity(city);
    this.catalog.invalidate({ cities: true });
    return city;
  }

  async createMovie(input: MovieInput): Promise<Movie> {
    const movie: Movie = {
      ...input,
      cast: input.cast ?? [],
      id: `${input.kind === 'movie' ? 'mov' : 'evt'}-${shortId()}`,
      cities: [],
      status: 'active',
    };
    await this.catalog.store.putMovie(movie);
    this.catalog.invalidate({ movies: true });
    return movie;
  }

  async updateMovie(id: string, patch: Partial<MovieInput>): Promise<Movie> {
    const movie = await this.requireMovie(id);
    const next: Movie = { ...movie, ...stripUndefined(patch), id };
    await this.catalog.store.putMovie(next);
    this.catalog.invalidate({ movies: true });
    return next;
  }

  async withdrawMovie(id: string): Promise<Movie> {
    const movie = await this.requireMovie(id);
    const next: Movie = { ...movie, status: 'withdrawn' };
    await this.catalog.store.putMovie(next);
    this.catalog.invalidate({ movies: true });
    return next;
  }

  async createVenue(input: VenueInput): Promise<Venue> {
    if (!(await this.catalog.city(input.city)))
      throw invalidInput(`Unknown city ${input.city}.`, [{ field: 'body.city', message: 'unknown city' }]);
    const id = `ven-${input.city}-${shortId()}`;
    const screens = await Promise.all(input.screens.map((s, i) => this.saveScreen(id, s, 1, i)));
    const venue: Venue = {
      id,
      city: input.city,
      name: input.name,
      kind: input.kind,
      address: input.address,
      screens,
      status: 'open',
    };
    await this.catalog.store.putVenue(venue);
    this.catalog.invalidate({ venueCity: venue.city });
    return venue;
  }

  /** Name/address changes in place; a screen given again gets the next layout version. */
  async updateVenue(id: string, patch: { name?: string; address?: string; screens?: ScreenInput[] }): Promise<Venue> {
    const venue = await this.requireVenue(id);
    let screens = venue.screens;
    if (patch.screens) {
      screens = await Promise.all(
        patch.screens.map((s, i) => {
          const old = venue.screens.find((o) => o.id === s.id);
          const version = old ? Number(/-v(\d+)$/.exec(old.layoutId)?.[1] ?? 1) + 1 : 1;
          return this.saveScreen(id, s, version, i);
        }),
      );
      // Screens not given again stay as they were.
      screens = [...screens, ...venue.screens.filter((o) => !patch.screens!.some((s) => s.id === o.id))];
    }
    const next: Venue = { ...venue, name: patch.name ?? venue.name, address: patch.address ?? venue.address, screens };
    await this.catalog.store.putVenue(next);
    this.catalog.invalidate({ venueCity: next.city });
    return next;
  }

  async closeVenue(id: string): Promise<Venue> {
    const venue = await this.requireVenue(id);
    const next: Venue = { ...venue, status: 'closed' };
    await this.catalog.store.putVenue(next);
    this.catalog.invalidate({ venueCity: next.city });
    return next;
  }

  async createShow(input: ShowInput): Promise<Show> {
    const movie = await this.catalog.movie(input.movieId);
    if (!movie || movie.status === 'withdrawn')
      throw invalidInput(`Unknown movie ${input.movieId}.`, [{ field: 'body.movieId', message: 'unknown movie' }]);
    const venue = await this.catalog.venue(input.venueId);
    if (!venue || venue.status === 'closed')
      throw invalidInput(`Unknown venue ${input.venueId}.`, [
        { field: 'body.venueId', message: 'unknown or closed venue' },
      ]);
    const screen = venue.screens.find((s) => s.id === input.screenId);
    if (!screen)
      throw invalidInput(`Venue ${venue.id} has no screen ${input.screenId}.`, [
        { field: 'body.screenId', message: 'unknown screen' },
      ]);
    const city = await this.catalog.city(venue.city);
    if (!city) throw new SystemError('INTERNAL', { detail: 'Venue city missing' });
    const show = await this.buildShow(`shw-${venue.city}-${shortId()}`, input, movie, venue, screen, city);
    await this.assertNoOverlap(show);
    await this.catalog.store.putShow(show);
    this.catalog.invalidate({ show });
    await this.inventory.materialise(show.id);
    return show;
  }

  /**
   * Prices, language, format, start time and the non-refundable flag; a new time must still be free
   * on the screen. The flag applies to bookings made after the change (each booking keeps its copy).
   */
  async updateShow(
    id: string,
    patch: Partial<Pick<ShowInput, 'startsAt' | 'language' | 'format' | 'prices' | 'nonRefundable'>>,
  ): Promise<Show> {
    const show = await this.requireShow(id);
    if (show.status === 'cancelled')
      throw new UserError('SHOW_CANCELLED', { detail: 'A cancelled show cannot be changed.' });
    const movie = await this.catalog.movie(show.movieId);
    const venue = await this.catalog.venue(show.venueId);
    const screen = venue?.screens.find((s) => s.id === show.screenId);
    const city = await this.catalog.city(show.city);
    if (!movie || !venue || !screen || !city)
      throw new SystemError('INTERNAL', { detail: 'Show references are missing' });
    const input: ShowInput = {
      movieId: show.movieId,
      venueId: show.venueId,
      screenId: show.screenId,
      startsAt: patch.startsAt ?? show.startsAt,
      language: patch.language ?? show.language,
      format: patch.format ?? show.format,
      prices: patch.prices ?? show.prices,
      nonRefundable: patch.nonRefundable ?? show.nonRefundable,
    };
    const next = { ...(await this.buildShow(id, input, movie, venue, screen, city)), layoutId: show.layoutId };
    if (patch.startsAt) {
      const booked = await this.inventory.bookedSeats(id);
      if (booked > 0)
        throw new UserError('SHOW_HAS_BOOKINGS', {
          detail: `The show has ${booked} booked seats; its time cannot move.`,
          extra: { bookedSeats: booked },
        });
      await this.assertNoOverlap(next);
    }
    await this.catalog.store.putShow(next);
    this.catalog.invalidate({ show });
    this.catalog.invalidate({ show: next });
    return next;
  }

  async cancelShow(id: string): Promise<Show> {
    const show = await this.requireShow(id);
    if (show.status === 'cancelled') return show;
    const booked = await this.inventory.bookedSeats(id);
    if (booked > 0)
      throw new UserError('SHOW_HAS_BOOKINGS', {
        detail: `The show has ${booked} booked seats: cancel it with POST /api/ops/shows/${id}/cancel, which refunds and tells every holder.`,
        extra: { bookedSeats: booked },
      });
    const next: Show = { ...show, status: 'cancelled' };
    await this.catalog.store.putShow(next);
    this.catalog.invalidate({ show });
    return next;
  }

  private async buildShow(
    id: string,
    input: ShowInput,
    movie: Movie,
    venue: Venue,
    screen: Screen,
    city: City,
  ): Promise<Show> {
    const starts = Date.parse(input.startsAt);
    if (!(starts > this.clock()))
      throw invalidInput('A show must start in the future.', [{ field: 'body.startsAt', message: 'in the past' }]);
    if (!screen.formats.includes(input.format))
      throw invalidInput(`Screen ${screen.id} does not show ${input.format}.`, [
        { field: 'body.format', message: `not one of ${screen.formats.join(', ')}` },
      ]);
    const layout = await this.catalog.layout(screen.layoutId);
    if (!layout) throw new SystemError('INTERNAL', { detail: 'Screen layout missing' });
    const categories = layout.layout.categories.map((c) => c.id);
    const missing = categories.filter((c) => !input.prices[c]);
    const extra = Object.keys(input.prices).filter((c) => !categories.includes(c));
    if (missing.length || extra.length) {
      throw invalidInput(`Prices must cover exactly the categories ${categories.join(', ')}.`, [
        ...missing.map((c) => ({ field: `body.prices.${c}`, message: 'missing' })),
        ...extra.map((c) => ({ field: `body.prices.${c}`, message: 'unknown category' })),
      ]);
    }
    const wrongCurrency = Object.entries(input.prices).filter(([, p]) => p.currency !== city.currency);
    if (wrongCurrency.length)
      throw invalidInput(
        `Prices are in ${city.currency}.`,
        wrongCurrency.map(([c]) => ({ field: `body.prices.${c}.currency`, message: `must be ${city.currency}` })),
      );
    return {
      id,
      city: venue.city,
      movieId: movie.id,
      kind: movie.kind,
      title: movie.title,
      genres: movie.genres,
      language: input.language,
      format: input.format,
      certificate: movie.certificate,
      durationMinutes: movie.durationMinutes,
      venueId: venue.id,
      venueName: venue.name,
      screenId: screen.id,
      screenName: screen.name,
      layoutId: screen.layoutId,
      startsAt: new Date(starts).toISOString(),
      endsAt: new Date(starts + movie.durationMinutes * 60_000).toISOString(),
      localDate: localDate(starts, city.timeZone),
      prices: input.prices,
      status: 'scheduled',
      nonRefundable: input.nonRefundable === true,
    };
  }

  private async assertNoOverlap(show: Show): Promise<void> {
    const day = 24 * 3600_000;
    const from = new Date(Date.parse(show.startsAt) - day).toISOString();
    const to = new Date(Date.parse(show.endsAt) + day).toISOString();
    const others = await this.catalog.store.showsOnScreen(show.city, show.venueId, show.screenId, from, to);
    const clash = findOverlap(show, others);
    if (clash)
      throw new UserError('SHOW_OVERLAP', {
        detail: `Screen ${show.screenId} already has show ${clash.id} from ${clash.startsAt} to ${clash.endsAt}.`,
        extra: { overlappingShowId: clash.id },
      });
  }

  private async saveScreen(venueId: string, s: ScreenInput, version: number, position: number): Promise<Screen> {
    const layout = buildScreenLayout({
      id: `lay-${venueId}-${s.id}-v${version}`,
      version,
      name: s.name,
      categories: s.categories,
      rows: s.rows,
      aisleWidth: s.aisleWidth,
    });
    const problems = layoutProblems(layout);
    if (problems.length)
      throw invalidInput(
        `Screen ${s.id}: ${problems.join('; ')}`,
        problems.map((p) => ({ field: `body.screens.${position}`, message: p })),
      );
    await this.catalog.putLayout(layout);
    return { id: s.id, name: s.name, layoutId: layout.id, seatCount: layout.seatCount, formats: s.formats };
  }

  private async requireMovie(id: string): Promise<Movie> {
    const movie = await this.catalog.store.movie(id);
    if (!movie) throw notFound(`Movie ${id}`);
    return movie;
  }

  private async requireVenue(id: string): Promise<Venue> {
    const venue = await this.catalog.venue(id);
    if (!venue) throw notFound(`Venue ${id}`);
    return venue;
  }

  private async requireShow(id: string): Promise<Show> {
    const city = id.split('-')[1];
    const show = city ? await this.catalog.store.show(city, id) : undefined;
    if (!show) throw notFound(`Show ${id}`);
    return show;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
