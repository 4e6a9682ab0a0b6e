// The recommender's signals and how one booking event changes them (docs/architecture.md,
// Recommendations). Pure: the application service (shared/recommendations/) reads a document,
// applies one of these functions and writes it back conditionally, and the offline evaluation
// (bench/eval-recs.ts) replays a synthetic population through the very same functions.
//
// Every function is idempotent per event id: the document remembers the ids it has applied (a
// bounded ring, see APPLIED_RING), so an event delivered twice counts once.

/** What one confirmed booking says about its owner's taste, read from the committed booking and show. */
export interface BookingFact {
  bookingId: string;
  userId: string;
  city: string;
  movieId: string;
  title: string;
  genres: string[];
  language: string;
  format: string;
  venueId: string;
  showId: string;
  /** Hour of the show's start in the city's time zone (0–23). */
  localHour: number;
  seats: number;
  spendMinor: number;
  /** When the show starts (ISO): its sold-seat count is dropped once it has started. */
  showStartsAt: string;
  /** When the booking was confirmed (ISO-8601 UTC): trending decays from it. */
  at: string;
}

/** A cancellation as the recommender counts it. */
export interface CancellationFact {
  bookingId: string;
  userId: string;
  city: string;
  movieId: string;
  showId: string;
  seats: number;
  /** The booking has no seats left: its title no longer counts as booked. */
  whole: boolean;
  showStartsAt: string;
  at: string;
}

export type Weights = Record<string, number>;

export interface BookedTitle {
  movieId: string;
  title: string;
  genres: string[];
  language: string;
  format: string;
  venueId: string;
  localHour: number;
  seats: number;
  spendMinor: number;
  at: string;
  cancelled?: boolean;
}

/** The aggregates one applied booking still owes (the outbox, see applyUserEvent). */
export interface AggregateDelta {
  eventId: string;
  city: string;
  movieId: string;
  showId: string;
  /** Signed: a cancellation gives seats back. */
  seats: number;
  /** Decayed booking count for trending: 1 for a booking, -1 when a whole booking is cancelled. */
  bookings: number;
  /** Other titles the user booked before this one (co-booking), most recent first. */
  coBookedWith: string[];
  /** When the show starts (ISO): past shows leave the sold-out counts. */
  showStartsAt: string;
  at: string;
}

/** One user's signals: document `recommendations` / userId. */
export interface UserSignals {
  /** The user id (the document's id and partition key). */
  id: string;
  userId: string;
  /** Bookings by booking id. */
  bookings: Record<string, BookedTitle>;
  genres: Weights;
  languages: Weights;
  formats: Weights;
  venues: Weights;
  /** Time-of-day buckets (see dayPart). */
  dayParts: Weights;
  spendMinor: number;
  seats: number;
  confirmed: number;
  cancellations: number;
  /** Event ids applied, newest last (bounded). */
  applied: string[];
  /** Aggregate updates not yet acknowledged by the aggregate documents. */
  pending: AggregateDelta[];
  updatedAt: string;
}

/** How many applied event ids a document remembers: duplicates arrive within seconds of each other. */
export const APPLIED_RING = 500;
/** At most this many earlier titles take part in one booking's co-booking counts. */
export const CO_BOOKING_DEPTH = 20;

export const DAY_PARTS = ['morning', 'afternoon', 'evening', 'night'] as const;
export type DayPart = (typeof DAY_PARTS)[number];

export function dayPart(localHour: number): DayPart {
  if (localHour >= 5 && localHour < 12) return 'morning';
  if (localHour >= 12 && localHour < 17) return 'afternoon';
  if (localHour >= 17 && localHour < 21) return 'evening';
  return 'night';
}

export function emptyUserSignals(userId: string): UserSignals {
  return {
    id: userId,
    userId,
    bookings: {},
    genres: {},
    languages: {},
    formats: {},
    venues: {},
    dayParts: {},
    spendMinor: 0,
    seats: 0,
    confirmed: 0,
    cancellations: 0,
    applied: [],
    pending: [],
    updatedAt: new Date(0).toISOString(),
  };
}

function remember(applied: string[], eventId: string): string[] {
  const next = [...applied, eventId];
  return next.length > APPLIED_RING ? next.slice(next.length - APPLIED_RING) : next;
}

function add(w: Weights, keys: readonly string[], amount: number): Weights {
  const out = { ...w };
  for (const k of keys) {
    const v = (out[k] ?? 0) + amount;
    if (v > 1e-9) out[k] = v;
    else delete out[k];
  }
  return out;
}

/** The distinct titles the user holds a booking for (not wholly cancelled), most recent first. */
export function bookedTitles(s: UserSignals): string[] {
  const seen = new Set<string>();
  return Object.values(s.bookings)
    .filter((b) => !b.cancelled)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .map((b) => b.movieId)
    .filter((m) => !seen.has(m) && seen.add(m));
}

