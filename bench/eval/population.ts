// A deterministic synthetic world for the recommender's offline evaluation (bench/eval/recommendations.ts):
// cities with their languages and venues, titles that open and close over a season, and users with
// latent tastes (genres, languages, formats, venues, time of day, and a hidden "style" no metadata
// shows) who book at realistic rates. Choices follow a logit over taste, quality and newness, so
// popularity is a real effect and taste is a real effect; nothing here reads the scoring's weights.
import { createRandom, type Random } from '../../shared/demo/random.js';
import type { Format, Movie, Show } from '../../shared/domain/catalog.js';
import type { BookingFact } from '../../shared/domain/recommendations/signals.js';

export const DAY = 86_400_000;
export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const SEASON_DAYS = 120;

const GENRES = [
  'Action',
  'Drama',
  'Comedy',
  'Thriller',
  'Romance',
  'Sci-Fi',
  'Horror',
  'Animation',
  'Family',
  'Mystery',
];
const CITY_LANGUAGES: Record<string, string[]> = {
  blr: ['Kannada', 'English', 'Hindi', 'Tamil', 'Telugu'],
  mum: ['Hindi', 'Marathi', 'English'],
  del: ['Hindi', 'English', 'Punjabi'],
};
export const CITIES = Object.keys(CITY_LANGUAGES);
const LANGUAGES = [...new Set(Object.values(CITY_LANGUAGES).flat())];
const FORMATS: Format[] = ['2D', '2D', '2D', '3D', 'IMAX'];
const HOURS = [10, 14, 18, 21];
const VENUES_PER_CITY = 6;

export interface Title {
  movie: Movie;
  language: string;
  format: Format;
  quality: number;
  style: number[];
  releaseDay: number;
  runDays: number;
  /** City → venue ids it plays at. */
  venues: Record<string, string[]>;
  hours: number[];
}

export interface User {
  id: string;
  city: string;
  genres: Record<string, number>;
  languages: string[];
  format: Format;
  venues: string[];
  hour: number;
  style: number[];
  bookingDays: number[];
  stated: { genres: string[]; languages: string[] };
}

export interface World {
  titles: Title[];
  byId: Map<string, Title>;
  users: User[];
}

const gauss = (r: Random) => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());

export function generateWorld(seed: string, userCount: number, titleCount = 160): World {
  const r = createRandom(seed);
  const titles: Title[] = [];
  for (let i = 0; i < titleCount; i++) {
    const genres = r.sample(GENRES, r.next() < 0.6 ? 1 : 2);
    const language = r.next() < 0.5 ? r.pick(['Hindi', 'English']) : r.pick(LANGUAGES);
    const format = r.pick(FORMATS);
    const releaseDay = r.int(-25, SEASON_DAYS - 5);
    const id = `mov-eval-${String(i).padStart(3, '0')}`;
    const cities = CITIES.filter((c) => CITY_LANGUAGES[c]!.includes(language));
    const venues = Object.fromEntries(
      cities.map((c) => [
        c,
        r.sample(
          Array.from({ length: VENUES_PER_CITY }, (_, v) => `ven-${c}-${v}`),
          3,
        ),
      ]),
    );
    titles.push({
      movie: {
        id,
        kind: 'movie',
        title: `Eval Title ${i}`,
        genres,
        languages: [language],
        formats: [format],
        certificate: 'UA',
        durationMinutes: 120,
        cast: [],
        releaseDate: new Date(T0 + releaseDay * DAY).toISOString().slice(0, 10),
        cities,
      },
      language,
      format,
      quality: Math.exp(0.8 * gauss(r)),
      style: [gauss(r), gauss(r), gauss(r)],
      releaseDay,
      runDays: r.int(21, 35),
      venues,
      hours: r.sample(HOURS, 2),
    });
  }
  const users: User[] = [];
  for (let i = 0; i < userCount; i++) {
    const city = r.pick(['blr', 'blr', 'mum', 'mum', 'del']);
    const [g1, g2] = r.sample(GENRES, 2);
    const genres: Record<string, number> = { [g1!]: 1, [g2!]: 0.6 };
    const langs = CITY_LANGUAGES[city]!;
    const languages = r.sample(langs, r.next() < 0.5 ? 1 : 2);
    if (!languages.includes('English') && r.next() < 0.5) languages.push('English');
    // Geometric activity: most people book a few times a season, some book every week.
    let n = 2;
    while (n < 25 && r.next() < 0.78) n++;
    const bookingDays = Array.from({ length: n }, () => r.next() * SEASON_DAYS).sort((a, b) => a - b);
    const states = r.next() < 0.5;
    users.push({
      id: `usr-eval-${i}`,
      city,
      genres,
      languages,
      format: r.pick(FORMATS),
      venues: r.sample(
        Array.from({ length: VENUES_PER_CITY }, (_, v) => `ven-${city}-${v}`),
        r.int(1, 2),
      ),
      hour: r.pick(HOURS),
      style: [gauss(r), gauss(r), gauss(r)],
      bookingDays,
      stated: states
        ? { genres: r.next() < 0.8 ? [g1!] : [r.pick(GENRES)], languages: [languages[0]!] }
        : { genres: [], languages: [] },
    });
  }
  return { titles, byId: new Map(titles.map((t) => [t.movie.id, t])), users };
}

