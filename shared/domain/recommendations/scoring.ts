// Scoring (docs/architecture.md, Recommendations): a blend of content affinity, co-booking, trending
// and newness over the titles a user can actually book, re-ranked for diversity, each item with
// the reason that carried it. Pure; the weights are tuned by the offline evaluation
// (bench/eval-recs.ts) on a validation split and are DEFAULT_WEIGHTS below.
import { bookedTitles, dayPart, type UserSignals, type Weights } from './signals.js';

/** One bookable show of a candidate title. */
export interface ShowSlot {
  showId: string;
  venueId: string;
  venueName: string;
  startsAt: string;
  localHour: number;
  language: string;
  format: string;
  /** Cheapest seat, minor units. */
  fromMinor: number;
}

/** A title the user can book: showing in their city within the window, not sold out. */
export interface Candidate {
  movieId: string;
  title: string;
  kind: 'movie' | 'event';
  genres: string[];
  releaseDate: string;
  poster?: string;
  /** Bookable shows, soonest first. */
  shows: ShowSlot[];
}

export interface StatedPreferences {
  genres: string[];
  languages: string[];
}

export interface ScoringInput {
  now: number;
  cityName: string;
  candidates: readonly Candidate[];
  /** Undefined for an anonymous visitor. */
  user?: UserSignals;
  stated?: StatedPreferences;
  /** Movie id → trending (decayed bookings in the city). */
  trending: Record<string, number>;
  /** For each title the user booked: other movie id → users who booked both. */
  coBooked: Record<string, Record<string, number>>;
  limit: number;
  weights?: ScoreWeights;
}

export interface ScoreWeights {
  affinity: number;
  coBooking: number;
  trending: number;
  newness: number;
  /** Each earlier pick of the same primary genre multiplies a title's score by (1 - diversity). */
  diversity: number;
  /** Pseudo-bookings a stated preference is worth next to real ones. */
  stated: number;
}

/**
 * Tuned on the evaluation's validation split (npm run eval:recs, 5,000 users, seed marquee-eval-1).
 * The soft diversity penalty tuned to 0: the hard per-genre cap (genreCap) keeps rails mixed.
 */
export const DEFAULT_WEIGHTS: ScoreWeights = {
  affinity: 1,
  coBooking: 2.4,
  trending: 1,
  newness: 0.15,
  diversity: 0,
  stated: 4,
};

export interface ScoreComponents {
  affinity: number;
  coBooking: number;
  trending: number;
  newness: number;
}

export interface Recommendation {
  movieId: string;
  title: string;
  kind: 'movie' | 'event';
  genres: string[];
  poster?: string;
  score: number;
  components: ScoreComponents;
  reason: string;
  /** The next bookable shows (at most three). */
  shows: ShowSlot[];
}

/** Genres whose titles people book again (each show is a different match or set). */
export const REPEAT_WATCH_GENRES: readonly string[] = ['Concert', 'Music', 'Comedy', 'Cricket', 'Football', 'Kabaddi'];

const DAY_MS = 86_400_000;

function shares(w: Weights, extra: readonly string[] = [], extraWeight = 0): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, v] of Object.entries(w)) m.set(k.toLowerCase(), v);
  for (const k of extra) m.set(k.toLowerCase(), (m.get(k.toLowerCase()) ?? 0) + extraWeight);
  const total = [...m.values()].reduce((a, b) => a + b, 0);
  if (total > 0) for (const [k, v] of m) m.set(k, v / total);
  return m;
}

const best = (m: Map<string, number>, keys: Iterable<string>) => {
  let out = 0;
  for (const k of keys) out = Math.max(out, m.get(k.toLowerCase()) ?? 0);
  return out;
};

/** Newness in [0, 1]: 1 up to release, halving every two weeks after. */
export function newness(releaseDate: string, now: number): number {
  const released = Date.parse(releaseDate);
  if (Number.isNaN(released) || released >= now) return 1;
  return Math.pow(2, -((now - released) / (14 * DAY_MS)));
}

