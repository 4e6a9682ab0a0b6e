// Operators' catalog screen (/ops/catalog, loaded lazily): a city's venues, a venue's shows over the
// next week, a form that creates or edits a show (the API's validation errors shown by each field),
// the venue form (web/src/pages/ops-venue-form.tsx: a new venue, or a venue's name, address and
// screens changed), and cancelling a show that has bookings through
// POST /api/ops/shows/{id}/cancel, with the refunds' progress until every holder is dealt with.
import { useEffect, useState } from 'preact/hooks';
import { layout as loadLayout, movies as loadMovies, showsOn, venues as loadVenues } from '../api/catalog';
import {
  cancelProgress,
  cancelShowWithBookings,
  createShow,
  updateShow,
  type CancelProgress,
  type ShowInput,
} from '../api/ops-catalog';
import type { City, Format, Layout, Money, Show, Venue } from '../api/types';
import { session } from '../auth';
import { allCities, cityId } from '../city';
import { addDays, dateLong, localToday, money, time } from '../format';
import { useAsync, useTitle } from '../hooks';
import { useStore } from '../store';
import { ErrorBox, Loading, Notice } from '../components/ui';
import { Field, fieldErrors, FormActions, type FieldErrors } from './ops-fields';
import { VenueForm } from './ops-venue-form';

/** The instant the wall clock in `timeZone` reads `date` `hhmm` (two passes settle DST). */
function zonedIso(date: string, hhmm: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, m - 1, d, h, mi);
  const offset = (at: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      })
        .formatToParts(new Date(at))
        .map((x) => [x.type, Number(x.value)]),
    );
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - Math.floor(at / 60_000) * 60_000;
  };
  let guess = naive - offset(naive);
  guess = naive - offset(guess);
  return new Date(guess).toISOString().replace('.000Z', 'Z');
}

const localHhmm = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    new Date(iso),
  );

