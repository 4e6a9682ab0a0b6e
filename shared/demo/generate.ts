// The demo catalog as a pure function of (seed, first local date): cities, multiplexes with
// realistic screen layouts, one 20,000+ seat stadium, movies and live events, and seven days of
// shows (the stadium's sports fixtures sold non-refundable). Same inputs, same documents — which is
// what makes loading it twice harmless.
import type { City, Format, Money, Movie, Screen, Show, Venue } from '../domain/catalog.js';
import type { Category, Layout } from '../contracts/layout.js';
import { buildScreenLayout, buildStadiumLayout, rowLabel, type RowSpec } from '../domain/layout-builder.js';
import { addDays, zonedInstant } from '../domain/zoned-time.js';
import { createRandom, type Random } from './random.js';
import {
  CAST,
  CERTIFICATES,
  CITIES,
  EVENT_GENRES,
  EVENTS,
  GENRES,
  LANGUAGES,
  MOVIE_TITLES,
  NON_REFUNDABLE_EVENT_TITLES,
  SCREEN_FORMATS,
} from './names.js';

export interface DemoCatalog {
  cities: City[];
  venues: Venue[];
  layouts: Layout[];
  movies: Movie[];
  shows: Show[];
}

export interface DemoOptions {
  seed: string;
  /** First show date (YYYY-MM-DD, local to each city). */
  firstDate: string;
  days?: number;
}

const CATEGORIES: Record<string, Category> = {
  classic: { id: 'classic', name: 'Classic' },
  prime: { id: 'prime', name: 'Prime' },
  recliner: { id: 'recliner', name: 'Recliner' },
  general: { id: 'general', name: 'General' },
  premium: { id: 'premium', name: 'Premium' },
  pavilion: { id: 'pavilion', name: 'Pavilion' },
};

/** Base prices in major units per currency, by category; formats add a surcharge. */
const BASE: Record<string, Record<string, number>> = {
  INR: { classic: 180, prime: 250, recliner: 450, general: 900, premium: 2500, pavilion: 6000 },
  AED: { classic: 35, prime: 45, recliner: 75, general: 150, premium: 400, pavilion: 900 },
  SGD: { classic: 13, prime: 16, recliner: 25, general: 60, premium: 150, pavilion: 320 },
};
const SURCHARGE: Record<Format, number> = { '2D': 0, '3D': 0.2, IMAX: 0.6, LIVE: 0 };
const SLOTS = [9 * 60 + 30, 13 * 60, 16 * 60 + 30, 20 * 60, 23 * 60 + 15];