interface Scored extends Recommendation {
  primary: string;
  reasonRank: number;
}

export function recommend(input: ScoringInput): Recommendation[] {
  const w = input.weights ?? DEFAULT_WEIGHTS;
  const user = input.user;
  const stated = input.stated ?? { genres: [], languages: [] };
  const history = user ? bookedTitles(user) : [];
  const booked = new Set(history);
  const genres = shares(user?.genres ?? {}, stated.genres, w.stated);
  const languages = shares(user?.languages ?? {}, stated.languages, w.stated);
  const formats = shares(user?.formats ?? {});
  const venues = shares(user?.venues ?? {});
  const dayParts = shares(user?.dayParts ?? {});
  const perSeat = user && user.seats > 0 ? user.spendMinor / user.seats : undefined;
  const maxTrend = Math.max(0, ...input.candidates.map((c) => input.trending[c.movieId] ?? 0));
  const statedGenres = new Set(stated.genres.map((g) => g.toLowerCase()));
  const statedLanguages = new Set(stated.languages.map((l) => l.toLowerCase()));
  const historyTitle = new Map(Object.values(user?.bookings ?? {}).map((b) => [b.movieId, b.title]));
  const coTotals = new Map(
    Object.entries(input.coBooked).map(([m, co]) => [m, Object.values(co).reduce((a, b) => a + b, 0)]),
  );

  const scored: Scored[] = [];
  for (const c of input.candidates) {
    if (!c.shows.length) continue;
    if (booked.has(c.movieId) && !c.genres.some((g) => REPEAT_WATCH_GENRES.includes(g))) continue;
    const genreFit = Math.min(
      1,
      c.genres.reduce((a, g) => a + (genres.get(g.toLowerCase()) ?? 0), 0),
    );
    const languageFit = best(
      languages,
      c.shows.map((s) => s.language),
    );
    const formatFit = best(
      formats,
      c.shows.map((s) => s.format),
    );
    const venueFit = best(
      venues,
      c.shows.map((s) => s.venueId),
    );
    const timeFit = best(
      dayParts,
      c.shows.map((s) => dayPart(s.localHour)),
    );
    const cheapest = Math.min(...c.shows.map((s) => s.fromMinor));
    const priceFit = perSeat === undefined ? 0 : cheapest <= perSeat * 1.5 ? 1 : 0;
    const affinity =
      0.45 * genreFit + 0.3 * languageFit + 0.08 * formatFit + 0.08 * venueFit + 0.05 * timeFit + 0.04 * priceFit;

    let coBooking = 0;
    let because: string | undefined;
    for (const m of history) {
      const total = coTotals.get(m) ?? 0;
      const n = input.coBooked[m]?.[c.movieId] ?? 0;
      if (total > 0 && n > 0) {
        // P(c | m) among m's co-bookings, damped for a pair seen only once or twice.
        const p = (n / total) * (n / (n + 2));
        if (p > coBooking) [coBooking, because] = [p, m];
      }
    }
    // Bookings are heavy-tailed: the log keeps the city's one blockbuster from flattening every other title.
    const trending = maxTrend > 0 ? Math.log1p(input.trending[c.movieId] ?? 0) / Math.log1p(maxTrend) : 0;
    const fresh = newness(c.releaseDate, input.now);
    const components = { affinity, coBooking, trending, newness: fresh };
    const parts = {
      affinity: w.affinity * affinity,
      coBooking: w.coBooking * coBooking,
      trending: w.trending * trending,
      newness: w.newness * fresh,
    };
    const score = parts.affinity + parts.coBooking + parts.trending + parts.newness;
    // The reason names the strongest part, preferring a personal one that carries at least half as much:
    // "because you booked X" tells the user more than "trending" does.
    const strongest = (Object.keys(parts) as (keyof typeof parts)[]).reduce((a, b) => (parts[b] > parts[a] ? b : a));
    const personal = parts.coBooking >= parts.affinity ? 'coBooking' : 'affinity';
    const top = parts[personal] > 0 && parts[personal] >= parts[strongest] / 2 ? personal : strongest;
    const reason = reasonFor(top, {
      c,
      cityName: input.cityName,
      because: because ? (historyTitle.get(because) ?? because) : undefined,
      statedGenres,
      statedLanguages,
      genres,
      languages,
      hasHistory: history.length > 0,
      fresh,
      trending,
    });
    scored.push({
      movieId: c.movieId,
      title: c.title,
      kind: c.kind,
      genres: c.genres,
      ...(c.poster ? { poster: c.poster } : {}),
      score,
      components,
      reason,
      shows: c.shows.slice(0, 3),
      primary: (c.genres[0] ?? '').toLowerCase(),
      reasonRank: 0,
    });
  }
  scored.sort((a, b) => b.score - a.score || (a.movieId < b.movieId ? -1 : 1));
  return diversify(scored, input.limit, w.diversity).map(({ primary: _p, reasonRank: _r, ...rec }) => rec);
}