export function OpsCatalogPage() {
  useTitle('Catalog');
  const user = useStore(session);
  const remembered = useStore(cityId);
  const [city, setCity] = useState<string>(remembered ?? '');
  const [venueId, setVenueId] = useState('');
  const [editing, setEditing] = useState<Show | 'new'>();
  const [cancelling, setCancelling] = useState<Show>();
  const [venueForm, setVenueForm] = useState<'new' | 'edit'>();
  const [done, setDone] = useState<string>();
  const cities = useAsync(() => allCities(), []);
  const c: City | undefined = cities.data?.find((x) => x.id === city) ?? cities.data?.[0];
  const venues = useAsync(async () => (c ? loadVenues(c.id, true) : []), [c?.id]);
  const venue = venues.data?.find((v) => v.id === venueId) ?? venues.data?.[0];
  const today = c ? localToday(c.timeZone) : '';
  const shows = useAsync(
    async (signal) =>
      c && venue ? showsOn({ city: c.id, date: today, to: addDays(today, 6), venueId: venue.id }, signal, true) : [],
    [c?.id, venue?.id, today],
  );
  if (!user?.roles.includes('operator'))
    return (
      <Notice kind="warn">
        This page is for operators. <a href="/signin?next=/ops/catalog">Sign in as an operator</a>
      </Notice>
    );
  if (cities.error) return <ErrorBox error={cities.error} retry={cities.reload} />;
  if (!c) return <Loading />;
  return (
    <section class="ops-catalog">
      <h1>Catalog</h1>
      <p>
        <a href="/ops">← Operator</a>
      </p>
      <div class="row wrap">
        <label>
          City{' '}
          <select
            value={c.id}
            onChange={(e) => {
              setCity(e.currentTarget.value);
              setVenueId('');
            }}
          >
            {cities.data!.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Venue{' '}
          <select value={venue?.id ?? ''} onChange={(e) => setVenueId(e.currentTarget.value)}>
            {(venues.data ?? []).map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
                {v.status === 'closed' ? ' (closed)' : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="btn btn-ghost btn-small" onClick={() => setVenueForm('new')}>
          New venue…
        </button>
        {venue && (
          <button type="button" class="btn btn-ghost btn-small" onClick={() => setVenueForm('edit')}>
            Edit venue…
          </button>
        )}
      </div>
      {done && <Notice kind="ok">{done}</Notice>}
      {venueForm && (
        <VenueForm
          key={venueForm === 'new' ? 'new' : venue?.id}
          city={c}
          venue={venueForm === 'edit' ? venue : undefined}
          onCancel={() => setVenueForm(undefined)}
          onDone={(v, created) => {
            setVenueForm(undefined);
            setDone(`Venue ${v.name} ${created ? 'created' : 'saved'}.`);
            setVenueId(v.id);
            venues.reload();
          }}
        />
      )}
      {venue && (
        <section class="card" aria-labelledby="shows-h">
          <h2 id="shows-h">
            Shows at {venue.name}, {dateLong(`${today}T12:00:00Z`, 'UTC')} –{' '}
            {dateLong(`${addDays(today, 6)}T12:00:00Z`, 'UTC')}
          </h2>
          <p>
            <button type="button" class="btn" onClick={() => setEditing('new')}>
              New show
            </button>
          </p>
          {editing && (
            <ShowForm
              key={editing === 'new' ? 'new' : editing.id}
              city={c}
              venue={venue}
              show={editing === 'new' ? undefined : editing}
              onCancel={() => setEditing(undefined)}
              onSaved={(s, created) => {
                setEditing(undefined);
                setDone(
                  `${created ? 'Created' : 'Saved'} ${s.title} on ${dateLong(s.startsAt, c.timeZone)} at ${time(s.startsAt, c.timeZone)}.`,
                );
                shows.reload();
              }}
            />
          )}
          {cancelling && (
            <CancelPanel
              show={cancelling}
              timeZone={c.timeZone}
              onClose={() => {
                setCancelling(undefined);
                shows.reload();
              }}
            />
          )}
          {shows.error && <ErrorBox error={shows.error} retry={shows.reload} />}
          {!shows.data ? (
            <Loading />
          ) : shows.data.length === 0 ? (
            <p>No shows in the next seven days.</p>
          ) : (
            <table class="ops-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Title</th>
                  <th scope="col">Screen</th>
                  <th scope="col">Prices</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {shows.data.map((s) => (
                  <tr key={s.id} data-show={s.id}>
                    <td>
                      {dateLong(s.startsAt, c.timeZone)}, {time(s.startsAt, c.timeZone)}
                    </td>
                    <td>
                      {s.title}
                      <br />
                      <span class="meta small">
                        {s.format} · {s.language}
                      </span>
                    </td>
                    <td>{s.screenName}</td>
                    <td>
                      {Object.values(s.prices)
                        .map((p) => money(p))
                        .join(' / ')}
                    </td>
                    <td>
                      <button
                        type="button"
                        class="btn btn-small btn-ghost"
                        aria-label={`Edit ${s.title} at ${time(s.startsAt, c.timeZone)}`}
                        onClick={() => setEditing(s)}
                      >
                        Edit
                      </button>{' '}
                      <button
                        type="button"
                        class="btn btn-small btn-ghost"
                        aria-label={`Cancel show: ${s.title} at ${time(s.startsAt, c.timeZone)}`}
                        onClick={() => setCancelling(s)}
                      >
                        Cancel show
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </section>
  );
}

function ShowForm({
  city,
  venue,
  show,
  onSaved,
  onCancel,
}: {
  city: City;
  venue: Venue;
  show?: Show;
  onSaved: (s: Show, created: boolean) => void;
  onCancel: () => void;
}) {
  const movies = useAsync(() => loadMovies(), []);
  const [movieId, setMovieId] = useState(show?.movieId ?? '');
  const [screenId, setScreenId] = useState(show?.screenId ?? venue.screens[0]?.id ?? '');
  const [date, setDate] = useState(show ? show.localDate : addDays(localToday(city.timeZone), 1));
  const [at, setAt] = useState(show ? localHhmm(show.startsAt, city.timeZone) : '19:00');
  const [language, setLanguage] = useState(show?.language ?? '');
  const [format, setFormat] = useState<Format | ''>(show?.format ?? '');
  const [prices, setPrices] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(show?.prices ?? {}).map(([k, v]) => [k, String(v.minor / 100)])),
  );
  const [nonRefundable, setNonRefundable] = useState(show?.nonRefundable ?? false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const screen = venue.screens.find((s) => s.id === screenId);
  const [layout, setLayout] = useState<Layout>();
  useEffect(() => {
    if (screen) void loadLayout(show?.layoutId ?? screen.layoutId).then(setLayout, () => setLayout(undefined));
  }, [screen?.layoutId, show?.layoutId]);
  const movie = movies.data?.find((m) => m.id === movieId);
  const formats = (screen?.formats ?? []).filter((f) => !movie || movie.formats.includes(f));

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(undefined);
    const priceMap: Record<string, Money> = {};
    for (const c of layout?.categories ?? [])
      priceMap[c.id] = {
        minor: prices[c.id] ? Math.round(Number(prices[c.id]) * 100) : (null as unknown as number),
        currency: city.currency,
      };
    // A blank price goes as null: the API's 400 names it (body.prices.<category>.minor), shown by the prices.
    try {
      const startsAt = zonedIso(date, at, city.timeZone);
      const saved = show
        ? await updateShow(show.id, {
            ...(startsAt !== show.startsAt ? { startsAt } : {}),
            language,
            ...(format ? { format } : {}),
            prices: priceMap,
            nonRefundable,
          })
        : await createShow({
            movieId,
            venueId: venue.id,
            screenId,
            startsAt,
            language,
            format: format as Format,
            prices: priceMap,
            nonRefundable,
          } satisfies ShowInput);
      onSaved(saved, !show);
    } catch (err) {
      const { fields, message } = fieldErrors(err);
      setErrors(fields);
      setMessage(message);
    } finally {
      setBusy(false);
    }
  };
  const invalid = (k: string) => (errors[k] ? { 'aria-invalid': true, 'aria-describedby': `sf-${k}-err` } : {});

  return (
    <form class="card ops-form" onSubmit={(e) => void save(e)} aria-labelledby="sf-h" noValidate>
      <h3 id="sf-h">{show ? `Edit ${show.title}` : 'New show'}</h3>
      {message && (
        <Notice kind="error" live="assertive">
          {message}
        </Notice>
      )}
      <Field id="sf-movieId" label="Title" error={errors.movieId}>
        <select
          id="sf-movieId"
          value={movieId}
          disabled={!!show}
          onChange={(e) => setMovieId(e.currentTarget.value)}
          {...invalid('movieId')}
        >
          <option value="">Choose a movie or event</option>
          {(movies.data ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.title} ({m.kind})
            </option>
          ))}
        </select>
      </Field>
      <Field id="sf-screenId" label="Screen" error={errors.screenId}>
        <select
          id="sf-screenId"
          value={screenId}
          disabled={!!show}
          onChange={(e) => setScreenId(e.currentTarget.value)}
          {...invalid('screenId')}
        >
          {venue.screens.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.seatCount} seats)
            </option>
          ))}
        </select>
      </Field>
      <div class="row wrap">
        <Field id="sf-date" label={`Date (${city.name} time)`} error={errors.startsAt}>
          <input
            id="sf-date"
            type="date"
            value={date}
            onInput={(e) => setDate(e.currentTarget.value)}
            {...invalid('startsAt')}
          />
        </Field>
        <Field id="sf-time" label="Starts at">
          <input id="sf-time" type="time" value={at} onInput={(e) => setAt(e.currentTarget.value)} />
        </Field>
      </div>
      <div class="row wrap">
        <Field id="sf-language" label="Language" error={errors.language}>
          <select
            id="sf-language"
            value={language}
            onChange={(e) => setLanguage(e.currentTarget.value)}
            {...invalid('language')}
          >
            <option value="">Choose</option>
            {[...new Set([...(movie?.languages ?? []), ...(show ? [show.language] : [])])].map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field id="sf-format" label="Format" error={errors.format}>
          <select
            id="sf-format"
            value={format}
            onChange={(e) => setFormat(e.currentTarget.value as Format)}
            {...invalid('format')}
          >
            <option value="">Choose</option>
            {formats.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset class="prices" aria-describedby={errors.prices ? 'sf-prices-err' : undefined}>
        <legend>Prices ({city.currency}, per ticket)</legend>
        {(layout?.categories ?? []).map((cat) => (
          <label key={cat.id}>
            {cat.name}{' '}
            <input
              type="number"
              min="0"
              step="1"
              inputMode="numeric"
              value={prices[cat.id] ?? ''}
              onInput={(e) => setPrices((p) => ({ ...p, [cat.id]: e.currentTarget.value }))}
            />
          </label>
        ))}
        {errors.prices && (
          <p class="field-error" id="sf-prices-err" role="alert">
            {errors.prices}
          </p>
        )}
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={nonRefundable} onChange={(e) => setNonRefundable(e.currentTarget.checked)} />{' '}
        Non-refundable (tickets cannot be cancelled once paid)
      </label>
      <FormActions thing="show" existing={!!show} busy={busy} onClose={onCancel} />
    </form>
  );
}

/** Cancels a show (with its bookings) and follows the refunds until none is left to do. */
function CancelPanel({ show, timeZone, onClose }: { show: Show; timeZone: string; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ fields: FieldErrors; message: string }>();
  const [started, setStarted] = useState(show.status === 'cancelled');
  const [progress, setProgress] = useState<CancelProgress>();
  useEffect(() => {
    if (!started) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const p = await cancelProgress(show.id);
        if (!live) return;
        setProgress(p);
        if (finished(p)) return;
      } catch {
        // A failed poll is retried on the next tick.
      }
      if (live) timer = setTimeout(() => void poll(), 1500);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [started, show.id]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await cancelShowWithBookings(show.id, reason);
      setStarted(true);
    } catch (err) {
      setError(fieldErrors(err));
    }
  };
  const b = progress?.bookings;
  return (
    <section class="card cancel-show" aria-labelledby="cs-h">
      <h3 id="cs-h">
        Cancel {show.title}, {dateLong(show.startsAt, timeZone)} {time(show.startsAt, timeZone)}
      </h3>
      {!started ? (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p>Every booking is refunded in full and every holder is told, with your reason.</p>
          {error && !error.fields.reason && <Notice kind="error">{error.message}</Notice>}
          <Field id="cs-reason" label="Reason (told to every holder)" error={error?.fields.reason}>
            <input id="cs-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </Field>
          <p class="row">
            <button class="btn btn-primary" type="submit">
              Cancel the show and refund everyone
            </button>
            <button class="btn btn-ghost" type="button" onClick={onClose}>
              Keep it
            </button>
          </p>
        </form>
      ) : (
        <div data-testid="cancel-progress" data-finished={progress && finished(progress) ? 'true' : 'false'}>
          {!b ? (
            <Loading label="Cancelling…" />
          ) : (
            <>
              <p role="status">
                {finished(progress!) ? 'Done: ' : 'Refunding: '}
                {b.refunded} of {b.total} {b.total === 1 ? 'booking' : 'bookings'} refunded
                {progress!.refundedAmount ? ` (${money(progress!.refundedAmount)})` : ''}
                {b.nothingOwed ? `, ${b.nothingOwed} owed nothing` : ''}
                {b.failed ? `, ${b.failed} refunds failed (see Bookings that need attention)` : ''}.
              </p>
              <progress max={Math.max(1, b.total)} value={b.total - b.notStarted - b.refunding - b.inFlight} />
            </>
          )}
          <p>
            <button class="btn btn-ghost" type="button" onClick={onClose}>
              Close
            </button>
          </p>
        </div>
      )}
    </section>
  );
}

function finished(p: CancelProgress): boolean {
  const b = p.bookings;
  return p.status === 'cancelled' && b.notStarted === 0 && b.refunding === 0 && b.inFlight === 0;
}