export function generateDemoCatalog(options: DemoOptions): DemoCatalog {
  const rnd = createRandom(options.seed);
  const days = options.days ?? 7;
  const cities: City[] = CITIES.map(({ id, name, timeZone, currency }) => ({ id, name, timeZone, currency }));
  const movies = makeMovies(rnd);
  const events = makeEvents(rnd);
  const venues: Venue[] = [];
  const layouts: Layout[] = [];
  const shows: Show[] = [];

  for (const city of CITIES) {
    city.venueNames.forEach((name, v) => {
      const venueId = `ven-${city.id}-${String(v + 1).padStart(2, '0')}`;
      const screenCount = rnd.int(2, 4);
      const screens: Screen[] = [];
      for (let s = 1; s <= screenCount; s++) {
        const layout = makeScreenLayout(rnd, `lay-${venueId}-s${s}-v1`, `${name} Screen ${s}`);
        layouts.push(layout);
        screens.push({
          id: `s${s}`,
          name: `Screen ${s}`,
          layoutId: layout.id,
          seatCount: layout.seatCount,
          formats: SCREEN_FORMATS[(v + s) % SCREEN_FORMATS.length]!,
        });
      }
      venues.push({ id: venueId, city: city.id, name, kind: 'multiplex', address: `${name}, ${city.name}`, screens });
    });
  }
  const stadiumLayout = makeStadiumLayout('lay-ven-mum-arena-a-v1');
  layouts.push(stadiumLayout);
  const stadium: Venue = {
    id: 'ven-mum-arena',
    city: 'mum',
    name: 'Marquee Arena',
    kind: 'stadium',
    address: 'Marquee Arena, Churchgate, Mumbai',
    screens: [
      { id: 'a', name: 'Arena', layoutId: stadiumLayout.id, seatCount: stadiumLayout.seatCount, formats: ['LIVE'] },
    ],
  };
  venues.push(stadium);

  const byCity = new Map(cities.map((c) => [c.id, c]));
  const cityLanguages = new Map(CITIES.map((c) => [c.id, c.languages]));
  for (const venue of venues) {
    if (venue.kind !== 'multiplex') continue;
    const city = byCity.get(venue.city)!;
    const local = movies.filter((m) => m.languages.some((l) => cityLanguages.get(city.id)!.includes(l)));
    for (const screen of venue.screens) {
      const layout = layouts.find((l) => l.id === screen.layoutId)!;
      for (let d = 0; d < days; d++) {
        const date = addDays(options.firstDate, d);
        SLOTS.forEach((minutes, slot) => {
          if (slot === SLOTS.length - 1 && rnd.next() < 0.5) return; // late shows on some screens only
          const movie = rnd.pick(local);
          const formats = movie.formats.filter((f) => screen.formats.includes(f));
          const format = formats.length ? rnd.pick(formats) : '2D';
          const languages = movie.languages.filter((l) => cityLanguages.get(city.id)!.includes(l));
          shows.push(
            makeShow({
              city,
              venue,
              screen,
              layout,
              movie,
              format,
              language: rnd.pick(languages.length ? languages : movie.languages),
              date,
              minutes,
              slot,
            }),
          );
        });
      }
    }
  }
  // The stadium: one event an evening, doors at 19:00 local.
  const mumbai = byCity.get('mum')!;
  for (let d = 0; d < days; d++) {
    const date = addDays(options.firstDate, d);
    const event = events[d % events.length]!;
    shows.push(
      makeShow({
        city: mumbai,
        venue: stadium,
        screen: stadium.screens[0]!,
        layout: stadiumLayout,
        movie: event,
        format: 'LIVE',
        language: event.languages[0]!,
        date,
        minutes: 19 * 60,
        slot: 0,
        nonRefundable: NON_REFUNDABLE_EVENT_TITLES.has(event.title),
      }),
    );
  }

  const all = [...movies, ...events];
  const citiesOf = new Map<string, Set<string>>();
  for (const s of shows) citiesOf.set(s.movieId, (citiesOf.get(s.movieId) ?? new Set()).add(s.city));
  for (const m of all) m.cities = [...(citiesOf.get(m.id) ?? [])].sort();
  return { cities, venues, layouts, movies: all, shows };
}