/** At most this many titles of one primary genre in a rail of `limit`, while others remain. */
export function genreCap(limit: number): number {
  return Math.max(2, Math.floor(limit * 0.4));
}

/**
 * Greedy re-rank: each pick of a primary genre discounts the next title of that genre, and no genre
 * takes more than genreCap(limit) places while titles of other genres are left.
 */
function diversify(sorted: Scored[], limit: number, penalty: number): Scored[] {
  const picked: Scored[] = [];
  const counts = new Map<string, number>();
  const left = [...sorted];
  const cap = genreCap(limit);
  while (picked.length < limit && left.length) {
    const open = left.some((s) => (counts.get(s.primary) ?? 0) < cap);
    let bestAt = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < left.length; i++) {
      const s = left[i]!;
      const n = counts.get(s.primary) ?? 0;
      if (open && n >= cap) continue;
      const adjusted = s.score * Math.pow(1 - penalty, n);
      if (adjusted > bestScore) [bestScore, bestAt] = [adjusted, i];
    }
    const [chosen] = left.splice(bestAt, 1);
    picked.push(chosen!);
    counts.set(chosen!.primary, (counts.get(chosen!.primary) ?? 0) + 1);
  }
  return picked;
}

interface ReasonContext {
  c: Candidate;
  cityName: string;
  because?: string;
  statedGenres: Set<string>;
  statedLanguages: Set<string>;
  genres: Map<string, number>;
  languages: Map<string, number>;
  hasHistory: boolean;
  fresh: number;
  trending: number;
}

/** The human reason for the component that carried the title. */
function reasonFor(top: keyof ScoreComponents, x: ReasonContext): string {
  if (top === 'coBooking' && x.because) return `Because you booked ${x.because}`;
  if (top === 'affinity') {
    const language = bestKey(
      x.languages,
      x.c.shows.map((s) => s.language),
    );
    const genre = bestKey(x.genres, x.c.genres);
    const label = [language, genre].filter(Boolean).join(' · ');
    const fromProfile =
      !x.hasHistory ||
      (genre !== undefined && x.statedGenres.has(genre.toLowerCase())) ||
      (language !== undefined && x.statedLanguages.has(language.toLowerCase()));
    if (label) return fromProfile ? `${label}, as in your profile` : `${label}, like your past bookings`;
  }
  if (top === 'newness' || (top === 'trending' && x.trending === 0))
    return x.fresh > 0.7 ? 'New this week' : 'Now showing';
  return `Trending in ${x.cityName}`;
}

function bestKey(m: Map<string, number>, keys: readonly string[]): string | undefined {
  let out: string | undefined;
  let v = 0;
  for (const k of keys) {
    const s = m.get(k.toLowerCase()) ?? 0;
    if (s > v) [out, v] = [k, s];
  }
  return out;
}
