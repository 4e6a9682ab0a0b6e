// Recommendations (docs/architecture.md, Recommendations): keeps the signals up to date from booking
// events, and answers a user's (or an anonymous visitor's) rail from precomputed data.
//
// Ingest, once per event: the facts come from the committed booking and the catalog, never from the
// message; the user's document applies the event (or sees its id and does nothing) and records the
// aggregate update it owes (`pending`); the update is then applied to a city shard and the
// co-booking documents, each de-duplicating on the event id, and acknowledged. A crash in between
// leaves `pending` behind, and the redelivery (or the user's next event) finishes it.
//
// Request path: small in-process caches (a user's signals and profile, a city's merged aggregates,
// its bookable titles, titles' co-booking counts) and the pure scoring; no query scans anything.
// The caches serve a stale value while one reload runs in the background, so an expiry never holds
// requests up; and a rail is scored once per set of inputs: while none of the cached snapshots it was
// computed from has been replaced, the same Rail object is answered again (the HTTP layer keeps its
// serialised body and ETag with it). Freshness windows: docs/architecture.md, Recommendations.
import type { BookingDoc } from '../booking/model.js';
import type { BookingStore } from '../booking/store.js';
import type { CatalogService } from '../catalog/service.js';
import { TtlCache } from '../catalog/cache.js';
import type { ProfileService } from '../profile/service.js';
import type { Movie, Show } from '../domain/catalog.js';
import { addDays, localHour } from '../domain/zoned-time.js';
import { bookableCandidates, BOOKABLE_DAYS } from '../domain/recommendations/candidates.js';
import {
  recommend,
  type Candidate,
  type Recommendation,
  type ScoreWeights,
} from '../domain/recommendations/scoring.js';
import {
  acknowledge,
  applyBooking,
  applyCancellation,
  applyToCity,
  applyToTitle,
  bookedTitles,
  emptyCityAggregate,
  emptyTitleAggregate,
  emptyUserSignals,
  mergeCity,
  shardOf,
  titleDocsFor,
  type AggregateDelta,
  type BookingFact,
  type CancellationFact,
  type CityAggregate,
  type CityView,
  type TitleAggregate,
  type UserSignals,
} from '../domain/recommendations/signals.js';
import type { RecommendationStore } from './ports.js';
import { parseSignalEvent, type SignalEvent } from './events.js';
import { GroupCommit } from './group-commit.js';

export interface RecommendationDeps {
  store: RecommendationStore;
  bookings: Pick<BookingStore, 'get'>;
  catalog: CatalogService;
  profiles: ProfileService;
  clock: () => number;
  /** How long a user's signals and a city's aggregates are reused on this instance. */
  cacheMs?: number;
  weights?: ScoreWeights;
}

export type IngestOutcome = 'applied' | 'duplicate' | 'ignored' | 'unverified';

export interface Rail {
  city: string;
  cityName: string;
  /** What the rail rests on: the user's bookings, their stated preferences, or the city's trend. */
  basis: 'history' | 'preferences' | 'trending';
  items: Recommendation[];
}

interface UserView {
  signals?: UserSignals;
  /** bookedTitles(signals), worked out once per load. */
  history: string[];
  genres: string[];
  languages: string[];
  city?: string;
}

/** How long past its TTL a cached snapshot may still be answered while its reload runs. */
const STALE_MS = 30_000;
/** Rails remembered with the inputs they were scored from (users × cities × limits). */
const MAX_RAILS = 20_000;

export class RecommendationService {
  private readonly users: TtlCache<string, UserView>;
  private readonly cities: TtlCache<string, CityView>;
  private readonly candidates: TtlCache<string, Candidate[]>;
  private readonly coBooking: TtlCache<string, Record<string, number>>;
  /** Rail key → the rail and the snapshots it was scored from (compared by identity). */
  private readonly rails = new Map<string, { inputs: readonly unknown[]; rail: Rail }>();
  /** Concurrent ingests' changes of one aggregate document, written together (group-commit.ts). */
  private readonly cityWrites = new GroupCommit<CityAggregate>();
  private readonly titleWrites = new GroupCommit<TitleAggregate>();

  constructor(private readonly deps: RecommendationDeps) {
    const ms = deps.cacheMs ?? 2_000;
    this.users = new TtlCache(ms, 20_000, deps.clock, STALE_MS);
    this.cities = new TtlCache(ms, 200, deps.clock, STALE_MS);
    this.candidates = new TtlCache(5_000, 200, deps.clock, STALE_MS);
    this.coBooking = new TtlCache(10_000, 5_000, deps.clock, STALE_MS);
  }