function makeMovies(rnd: Random): Movie[] {
  return MOVIE_TITLES.map((title, i) => {
    const formats: Format[] = rnd.next() < 0.35 ? ['2D', '3D', 'IMAX'] : rnd.next() < 0.5 ? ['2D', '3D'] : ['2D'];
    return {
      id: `mov-${String(i + 1).padStart(3, '0')}`,
      kind: 'movie',
      title,
      genres: rnd.sample(GENRES, rnd.int(1, 3)).sort(),
      languages: rnd.sample(LANGUAGES, rnd.int(1, 4)),
      formats,
      certificate: rnd.pick(CERTIFICATES),
      durationMinutes: rnd.int(95, 180),
      rating: Math.round((5 + rnd.next() * 4.8) * 10) / 10,
      cast: rnd.sample(CAST, 3),
      poster: `/posters/mov-${String(i + 1).padStart(3, '0')}.jpg`,
      releaseDate: `2026-${String(rnd.int(1, 11)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
      cities: [],
    };
  });
}

function makeEvents(rnd: Random): Movie[] {
  return EVENTS.map(({ title, genre, cast }, i) => {
    // The genre and the bill are the event's own (a cricket match is not a comedy, its cast is its
    // two teams); the two draws that used to pick them are kept so the rest of the demo data —
    // every later draw of the same seed — stays as it was.
    rnd.pick(EVENT_GENRES);
    const languages = [rnd.pick(['English', 'Hindi'])];
    const certificate = rnd.pick(['All ages', '12+', '18+']);
    const durationMinutes = rnd.int(150, 240);
    rnd.sample(CAST, 2);
    return {
      id: `evt-${String(i + 1).padStart(3, '0')}`,
      kind: 'event' as const,
      title,
      genres: [genre],
      languages,
      formats: ['LIVE' as Format],
      certificate,
      durationMinutes,
      cast,
      releaseDate: '2026-01-01',
      cities: [],
    };
  });
}

/** A multiplex screen: Classic rows at the front, Prime behind, sometimes Recliners at the back. */
function makeScreenLayout(rnd: Random, id: string, name: string): Layout {
  for (;;) {
    const width = rnd.int(14, 24);
    const side = rnd.int(3, 5);
    const middle = width - 2 * side;
    const rows: RowSpec[] = [];
    const classicRows = rnd.int(3, 6);
    const primeRows = rnd.int(5, 10);
    const hasRecliner = rnd.next() < 0.7;
    const reclinerRows = hasRecliner ? rnd.int(2, 3) : 0;
    let r = 0;
    for (let i = 0; i < classicRows; i++, r++) {
      // The first rows are narrower (they sit closer to the curved screen), centred by an indent.
      const narrow = i === 0 ? 2 : 0;
      rows.push({
        label: rowLabel(r),
        category: 'classic',
        blocks: [side - narrow, middle, side - narrow],
        indent: narrow,
        wheelchairPairs: i === classicRows - 1 ? 2 : 0,
      });
    }
    for (let i = 0; i < primeRows; i++, r++)
      rows.push({ label: rowLabel(r), category: 'prime', blocks: [side, middle, side] });
    const reclinerWidth = Math.floor(width * 0.6);
    for (let i = 0; i < reclinerRows; i++, r++)
      rows.push({
        label: rowLabel(r),
        category: 'recliner',
        blocks: [Math.floor(reclinerWidth / 2), reclinerWidth - Math.floor(reclinerWidth / 2)],
        indent: Math.floor((width + 2 - reclinerWidth) / 2),
      });
    const categories = hasRecliner
      ? [CATEGORIES.classic!, CATEGORIES.prime!, CATEGORIES.recliner!]
      : [CATEGORIES.classic!, CATEGORIES.prime!];
    const layout = buildScreenLayout({ id, version: 1, name, categories, rows, aisleWidth: 2 });
    if (layout.seatCount >= 150 && layout.seatCount <= 400) return layout;
  }
}

/**
 * Where each of the 24 stands sits on a ring of 15° slots (slot k's middle is 7.5° + 15°·k clockwise
 * from the top): the pavilion across the top of the long side, premium across the bottom, general
 * at the two ends.
 */
const STAND_SLOTS = [21, 22, 23, 0, 1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20];

/** 24 sections of 34 rows × 25 seats = 20,400 seats, ranked by how near the middle of a long side they are. */
function makeStadiumLayout(id: string): Layout {
  const sections = Array.from({ length: 24 }, (_, i) => {
    const category = i < 6 ? 'pavilion' : i < 14 ? 'premium' : 'general';
    const code = `${String.fromCharCode(65 + Math.floor(i / 8))}${(i % 8) + 1}`;
    const angle = 7.5 + 15 * STAND_SLOTS[i]!;
    const offCentre = Math.min(angle, Math.abs(angle - 180), 360 - angle);
    const rank = (offCentre - 7.5) / 15 + 1;
    return {
      id: code,
      name: `Stand ${code}`,
      category,
      rows: 34,
      seatsPerRow: 25,
      wheelchairPairs: 2,
      position: { angle, span: 15 },
      rank,
    };
  });
  return buildStadiumLayout({
    id,
    version: 1,
    name: 'Marquee Arena',
    categories: [CATEGORIES.pavilion!, CATEGORIES.premium!, CATEGORIES.general!],
    sections,
  });
}

interface ShowInput {
  city: City;
  venue: Venue;
  screen: Screen;
  layout: Layout;
  movie: Movie;
  format: Format;
  language: string;
  date: string;
  minutes: number;
  slot: number;
  nonRefundable?: boolean;
}

function makeShow(i: ShowInput): Show {
  const starts = zonedInstant(i.date, i.minutes, i.city.timeZone);
  const prices: Record<string, Money> = {};
  for (const c of i.layout.categories) {
    const major = BASE[i.city.currency]![c.id]! * (1 + SURCHARGE[i.format]);
    prices[c.id] = { minor: Math.round(major) * 100, currency: i.city.currency };
  }
  return {
    id: `shw-${i.city.id}-${i.date.replace(/-/g, '')}-${i.venue.id.split('-').slice(2).join('')}-${i.screen.id}-${i.slot}`,
    city: i.city.id,
    movieId: i.movie.id,
    kind: i.movie.kind,
    title: i.movie.title,
    genres: i.movie.genres,
    language: i.language,
    format: i.format,
    certificate: i.movie.certificate,
    durationMinutes: i.movie.durationMinutes,
    venueId: i.venue.id,
    venueName: i.venue.name,
    screenId: i.screen.id,
    screenName: i.screen.name,
    layoutId: i.layout.id,
    startsAt: new Date(starts).toISOString(),
    endsAt: new Date(starts + i.movie.durationMinutes * 60_000).toISOString(),
    localDate: i.date,
    prices,
    status: 'scheduled',
    // Only the non-refundable ones carry the flag (absent = false), keeping search pages small.
    ...(i.nonRefundable ? { nonRefundable: true } : {}),
  };
}