/** How one booking's taste is spread: a title's genres share one unit. */
function tasteOf(s: UserSignals, b: BookedTitle, sign: 1 | -1): UserSignals {
  const g = b.genres.length ? 1 / b.genres.length : 0;
  return {
    ...s,
    genres: add(s.genres, b.genres, sign * g),
    languages: add(s.languages, [b.language], sign),
    formats: add(s.formats, [b.format], sign),
    venues: add(s.venues, [b.venueId], sign),
    dayParts: add(s.dayParts, [dayPart(b.localHour)], sign),
  };
}

/**
 * Applies a confirmed booking to its owner's signals, once per event id and once per booking. The
 * answer carries the aggregate update the booking owes in `pending`; undefined means "no change".
 */
export function applyBooking(s: UserSignals, eventId: string, f: BookingFact): UserSignals | undefined {
  if (s.applied.includes(eventId) || s.bookings[f.bookingId]) return undefined;
  const before = bookedTitles(s);
  const booked: BookedTitle = {
    movieId: f.movieId,
    title: f.title,
    genres: f.genres,
    language: f.language,
    format: f.format,
    venueId: f.venueId,
    localHour: f.localHour,
    seats: f.seats,
    spendMinor: f.spendMinor,
    at: f.at,
  };
  const next = tasteOf(s, booked, 1);
  const firstOfTitle = !before.includes(f.movieId);
  return {
    ...next,
    bookings: { ...s.bookings, [f.bookingId]: booked },
    spendMinor: s.spendMinor + f.spendMinor,
    seats: s.seats + f.seats,
    confirmed: s.confirmed + 1,
    applied: remember(s.applied, eventId),
    pending: [
      ...s.pending,
      {
        eventId,
        city: f.city,
        movieId: f.movieId,
        showId: f.showId,
        seats: f.seats,
        bookings: firstOfTitle ? 1 : 0,
        coBookedWith: firstOfTitle ? before.slice(0, CO_BOOKING_DEPTH) : [],
        showStartsAt: f.showStartsAt,
        at: f.at,
      },
    ],
    updatedAt: maxIso(s.updatedAt, f.at),
  };
}

/**
 * Applies a cancellation: a whole one takes the booking's taste back out and the title no longer
 * counts as booked; a partial one only gives seats back. Always counted in `cancellations`.
 */
export function applyCancellation(s: UserSignals, eventId: string, f: CancellationFact): UserSignals | undefined {
  if (s.applied.includes(eventId)) return undefined;
  const booked = s.bookings[f.bookingId];
  let next: UserSignals = { ...s, cancellations: s.cancellations + 1, applied: remember(s.applied, eventId) };
  const wholeNow = f.whole && booked && !booked.cancelled;
  if (wholeNow) {
    next = tasteOf(next, booked, -1);
    next.bookings = { ...s.bookings, [f.bookingId]: { ...booked, cancelled: true } };
  }
  const stillBooked = wholeNow ? bookedTitles(next).includes(f.movieId) : true;
  next.pending = [
    ...s.pending,
    {
      eventId,
      city: f.city,
      movieId: f.movieId,
      showId: f.showId,
      seats: -f.seats,
      bookings: wholeNow && !stillBooked ? -1 : 0,
      coBookedWith: [],
      showStartsAt: f.showStartsAt,
      at: f.at,
    },
  ];
  next.updatedAt = maxIso(s.updatedAt, f.at);
  return next;
}

/** Drops an aggregate update the aggregates have acknowledged. */
export function acknowledge(s: UserSignals, eventId: string): UserSignals | undefined {
  return s.pending.some((p) => p.eventId === eventId)
    ? { ...s, pending: s.pending.filter((p) => p.eventId !== eventId) }
    : undefined;
}

const maxIso = (a: string, b: string) => (a > b ? a : b);

// ---- Aggregates: per city (trending, seats sold per show) and per title (co-booking) ----

/** Trending half-life: a booking a day old counts half. */
export const TRENDING_HALF_LIFE_MS = 24 * 3_600_000;

/** An exponentially decayed count: `value` as of `at`. */
export interface Decayed {
  value: number;
  at: number;
}

export function decayedAt(d: Decayed, now: number, halfLifeMs = TRENDING_HALF_LIFE_MS): number {
  return d.value * Math.pow(2, -(Math.max(0, now - d.at) / halfLifeMs));
}

function bump(d: Decayed | undefined, amount: number, at: number): Decayed {
  if (!d) return { value: amount, at };
  const t = Math.max(d.at, at);
  // An event older than the counter is decayed to the counter's time rather than moving it back.
  const own = amount * Math.pow(2, -((t - at) / TRENDING_HALF_LIFE_MS));
  return { value: decayedAt(d, t) + own, at: t };
}

/** Below this a decayed count is forgotten: about a week after a title's last booking. */
const FORGET_BELOW = 0.01;