/** Shows on `day` for a title that plays then (in the title's city venues). */
export function playsOn(t: Title, day: number): boolean {
  return day >= t.releaseDay && day < t.releaseDay + t.runDays;
}

/** The city's shows in [day, day + 7], as the catalog would list them. */
export function showsFrom(world: World, city: string, day: number): Show[] {
  const out: Show[] = [];
  for (const t of world.titles) {
    const venues = t.venues[city];
    if (!venues) continue;
    for (let d = Math.max(day, t.releaseDay); d <= day + 7 && playsOn(t, d); d++)
      for (const venueId of venues)
        for (const hour of t.hours) {
          const starts = T0 + d * DAY + hour * 3_600_000;
          out.push({
            id: `shw-${t.movie.id}-${venueId}-${d}-${hour}`,
            city,
            movieId: t.movie.id,
            kind: 'movie',
            title: t.movie.title,
            genres: t.movie.genres,
            language: t.language,
            format: t.format,
            certificate: 'UA',
            durationMinutes: 120,
            venueId,
            venueName: venueId,
            screenId: 's1',
            screenName: 'Screen 1',
            layoutId: 'lay',
            startsAt: new Date(starts).toISOString(),
            endsAt: new Date(starts + 2 * 3_600_000).toISOString(),
            localDate: new Date(starts).toISOString().slice(0, 10),
            prices: { classic: { minor: 20000 + (t.format === 'IMAX' ? 15000 : 0), currency: 'INR' } },
            status: 'scheduled',
          });
        }
  }
  return out;
}

/** The user's choice among the titles bookable on `day` they have not booked: a logit over their taste. */
export function choose(
  r: Random,
  u: User,
  day: number,
  world: World,
  booked: ReadonlySet<string>,
): BookingFact | undefined {
  const options: { t: Title; w: number }[] = [];
  for (const t of world.titles) {
    const venues = t.venues[u.city];
    if (!venues || booked.has(t.movie.id)) continue;
    const d = Math.max(Math.floor(day), t.releaseDay);
    if (d > day + 7 || !playsOn(t, d)) continue;
    const genreFit = Math.min(
      1,
      t.movie.genres.reduce((a, g) => a + (u.genres[g] ?? 0), 0),
    );
    const lang = u.languages.indexOf(t.language);
    const languageFit = lang === 0 ? 1 : lang > 0 ? 0.5 : 0;
    const venueFit = venues.some((v) => u.venues.includes(v)) ? 1 : 0;
    const hourFit = t.hours.includes(u.hour) ? 1 : 0;
    const styleFit = t.style.reduce((a, s, i) => a + s * u.style[i]!, 0) / 3;
    const age = Math.max(0, day - t.releaseDay);
    const utility =
      2 * genreFit +
      1.5 * languageFit +
      0.4 * (t.format === u.format ? 1 : 0) +
      0.6 * venueFit +
      0.3 * hourFit +
      0.8 * styleFit +
      0.9 * Math.log(t.quality) +
      1.0 * Math.exp(-age / 10);
    options.push({ t, w: Math.exp(utility) });
  }
  if (!options.length) return undefined;
  let x = r.next() * options.reduce((a, o) => a + o.w, 0);
  const pick = options.find((o) => (x -= o.w) <= 0) ?? options[options.length - 1]!;
  const t = pick.t;
  const venues = t.venues[u.city]!;
  const venueId = venues.find((v) => u.venues.includes(v)) ?? r.pick(venues);
  const hour = t.hours.includes(u.hour) ? u.hour : r.pick(t.hours);
  const showDay = Math.max(Math.ceil(day), t.releaseDay);
  const seats = r.int(1, 4);
  return {
    bookingId: `bk-${u.id}-${day.toFixed(4)}`,
    userId: u.id,
    city: u.city,
    movieId: t.movie.id,
    title: t.movie.title,
    genres: t.movie.genres,
    language: t.language,
    format: t.format,
    venueId,
    showId: `shw-${t.movie.id}-${venueId}-${showDay}-${hour}`,
    localHour: hour,
    seats,
    spendMinor: seats * 20000,
    showStartsAt: new Date(T0 + showDay * DAY + hour * 3_600_000).toISOString(),
    at: new Date(T0 + day * DAY).toISOString(),
  };
}
