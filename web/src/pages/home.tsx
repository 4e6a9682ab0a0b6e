// Home: a city (remembered; a signed-in user's page opens on their profile's city), the rails
// "Recommended for you" (signed in) and "Trending in <city>" (everyone), each card with its reason,
// then what plays when you want to go — today, tomorrow, a day of the week, this weekend, the next
// seven days or any date — with Movies and Events (concerts, sports, comedy, plays) apart. Chips
// for genre, language, format and time of day take several values each; the search box finds a
// title, a venue or someone in the cast; results sort by time, price or popularity. Everything
// lives in the URL (comma lists), and the range comes from GET /api/shows?date=&to=&kind=.
import { useEffect, useMemo } from 'preact/hooks';
import { movies as loadMovies, showsOn } from '../api/catalog';
import { personalRail, profileCity, trendingRail } from '../api/recommendations';
import { session } from '../auth';
import { RecommendationRail } from '../components/rail';
import type { City, Movie, Show } from '../api/types';
import { allCities, chooseCity, cityId } from '../city';
import { addDays, dateFormat, dateLong, dayLabel, localToday, money } from '../format';
import { useAsync, useTitle } from '../hooks';
import { setQuery, useLocation } from '../router';
import { useStore } from '../store';
import { Poster } from '../components/poster';
import { Chip, ErrorBox, Loading } from '../components/ui';

const TIMES = [
  { id: 'morning', label: 'Morning', hint: 'before 12' },
  { id: 'afternoon', label: 'Afternoon', hint: '12–5 pm' },
  { id: 'evening', label: 'Evening', hint: '5–9 pm' },
  { id: 'night', label: 'Night', hint: 'after 9 pm' },
] as const;

/** The part of the day a show starts in, in the city's time zone (as the API's `time` filter). */
function partOfDay(iso: string, timeZone: string): string {
  const [h, m] = dateFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })
    .format(new Date(iso))
    .split(':')
    .map(Number) as [number, number];
  const minutes = h * 60 + m;
  return minutes < 720 ? 'morning' : minutes < 1020 ? 'afternoon' : minutes < 1260 ? 'evening' : 'night';
}

const list = (v: string | null) => (v ? v.split(',').filter(Boolean) : []);
const lower = (v: string) => v.toLowerCase();

/** The dates a `when` choice covers: [first, last] (inclusive). */
function rangeOf(when: string, date: string, today: string): { from: string; to: string; words: string } {
  if (when === 'weekend') {
    const dow = new Date(`${today}T12:00:00Z`).getUTCDay(); // 0 = Sunday
    const saturday = dow === 0 ? addDays(today, -1) : addDays(today, 6 - dow);
    const from = saturday < today ? today : saturday;
    return { from, to: addDays(saturday, 1), words: 'this weekend' };
  }
  if (when === 'week') return { from: today, to: addDays(today, 6), words: 'in the next 7 days' };
  const d = date || today;
  return {
    from: d,
    to: d,
    words: d === today ? 'today' : d === addDays(today, 1) ? 'tomorrow' : `on ${dateLong(`${d}T12:00:00Z`, 'UTC')}`,
  };
}

interface Playing {
  movie: Movie;
  shows: Show[];
  languages: string[];
  formats: string[];
}