/**
 * One shard of a city's aggregates: document `recommendation-aggregates`, key `city:<id>`. A delta
 * lands on one shard (by event id) so concurrent writers spread over CITY_SHARDS documents; a shard
 * may hold negative counts (a cancellation landing on another shard than its booking), the merged
 * view never does.
 */
export interface CityAggregate {
  id: string;
  key: string;
  city: string;
  /** Movie id → decayed bookings (trending). */
  trending: Record<string, Decayed>;
  /** Movie id → bookings ever (the popularity baseline). */
  bookings: Record<string, number>;
  /** Show id → seats sold by confirmed bookings and when it starts, for "not sold out". */
  seatsSold: Record<string, { seats: number; startsAt: string }>;
  applied: string[];
}

export const CITY_SHARDS = 16;

/** The city shard an event lands on: a stable hash of its id. */
export function shardOf(eventId: string): number {
  let h = 2166136261;
  for (let i = 0; i < eventId.length; i++) h = Math.imul(h ^ eventId.charCodeAt(i), 16777619);
  return (h >>> 0) % CITY_SHARDS;
}

/** One title's co-booking counts: document `recommendation-aggregates`, key `title:<movieId>`. */
export interface TitleAggregate {
  id: string;
  key: string;
  movieId: string;
  /** Other movie id → users who booked both. */
  coBooked: Record<string, number>;
  applied: string[];
}

export function applyToCity(doc: CityAggregate, d: AggregateDelta): CityAggregate | undefined {
  if (doc.applied.includes(d.eventId)) return undefined;
  const at = Date.parse(d.at);
  const trending: Record<string, Decayed> = {};
  for (const [m, v] of Object.entries(doc.trending))
    if (Math.abs(decayedAt(v, at)) >= FORGET_BELOW || m === d.movieId) trending[m] = v;
  const bookings = { ...doc.bookings };
  if (d.bookings !== 0) {
    trending[d.movieId] = bump(trending[d.movieId], d.bookings, at);
    bookings[d.movieId] = (bookings[d.movieId] ?? 0) + d.bookings;
  }
  const seatsSold: CityAggregate['seatsSold'] = {};
  for (const [id, v] of Object.entries(doc.seatsSold)) if (v.startsAt > d.at) seatsSold[id] = v;
  if (d.showStartsAt > d.at)
    seatsSold[d.showId] = { seats: (seatsSold[d.showId]?.seats ?? 0) + d.seats, startsAt: d.showStartsAt };
  return { ...doc, trending, bookings, seatsSold, applied: remember(doc.applied, d.eventId) };
}

/**
 * Co-booking is symmetric: booking X after Y counts the pair on X's document (here, with every
 * earlier title) and on each Y's document (with X). `other` is the title whose document this is.
 */
export function applyToTitle(doc: TitleAggregate, d: AggregateDelta): TitleAggregate | undefined {
  if (doc.applied.includes(d.eventId)) return undefined;
  const partners = doc.movieId === d.movieId ? d.coBookedWith : d.coBookedWith.includes(doc.movieId) ? [d.movieId] : [];
  if (!partners.length) return undefined;
  const coBooked = { ...doc.coBooked };
  for (const p of partners) coBooked[p] = (coBooked[p] ?? 0) + 1;
  return { ...doc, coBooked, applied: remember(doc.applied, d.eventId) };
}

/** The title documents one delta touches. */
export function titleDocsFor(d: AggregateDelta): string[] {
  return d.coBookedWith.length ? [d.movieId, ...d.coBookedWith] : [];
}

/** A city's shards merged into one view, trending decayed to `now`. */
export interface CityView {
  city: string;
  trending: Record<string, number>;
  bookings: Record<string, number>;
  seatsSold: Record<string, number>;
}

export function mergeCity(city: string, shards: readonly CityAggregate[], now: number): CityView {
  const out: CityView = { city, trending: {}, bookings: {}, seatsSold: {} };
  for (const s of shards) {
    for (const [m, d] of Object.entries(s.trending)) out.trending[m] = (out.trending[m] ?? 0) + decayedAt(d, now);
    for (const [m, n] of Object.entries(s.bookings)) out.bookings[m] = (out.bookings[m] ?? 0) + n;
    for (const [id, v] of Object.entries(s.seatsSold)) out.seatsSold[id] = (out.seatsSold[id] ?? 0) + v.seats;
  }
  for (const table of [out.trending, out.bookings, out.seatsSold])
    for (const [k, v] of Object.entries(table)) if (v <= 1e-9) delete table[k];
  return out;
}

export function emptyCityAggregate(city: string, shard: number): CityAggregate {
  return {
    id: `city:${city}:${shard}`,
    key: `city:${city}`,
    city,
    trending: {},
    bookings: {},
    seatsSold: {},
    applied: [],
  };
}

export function emptyTitleAggregate(movieId: string): TitleAggregate {
  return { id: `title:${movieId}`, key: `title:${movieId}`, movieId, coBooked: {}, applied: [] };
}
