// Home: a city (remembered; a signed-in user's page opens on their profile's city), the rails
// "Recommended for you" (signed in) and "Trending in <city>" (everyone), each card with its reason,
// then the next seven days and what plays there that day — posters with genres, languages and
// formats — narrowed by chips and a title search. Filters live in the URL.
import { useEffect, useMemo } from 'preact/hooks';
import { movies as loadMovies, showsOn } from '../api/catalog';
import { personalRail, profileCity, trendingRail } from '../api/recommendations';
import { session } from '../auth';
import { RecommendationRail } from '../components/rail';
import type { City, Movie, Show } from '../api/types';
import { allCities, chooseCity, cityId } from '../city';
import { addDays, dateLong, dayLabel, localToday } from '../format';
import { useAsync, useTitle } from '../hooks';
import { setQuery, useLocation } from '../router';
import { useStore } from '../store';
import { Poster } from '../components/poster';
import { Chip, ErrorBox, Loading } from '../components/ui';

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
          <button
            key={d}
            type="button"
            class="day"
            aria-pressed={d === value}
            onClick={() => onChange(d)}
            aria-label={`${l.top}, ${l.day} ${l.month}`}
          >
            <span class="day-top">{l.top}</span>
            <span class="day-num">{l.day}</span>
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
  const date = query.get('date') ?? today;
  const genre = query.get('genre') ?? '';
  const language = query.get('language') ?? '';
  const format = query.get('format') ?? '';
  const q = query.get('q') ?? '';
  useTitle(city ? `Movies and events in ${city.name}` : '');

  const data = useAsync(
    async (signal) => {
      if (!city || !date) return undefined;
      const [movies, shows] = await Promise.all([
        loadMovies({ city: city.id }),
        showsOn({ city: city.id, date }, signal),
      ]);
      return { movies, shows };
    },
    [city?.id, date],
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

  const shown = playing.filter(
    (p) =>
      (!genre || p.movie.genres.includes(genre)) &&
      (!language || p.languages.includes(language)) &&
      (!format || p.formats.includes(format)) &&
      (!q || p.movie.title.toLowerCase().includes(q.trim().toLowerCase())),
  );

  if (citiesQ.error) return <ErrorBox error={citiesQ.error} retry={citiesQ.reload} />;
  if (!city) return <Loading />;
  const toggle = (key: string, value: string, current: string) =>
    setQuery({ [key]: current === value ? undefined : value });
  const movieLink = (id: string) =>
    `/movies/${encodeURIComponent(id)}?date=${date}${language ? `&language=${encodeURIComponent(language)}` : ''}${format ? `&format=${format}` : ''}`;

  return (
    <section>
      <div class="home-head">
        <h1>What's on in {city.name}</h1>
        <CityPicker cities={cities} value={city.id} />
      </div>
      <Rails city={city} signedIn={!!user} />
      <DateStrip today={today} value={date} onChange={(d) => setQuery({ date: d === today ? undefined : d })} />
      <form class="search" role="search" onSubmit={(e) => e.preventDefault()}>
        <label for="q" class="visually-hidden">
          Search titles
        </label>
        <input
          id="q"
          type="search"
          placeholder="Search movies and events"
          value={q}
          onInput={(e) => setQuery({ q: e.currentTarget.value || undefined })}
        />
      </form>
      <div class="filters">
        <FacetRow label="Genre" values={facets.genres} current={genre} onToggle={(v) => toggle('genre', v, genre)} />
        <FacetRow
          label="Language"
          values={facets.languages}
          current={language}
          onToggle={(v) => toggle('language', v, language)}
        />
        <FacetRow
          label="Format"
          values={facets.formats}
          current={format}
          onToggle={(v) => toggle('format', v, format)}
        />
      </div>
      {data.error && <ErrorBox error={data.error} retry={data.reload} />}
      {data.loading && !data.data ? (
        <Loading label="Finding shows…" />
      ) : (
        <>
          <p class="count" role="status">
            {shown.length} {shown.length === 1 ? 'title' : 'titles'} on{' '}
            {dayLabel(date, today).top === 'Today' ? 'today' : dateLong(`${date}T12:00:00Z`, 'UTC')}
          </p>
          <ul class="movie-grid">
            {shown.map(({ movie, shows, languages, formats }) => (
              <li key={movie.id} class="movie-card">
                <a href={movieLink(movie.id)} class="movie-link">
                  <Poster movie={movie} />
                  <span class="movie-title">{movie.title}</span>
                </a>
                <p class="meta">
                  {movie.certificate} · {movie.genres.join(', ')}
                </p>
                <p class="meta">{languages.join(', ')}</p>
                <p class="tags">
                  {formats.map((f) => (
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
                  </span>
                </p>
              </li>
            ))}
          </ul>
          {!shown.length && (
            <p>
              Nothing matches.{' '}
              {(genre || language || format || q) && (
                <button
                  type="button"
                  class="btn btn-small"
                  onClick={() => setQuery({ genre: undefined, language: undefined, format: undefined, q: undefined })}
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
  current,
  onToggle,
}: {
  label: string;
  values: string[];
  current: string;
  onToggle: (v: string) => void;
}) {
  if (!values.length) return null;
  return (
    <div class="facet" role="group" aria-label={label}>
      <span class="facet-label" aria-hidden="true">
        {label}
      </span>
      {values.map((v) => (
        <Chip key={v} pressed={current === v} onClick={() => onToggle(v)}>
          {v}
        </Chip>
      ))}
    </div>
  );
}