  // ---- Ingest ----

  /** Applies one booking-events message. Throws on a fault, so the broker redelivers it. */
  async ingest(message: unknown): Promise<IngestOutcome> {
    const event = parseSignalEvent(message);
    if (!event || event.data.late) return 'ignored';
    if (event.type !== 'booking.confirmed' && event.type !== 'booking.cancelled') return 'ignored';
    const booking = await this.deps.bookings.get(event.data.userId, event.data.bookingId);
    if (!booking) return 'unverified';
    const change = await this.factsOf(event, booking);
    if (!change) return 'unverified';
    let applied = false;
    const signals = await this.deps.store.mutateUser(
      event.data.userId,
      (doc) => {
        const next = change(doc);
        applied = next !== undefined;
        return next;
      },
      emptyUserSignals(event.data.userId),
    );
    await this.flush(event.data.userId, signals?.pending ?? []);
    this.users.delete(event.data.userId);
    return applied ? 'applied' : 'duplicate';
  }

  /** The change the event makes to its owner's signals, from the committed booking; undefined if it does not show it. */
  private async factsOf(
    event: SignalEvent,
    booking: BookingDoc,
  ): Promise<((s: UserSignals) => UserSignals | undefined) | undefined> {
    const show = await this.deps.catalog.show(booking.showId);
    if (!show) return undefined;
    if (event.type === 'booking.confirmed') {
      const confirmed = booking.history.find((h) => h.status === 'confirmed');
      if (!confirmed) return undefined;
      const city = await this.deps.catalog.city(show.city);
      const fact: BookingFact = {
        bookingId: booking.id,
        userId: booking.userId,
        city: show.city,
        movieId: show.movieId,
        title: show.title,
        genres: show.genres,
        language: show.language,
        format: show.format,
        venueId: show.venueId,
        showId: show.id,
        localHour: localHour(Date.parse(show.startsAt), city?.timeZone ?? 'UTC'),
        seats: booking.seatIds.length + booking.cancelledSeatIds.length,
        spendMinor: booking.charged?.minor ?? booking.price.total.minor,
        showStartsAt: show.startsAt,
        at: confirmed.at,
      };
      return (s) => applyBooking(s, event.id, fact);
    }
    const c = booking.cancellations.find((x) => x.id === event.data.cancellationId);
    if (!c || c.status !== 'completed') return undefined;
    const fact: CancellationFact = {
      bookingId: booking.id,
      userId: booking.userId,
      city: show.city,
      movieId: show.movieId,
      showId: show.id,
      seats: c.seatIds.length,
      whole: booking.seatIds.length === 0,
      showStartsAt: show.startsAt,
      at: c.completedAt ?? booking.updatedAt,
    };
    return (s) => applyCancellation(s, event.id, fact);
  }

  /** Applies each owed aggregate update (each document de-duplicates it) and acknowledges it. */
  private async flush(userId: string, pending: readonly AggregateDelta[]): Promise<void> {
    const store = this.deps.store;
    for (const d of pending) {
      const city = emptyCityAggregate(d.city, shardOf(d.eventId));
      await Promise.all([
        this.cityWrites.apply(
          city.id,
          (doc) => applyToCity(doc, d),
          (fn) => store.mutateCity(city, fn),
        ),
        ...titleDocsFor(d).map((m) => {
          const title = emptyTitleAggregate(m);
          return this.titleWrites.apply(
            title.id,
            (doc) => applyToTitle(doc, d),
            (fn) => store.mutateTitle(title, fn),
          );
        }),
      ]);
      await this.deps.store.mutateUser(userId, (doc) => acknowledge(doc, d.eventId));
    }
  }

  // ---- Reads ----

  /** Drops what this instance remembers of the user (their profile changed, or a booking of theirs landed). */
  forget(userId: string): void {
    this.users.delete(userId);
  }

  /** The profile's city, for a caller who named none. */
  async homeCity(userId: string): Promise<string | undefined> {
    return (await this.userView(userId)).city;
  }

