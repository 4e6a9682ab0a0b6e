// A movie or event: details, then the chosen day's shows grouped by venue, each with its format,
// language, price range and how full it is (from the show's availability string).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { availability, movie as loadMovie, showsOn } from '../api/catalog';
import type { Show } from '../api/types';
import { allCities, cityId } from '../city';
import { duration, localToday, money, time } from '../format';
import { useAsync, useTitle } from '../hooks';
import { setQuery, useLocation } from '../router';
import { useStore } from '../store';
import { Poster } from '../components/poster';
import { ErrorBox, Loading } from '../components/ui';
import { isNotFound, NotFound } from '../components/not-found';
import { DateStrip } from './home';

/** Share of seats taken (held, booked or blocked), 0..1. */
async function fullness(showIds: string[], signal: AbortSignal, onOne: (id: string, f: number) => void): Promise<void> {
  const queue = [...showIds];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      if (signal.aborted) return;
      try {
        const a = await availability(id, signal);
        let taken = 0;
        for (let i = 0; i < a.seats.length; i++) if (a.seats.charCodeAt(i) !== 48) taken++;
        onOne(id, a.seats.length ? taken / a.seats.length : 0);
      } catch {
        // Fullness is a hint; a show whose map failed to load just shows none.
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

export function FillMeter({ value }: { value: number | undefined }) {
  if (value === undefined) return <span class="fill fill-unknown" aria-hidden="true" />;
  const pct = Math.round(value * 100);
  const level = value >= 0.9 ? 'almost full' : value >= 0.6 ? 'filling fast' : 'available';
  return (
    <span class={`fill fill-${value >= 0.9 ? 'high' : value >= 0.6 ? 'mid' : 'low'}`} title={`${pct}% sold`}>
      <span class="fill-bar" style={{ width: `${Math.max(4, pct)}%` }} aria-hidden="true" />
      <span class="fill-text">{level}</span>
    </span>
  );
}

export function MoviePage({ id }: { id: string }) {
  const { query } = useLocation();
  const chosenCity = useStore(cityId);
  const citiesQ = useAsync(() => allCities(), []);
  const city = citiesQ.data?.find((c) => c.id === chosenCity) ?? citiesQ.data?.[0];
  const today = city ? localToday(city.timeZone) : '';
  const date = query.get('date') ?? today;
  const language = query.get('language') ?? '';
  const format = query.get('format') ?? '';
  const m = useAsync(() => loadMovie(id), [id]);
  const showsQ = useAsync(
    async (signal) => (city && date ? showsOn({ city: city.id, date, movieId: id }, signal) : undefined),
    [city?.id, date, id],
  );
  const [fill, setFill] = useState<Record<string, number>>({});
  useTitle(m.data?.title ?? '');

  const shows = (showsQ.data ?? []).filter(
    (s) => s.status === 'scheduled' && (!language || s.language === language) && (!format || s.format === format),
  );
  useEffect(() => {
    const ctl = new AbortController();
    void fullness(
      shows.map((s) => s.id),
      ctl.signal,
      (sid, f) => setFill((prev) => ({ ...prev, [sid]: f })),
    );
    return () => ctl.abort();
  }, [shows.map((s) => s.id).join()]);

  const venues = useMemo(() => {
    const map = new Map<string, Show[]>();
    for (const s of shows) map.set(s.venueId, [...(map.get(s.venueId) ?? []), s]);
    return [...map.values()].sort((a, b) => a[0]!.venueName.localeCompare(b[0]!.venueName));
  }, [shows]);
  const allLanguages = [...new Set((showsQ.data ?? []).map((s) => s.language))].sort();
  const allFormats = [...new Set((showsQ.data ?? []).map((s) => s.format))].sort();

  if (m.error) return isNotFound(m.error) ? <NotFound what="Title" /> : <ErrorBox error={m.error} retry={m.reload} />;
  if (!m.data || !city) return <Loading />;
  const movie = m.data;
  const now = Date.now();
  return (
    <article>
      <div class="movie-hero">
        <Poster movie={movie} size="lg" />
        <div>
          <h1>{movie.title}</h1>
          <p class="tags">
            {movie.formats.map((f) => (
              <span key={f} class="tag">
                {f}
              </span>
            ))}
            <span class="tag tag-outline">{movie.certificate}</span>
          </p>
          <p>
            {duration(movie.durationMinutes)} · {movie.genres.join(', ')} · {movie.languages.join(', ')}
          </p>
          {movie.rating !== undefined && <p class="rating">★ {movie.rating.toFixed(1)}/10</p>}
          {movie.cast.length > 0 && <p class="meta">With {movie.cast.join(', ')}</p>}
        </div>
      </div>
      <h2>Shows in {city.name}</h2>
      <DateStrip today={today} value={date} onChange={(d) => setQuery({ date: d })} />
      <div class="filters">
        {allLanguages.length > 1 && (
          <label>
            Language{' '}
            <select value={language} onChange={(e) => setQuery({ language: e.currentTarget.value || undefined })}>
              <option value="">All</option>
              {allLanguages.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
        )}
        {allFormats.length > 1 && (
          <label>
            Format{' '}
            <select value={format} onChange={(e) => setQuery({ format: e.currentTarget.value || undefined })}>
              <option value="">All</option>
              {allFormats.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {showsQ.error && <ErrorBox error={showsQ.error} retry={showsQ.reload} />}
      {showsQ.loading && !showsQ.data ? (
        <Loading label="Finding shows…" />
      ) : venues.length === 0 ? (
        <p>No shows on this day{language || format ? ' with these filters' : ''}. Try another date.</p>
      ) : (
        <ul class="venues">
          {venues.map((list) => (
            <li key={list[0]!.venueId} class="venue">
              <h3>{list[0]!.venueName}</h3>
              <ul class="showtimes">
                {list.map((s) => {
                  const prices = Object.values(s.prices).map((p) => p.minor);
                  const currency = Object.values(s.prices)[0]?.currency ?? city.currency;
                  const started = Date.parse(s.startsAt) <= now;
                  const range = prices.length
                    ? `${money({ minor: Math.min(...prices), currency })}–${money({ minor: Math.max(...prices), currency })}`
                    : '';
                  return (
                    <li key={s.id}>
                      {started ? (
                        <span class="showtime showtime-past" aria-disabled="true">
                          <strong>{time(s.startsAt, city.timeZone)}</strong>
                          <span>Started</span>
                        </span>
                      ) : (
                        <a class="showtime" href={`/shows/${encodeURIComponent(s.id)}`}>
                          {/* Named by what it shows (label in name): time, format, language, screen, prices, fullness. */}
                          <strong>{time(s.startsAt, city.timeZone)}</strong>
                          <span>
                            {s.format} · {s.language}
                          </span>
                          <span class="meta small">
                            {s.screenName} · {range}
                          </span>
                          <FillMeter value={fill[s.id]} />
                        </a>
                      )}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