export function CityPicker({ cities, value }: { cities: City[]; value: string }) {
  return (
    <label class="city-picker">
      <span>City</span>
      <select value={value} onChange={(e) => chooseCity(e.currentTarget.value)}>
        {cities.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DateStrip({ today, value, onChange }: { today: string; value: string; onChange: (d: string) => void }) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(today, i));
  return (
    <div class="date-strip" role="group" aria-label="Date">
      {days.map((d) => {
        const l = dayLabel(d, today);
        return (
          <button key={d} type="button" class="day" aria-pressed={d === value} onClick={() => onChange(d)}>
            {/* The visible text is the name ("Tmrw 4 Dec"): no aria-label to drift from it. */}
            <span class="day-top">{l.top}</span> <span class="day-num">{l.day}</span>{' '}
            <span class="day-month">{l.month}</span>
          </button>
        );
      })}
    </div>
  );
}

/** Opens a signed-in user's home page on their profile's city, once per sign-in and page load. */
let openedFor: string | undefined;
function useProfileCity(sub: string | undefined): void {
  useEffect(() => {
    if (!sub || openedFor === sub) return;
    openedFor = sub;
    profileCity().then(
      (city) => city && cityId.set(city),
      () => undefined, // no profile city: keep the remembered one
    );
  }, [sub]);
}

function Rails({ city, signedIn }: { city: City; signedIn: boolean }) {
  const rails = useAsync(
    async (signal) => {
      const [personal, trending] = await Promise.all([
        signedIn ? personalRail(city.id, signal) : undefined,
        trendingRail(city.id, signal),
      ]);
      return { personal, trending };
    },
    [city.id, signedIn],
  );
  // The rails are extras: the listing below still works when they cannot be had.
  if (!rails.data) return null;
  return (
    <div class="rails">
      {rails.data.personal && (
        <RecommendationRail heading="Recommended for you" rail={rails.data.personal} timeZone={city.timeZone} />
      )}
      <RecommendationRail heading={`Trending in ${city.name}`} rail={rails.data.trending} timeZone={city.timeZone} />
    </div>
  );
}

export function Home() {
  const { query } = useLocation();
  const chosen = useStore(cityId);
  const user = useStore(session);
  useProfileCity(user?.sub);
  const citiesQ = useAsync(() => allCities(), []);
  const cities = citiesQ.data ?? [];
  const city = cities.find((c) => c.id === chosen) ?? cities[0];
  const today = city ? localToday(city.timeZone) : '';
  const when = query.get('when') ?? '';
  const date = query.get('date') ?? today;
  const kind = query.get('kind') === 'event' ? 'event' : 'movie';
  const genres = list(query.get('genre'));
  const languages = list(query.get('language'));
  const formats = list(query.get('format'));
  const times = list(query.get('time'));
  const sort = query.get('sort') ?? 'time';
  const q = query.get('q') ?? '';
  const range = today ? rangeOf(when, date, today) : undefined;
  useTitle(city ? `${kind === 'event' ? 'Events' : 'Movies'} in ${city.name}` : '');

  const data = useAsync(
    async (signal) => {
      if (!city || !range) return undefined;
      const [movies, shows] = await Promise.all([
        loadMovies({ city: city.id }),
        showsOn(
          { city: city.id, date: range.from, ...(range.to !== range.from ? { to: range.to } : {}), kind },
          signal,
        ),
      ]);
      return { movies, shows };
    },
    [city?.id, range?.from, range?.to, kind],
  );

  const playing = useMemo<Playing[]>(() => {
    if (!data.data) return [];
    const byMovie = new Map<string, Show[]>();
    for (const s of data.data.shows)
      if (s.status === 'scheduled') byMovie.set(s.movieId, [...(byMovie.get(s.movieId) ?? []), s]);
    return data.data.movies
      .filter((m) => byMovie.has(m.id))
      .map((movie) => {
        const shows = byMovie.get(movie.id)!;
        return {
          movie,
          shows,
          languages: [...new Set(shows.map((s) => s.language))].sort(),
          formats: [...new Set(shows.map((s) => s.format))].sort(),
        };
      });
  }, [data.data]);

  const facets = useMemo(
    () => ({
      genres: [...new Set(playing.flatMap((p) => p.movie.genres))].sort(),
      languages: [...new Set(playing.flatMap((p) => p.languages))].sort(),
      formats: [...new Set(playing.flatMap((p) => p.formats))].sort(),
    }),
    [playing],
  );

  const shown = useMemo(() => {
    if (!city) return [];
    const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const out: Playing[] = [];
    for (const p of playing) {
      if (genres.length && !p.movie.genres.some((g) => genres.map(lower).includes(lower(g)))) continue;
      // A title is shown with the shows that pass every show-level filter, and only if some do.
      const shows = p.shows.filter((s) => {
        if (languages.length && !languages.map(lower).includes(lower(s.language))) return false;
        if (formats.length && !formats.includes(s.format)) return false;
        if (times.length && !times.includes(partOfDay(s.startsAt, city.timeZone))) return false;
        if (!words.length) return true;
        const text = [p.movie.title, s.venueName, ...p.movie.cast].join('\n').toLowerCase();
        return words.every((w) => text.includes(w));
      });
      if (shows.length) out.push({ ...p, shows });
    }
    const cheapest = (p: Playing) => Math.min(...p.shows.flatMap((s) => Object.values(s.prices).map((m) => m.minor)));
    const first = (p: Playing) => p.shows.reduce((a, s) => (s.startsAt < a ? s.startsAt : a), p.shows[0]!.startsAt);
    return out.sort((a, b) =>
      sort === 'price'
        ? cheapest(a) - cheapest(b)
        : sort === 'popular'
          ? (b.movie.rating ?? 0) - (a.movie.rating ?? 0) || b.shows.length - a.shows.length
          : first(a).localeCompare(first(b)),
    );
  }, [playing, city, q, sort, genres.join(), languages.join(), formats.join(), times.join()]);

  if (citiesQ.error) return <ErrorBox error={citiesQ.error} retry={citiesQ.reload} />;
  if (!city || !range) return <Loading />;
  const toggle = (key: string, value: string) => {
    // The address as it is now, not as last rendered: a second chip clicked before the page has
    // re-rendered must not drop the first.
    const current = list(new URLSearchParams(window.location.search).get(key));
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    setQuery({ [key]: next.join(',') || undefined });
  };
  const filtered = genres.length || languages.length || formats.length || times.length || q;
  const noun = kind === 'event' ? ['event', 'events'] : ['movie', 'movies'];
  const movieLink = (p: Playing) => {
    const day = p.shows[0]!.localDate;
    const lang = languages.length === 1 ? `&language=${encodeURIComponent(languages[0]!)}` : '';
    const fmt = formats.length === 1 ? `&format=${formats[0]}` : '';
    return `/movies/${encodeURIComponent(p.movie.id)}?date=${day}${lang}${fmt}`;
  };

  return (
    <section>
      <div class="home-head">
        <h1>What's on in {city.name}</h1>
        <CityPicker cities={cities} value={city.id} />
      </div>
      <Rails city={city} signedIn={!!user} />
      <div class="kind-tabs" role="group" aria-label="Movies or events">
        <button type="button" class="tab" aria-pressed={kind === 'movie'} onClick={() => setQuery({ kind: undefined })}>
          Movies
        </button>
        <button type="button" class="tab" aria-pressed={kind === 'event'} onClick={() => setQuery({ kind: 'event' })}>
          Events <span class="meta small">concerts, sports, comedy, plays</span>
        </button>
      </div>
      <DateStrip
        today={today}
        value={when ? '' : date}
        onChange={(d) => setQuery({ date: d === today ? undefined : d, when: undefined })}
      />
      <div class="when-more" role="group" aria-label="More dates">
        <Chip
          pressed={when === 'weekend'}
          onClick={() => setQuery({ when: when === 'weekend' ? undefined : 'weekend', date: undefined })}
        >
          This weekend
        </Chip>
        <Chip
          pressed={when === 'week'}
          onClick={() => setQuery({ when: when === 'week' ? undefined : 'week', date: undefined })}
        >
          Next 7 days
        </Chip>
        <label class="pick-date">
          <span>Pick a date</span>
          <input
            type="date"
            min={today}
            value={when ? '' : date}
            onChange={(e) =>
              e.currentTarget.value &&
              setQuery({ date: e.currentTarget.value === today ? undefined : e.currentTarget.value, when: undefined })
            }
          />
        </label>
      </div>
      <form class="search" role="search" onSubmit={(e) => e.preventDefault()}>
        <label for="q" class="visually-hidden">
          Search titles, venues and cast
        </label>
        <input
          id="q"
          type="search"
          placeholder="Search a title, a venue or an actor"
          value={q}
          onInput={(e) => setQuery({ q: e.currentTarget.value || undefined })}
        />
        <label class="sort">
          <span>Sort by</span>
          <select
            value={sort}
            onChange={(e) => setQuery({ sort: e.currentTarget.value === 'time' ? undefined : e.currentTarget.value })}
          >
            <option value="time">Earliest show</option>
            <option value="price">Lowest price</option>
            <option value="popular">Popularity</option>
          </select>
        </label>
      </form>
      <div class="filters">
        <FacetRow label="Genre" values={facets.genres} current={genres} onToggle={(v) => toggle('genre', v)} />
        <FacetRow
          label="Language"
          values={facets.languages}
          current={languages}
          onToggle={(v) => toggle('language', v)}
        />
        <FacetRow label="Format" values={facets.formats} current={formats} onToggle={(v) => toggle('format', v)} />
        <FacetRow
          label="Time of day"
          values={TIMES.map((t) => t.id)}
          names={Object.fromEntries(TIMES.map((t) => [t.id, `${t.label} (${t.hint})`]))}
          current={times}
          onToggle={(v) => toggle('time', v)}
        />
      </div>
      {data.error && <ErrorBox error={data.error} retry={data.reload} />}
      {data.loading && !data.data ? (
        <Loading label="Finding shows…" />
      ) : (
        <>
          <p class="count" role="status">
            {shown.length} {shown.length === 1 ? noun[0] : noun[1]} {range.words}
          </p>
          <ul class="movie-grid">
            {shown.map((p) => {
              const { movie, shows } = p;
              const from = Math.min(...shows.flatMap((s) => Object.values(s.prices).map((m) => m.minor)));
              const currency = Object.values(shows[0]!.prices)[0]?.currency;
              const venues = [...new Set(shows.map((s) => s.venueName))];
              return (
                <li key={movie.id} class="movie-card">
                  <a href={movieLink(p)} class="movie-link">
                    <Poster movie={movie} />
                    <span class="movie-title">{movie.title}</span>
                  </a>
                  <p class="meta">
                    {movie.certificate} · {movie.genres.join(', ')}
                  </p>
                  <p class="meta">
                    {kind === 'event' ? venues.join(', ') : [...new Set(shows.map((s) => s.language))].join(', ')}
                  </p>
                  <p class="tags">
                    {[...new Set(shows.map((s) => s.format))].map((f) => (
                      <span key={f} class="tag">
                        {f}
                      </span>
                    ))}
                    {movie.rating !== undefined && (
                      <span class="rating" aria-label={`Rated ${movie.rating} out of 10`}>
                        ★ {movie.rating.toFixed(1)}
                      </span>
                    )}
                    <span class="meta small">
                      {shows.length} {shows.length === 1 ? 'show' : 'shows'}
                      {currency && Number.isFinite(from) ? ` · from ${money({ minor: from, currency })}` : ''}
                    </span>
                  </p>
                </li>
              );
            })}
          </ul>
          {!shown.length && (
            <p>
              Nothing matches.{' '}
              {filtered && (
                <button
                  type="button"
                  class="btn btn-small"
                  onClick={() =>
                    setQuery({
                      genre: undefined,
                      language: undefined,
                      format: undefined,
                      time: undefined,
                      q: undefined,
                    })
                  }
                >
                  Clear filters
                </button>
              )}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function FacetRow({
  label,
  values,
  names,
  current,
  onToggle,
}: {
  label: string;
  values: string[];
  names?: Record<string, string>;
  current: string[];
  onToggle: (v: string) => void;
}) {
  if (!values.length) return null;
  return (
    <div class="facet" role="group" aria-label={label}>
      <span class="facet-label" aria-hidden="true">
        {label}
      </span>
      {values.map((v) => (
        <Chip key={v} pressed={current.some((c) => lower(c) === lower(v))} onClick={() => onToggle(v)}>
          {names?.[v] ?? v}
        </Chip>
      ))}
    </div>
  );
}