  /** Caller checked the city exists. */
  async forUser(userId: string, cityId: string, limit: number): Promise<Rail> {
    const city = (await this.deps.catalog.city(cityId))!;
    const [user, view, candidates] = await Promise.all([
      this.userView(userId),
      this.cityView(cityId),
      this.bookable(cityId),
    ]);
    const history = user.history;
    const coBooked = await this.coBookedFor(history);
    return this.scoredOnce(`${userId}|${cityId}|${limit}`, [city, user, view, candidates, ...coBooked], () => {
      const items = recommend({
        now: this.deps.clock(),
        cityName: city.name,
        candidates,
        user: user.signals,
        stated: { genres: user.genres, languages: user.languages },
        trending: view.trending,
        coBooked: Object.fromEntries(history.slice(0, coBooked.length).map((m, i) => [m, coBooked[i]!])),
        limit,
        weights: this.deps.weights,
      });
      const basis = history.length
        ? 'history'
        : user.genres.length || user.languages.length
          ? 'preferences'
          : 'trending';
      return { city: city.id, cityName: city.name, basis, items };
    });
  }

  /** Anonymous: what is trending and new in the city. Caller checked the city exists. */
  async forAnyone(cityId: string, limit: number): Promise<Rail> {
    const city = (await this.deps.catalog.city(cityId))!;
    const [view, candidates] = await Promise.all([this.cityView(cityId), this.bookable(cityId)]);
    return this.scoredOnce(`|${cityId}|${limit}`, [city, view, candidates], () => {
      const items = recommend({
        now: this.deps.clock(),
        cityName: city.name,
        candidates,
        trending: view.trending,
        coBooked: {},
        limit,
        weights: this.deps.weights,
      });
      return { city: city.id, cityName: city.name, basis: 'trending', items };
    });
  }

  /**
   * The rail scored from exactly these snapshots, scored on the first ask. Scoring is pure, and the
   * only other input, the clock, moves newness by a negligible amount between snapshot reloads
   * (newness halves over two weeks; trending is decayed when the city's snapshot is built).
   */
  private scoredOnce(key: string, inputs: readonly unknown[], score: () => Rail): Rail {
    const known = this.rails.get(key);
    if (known && known.inputs.length === inputs.length && known.inputs.every((x, i) => x === inputs[i]))
      return known.rail;
    const rail = score();
    if (known) this.rails.delete(key);
    else if (this.rails.size >= MAX_RAILS) this.rails.delete(this.rails.keys().next().value!);
    // Re-inserted: the map's order is then least recently scored first, the one to drop.
    this.rails.set(key, { inputs, rail });
    return rail;
  }

  private userView(userId: string): Promise<UserView> {
    return this.users.get(userId, async () => {
      const [signals, profile] = await Promise.all([this.deps.store.user(userId), this.deps.profiles.get(userId)]);
      return {
        signals,
        history: signals ? bookedTitles(signals) : [],
        genres: profile.genres,
        languages: profile.languages,
        city: profile.city,
      };
    });
  }

  private cityView(cityId: string): Promise<CityView> {
    return this.cities.get(cityId, async () =>
      mergeCity(cityId, await this.deps.store.cityShards(cityId), this.deps.clock()),
    );
  }

  /** The co-booking counts of the user's most recent titles, in the order of `movieIds`. */
  private coBookedFor(movieIds: readonly string[]): Promise<Record<string, number>[]> {
    return Promise.all(
      movieIds
        .slice(0, 20)
        .map((m) => this.coBooking.get(m, async () => (await this.deps.store.title(m))?.coBooked ?? {})),
    );
  }

  /** The city's bookable titles for the next days, rebuilt every few seconds. */
  private bookable(cityId: string): Promise<Candidate[]> {
    return this.candidates.get(cityId, async () => {
      const catalog = this.deps.catalog;
      const city = (await catalog.city(cityId))!;
      const today = catalog.today(city);
      const [days, movies, view] = await Promise.all([
        Promise.all(Array.from({ length: BOOKABLE_DAYS + 1 }, (_, i) => catalog.dayOfShows(cityId, addDays(today, i)))),
        catalog.movies(),
        this.cityView(cityId),
      ]);
      const shows: Show[] = days.flat();
      const layouts = new Map<string, number>();
      await Promise.all(
        [...new Set(shows.map((s) => s.layoutId))].map(async (id) => {
          const index = await catalog.layout(id);
          if (index) layouts.set(id, index.layout.seatCount);
        }),
      );
      // Intl is the dear part of a rebuild (it runs on the serving event loop); shows share a few start times.
      const hours = new Map<number, number>();
      const hourOf = (ms: number) => {
        let h = hours.get(ms);
        if (h === undefined) hours.set(ms, (h = localHour(ms, city.timeZone)));
        return h;
      };
      return bookableCandidates({
        now: this.deps.clock(),
        shows,
        movies: new Map<string, Movie>(movies.map((m) => [m.id, m])),
        seatsSold: view.seatsSold,
        capacity: (s) => layouts.get(s.layoutId),
        localHour: hourOf,
      });
    });
  }
}
