// Operator tools: the saga console, a door scanner (a show picked from the city's shows of today and
// tomorrow, the code typed, pasted or read by the camera where BarcodeDetector exists), and the bookings
// that need a human (stuck in a moving state past their deadline, or whose refund failed).
import { useEffect, useRef, useState } from 'preact/hooks';
import { opsBookings, retryRefund, verifyTicket, type Admission, type Booking } from '../api/bookings';
import { show as loadShow, showsOn } from '../api/catalog';
import { allCities, chooseCity, cityId } from '../city';
import { API_ORIGIN, ApiError } from '../api/client';
import { useLocation } from '../router';
import { session } from '../auth';
import { addDays, dateLong, localToday, money, time } from '../format';
import { useAsync, useShowZone, useTitle } from '../hooks';
import { useStore } from '../store';
import { ErrorBox, Loading, Notice } from '../components/ui';
import { useSeatLabels } from '../seats/labels';

const CONSOLE = `${API_ORIGIN}/_console/durable`;

export function OpsPage() {
  useTitle('Operator');
  const user = useStore(session);
  if (!user?.roles.includes('operator'))
    return (
      <Notice kind="warn">
        This page is for operators. <a href="/signin?next=/ops">Sign in as an operator</a>
      </Notice>
    );
  return (
    <section>
      <h1>Operator</h1>
      <p>
        <a class="btn" href={CONSOLE} target="_blank" rel="noopener">
          Open the saga console
        </a>{' '}
        <span class="meta small">(Durable orchestrations: status, history, raise events, terminate)</span>{' '}
        <a class="btn btn-ghost" href="/ops/partners">
          Partner webhooks
        </a>{' '}
        <a class="btn btn-ghost" href="/ops/catalog">
          Catalog: venues and shows
        </a>
      </p>
      <Scanner />
      <Attention />
    </section>
  );
}

/** Today's and tomorrow's shows in a city, plus the one a link named, for the scanner's picker. */
function ShowPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const chosenCity = useStore(cityId);
  const cities = useAsync(() => allCities(), []);
  const city = cities.data?.find((c) => c.id === chosenCity) ?? cities.data?.[0];
  const shows = useAsync(async () => {
    if (!city) return [];
    const today = localToday(city.timeZone);
    return showsOn({ city: city.id, date: today, to: addDays(today, 1) });
  }, [city?.id]);
  // A show from a link (?showId=) that is not in the list is still offered, by its title.
  const linked = useAsync(
    async () =>
      value && !shows.data?.some((s) => s.id === value) ? loadShow(value).catch(() => undefined) : undefined,
    [value, shows.data],
  );
  const options = [...(linked.data ? [linked.data] : []), ...(shows.data ?? [])];
  return (
    <>
      <label for="scan-city">City</label>
      <select id="scan-city" value={city?.id ?? ''} onChange={(e) => chooseCity(e.currentTarget.value)}>
        {(cities.data ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <label for="scan-show">Show being admitted</label>
      <select id="scan-show" value={value} onChange={(e) => onChange(e.currentTarget.value)} required>
        <option value="">Choose the show at this door</option>
        {options.map((s) => (
          <option key={s.id} value={s.id}>
            {dateLong(s.startsAt, city?.timeZone)} {time(s.startsAt, city?.timeZone)} · {s.title} · {s.venueName},{' '}
            {s.screenName}
          </option>
        ))}
      </select>
    </>
  );
}

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (options: { formats: string[] }) => Detector;

/** Scans a QR code with the camera where the browser has BarcodeDetector; null elsewhere (type or paste). */
function CameraScan({ onCode }: { onCode: (code: string) => void }) {
  const Detector = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  const video = useRef<HTMLVideoElement>(null);
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!on || !Detector) return;
    let stream: MediaStream | undefined;
    let live = true;
    const detector = new Detector({ formats: ['qr_code'] });
    const tick = async () => {
      if (!live || !video.current) return;
      const codes = await detector.detect(video.current).catch(() => []);
      if (codes[0]?.rawValue) {
        setOn(false);
        onCode(codes[0].rawValue);
      } else if (live) requestAnimationFrame(() => void tick());
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (s) => {
        stream = s;
        if (!live || !video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        void tick();
      })
      .catch((e: Error) => {
        setError(`The camera is not available (${e.message}). Type or paste the code.`);
        setOn(false);
      });
    return () => {
      live = false;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [on]);
  if (!Detector) return null;
  return (
    <div class="camera">
      <button type="button" class="btn btn-ghost" onClick={() => setOn((x) => !x)}>
        {on ? 'Stop the camera' : 'Scan with the camera'}
      </button>
      {on && <video ref={video} class="camera-view" muted playsInline aria-label="Camera: hold the QR code up" />}
      {error && <p class="field-error">{error}</p>}
    </div>
  );
}

function Scanner() {
  const { query } = useLocation();
  const [showId, setShowId] = useState(() => query.get('showId') ?? sessionStorage.getItem('marquee.scan.show') ?? '');
  const [code, setCode] = useState('');
  const [result, setResult] = useState<{ ok: true; a: Admission } | { ok: false; code: string; detail: string }>();
  const [busy, setBusy] = useState(false);
  const verify = async (ticket = code) => {
    setBusy(true);
    setResult(undefined);
    sessionStorage.setItem('marquee.scan.show', showId.trim());
    try {
      setResult({ ok: true, a: await verifyTicket(showId.trim(), ticket.trim()) });
      setCode('');
    } catch (err) {
      const e = err as Error;
      setResult({ ok: false, code: err instanceof ApiError ? err.code : 'ERROR', detail: e.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="scan-h">
      <h2 id="scan-h">Door scanner</h2>
      <form
        class="scan-form"
        onSubmit={(e) => {
          e.preventDefault();
          void verify();
        }}
      >
        <ShowPicker value={showId} onChange={setShowId} />
        <label for="ticket-code">Ticket code (scan the QR or type it)</label>
        <div class="row">
          <input
            id="ticket-code"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
            autocomplete="off"
            spellcheck={false}
            required
          />
          <button class="btn" type="submit" disabled={busy || !code.trim() || !showId.trim()}>
            Verify
          </button>
        </div>
        {showId && (
          <CameraScan
            onCode={(c) => {
              setCode(c);
              void verify(c);
            }}
          />
        )}
      </form>
      {result && (
        <div class={`scan-result ${result.ok ? 'scan-ok' : 'scan-bad'}`} role="alert" data-testid="scan-result">
          {result.ok ? (
            <>
              <AdmitDetails a={result.a} />
            </>
          ) : (
            <>
              <p class="scan-verdict">✗ {result.code === 'TICKET_ALREADY_USED' ? 'Already used' : 'Do not admit'}</p>
              <p>{result.detail}</p>
            </>
          )}
        </div>
      )}
    </section>
  );
}

const VIEWS: { status: string; label: string }[] = [
  { status: 'stuck', label: 'Stuck (past their deadline)' },
  { status: 'refund_failed', label: 'Refund failed' },
];

function Attention() {
  const [status, setStatus] = useState(VIEWS[0]!.status);
  const q = useAsync(() => opsBookings(status), [status]);
  return (
    <section class="card" aria-labelledby="attn-h">
      <h2 id="attn-h">Bookings that need attention</h2>
      <div class="tabs" role="group" aria-label="Which bookings">
        {VIEWS.map((v) => (
          <button
            key={v.status}
            type="button"
            class="chip"
            aria-pressed={v.status === status}
            onClick={() => setStatus(v.status)}
          >
            {v.label}
          </button>
        ))}
        <button type="button" class="btn btn-small btn-ghost" onClick={q.reload}>
          Refresh
        </button>
      </div>
      {q.error && <ErrorBox error={q.error} retry={q.reload} />}
      {!q.data ? (
        <Loading />
      ) : q.data.length === 0 ? (
        <p>None right now.</p>
      ) : (
        <table class="ops-table">
          <thead>
            <tr>
              <th scope="col">Booking</th>
              <th scope="col">Status</th>
              <th scope="col">Show</th>
              <th scope="col">Seats</th>
              <th scope="col">Amount</th>
              <th scope="col">Updated</th>
              <th scope="col">Saga</th>
            </tr>
          </thead>
          <tbody>
            {q.data.map((b: Booking) => (
              <tr key={b.bookingId}>
                <td>
                  <code>{b.bookingId}</code>
                  <br />
                  <span class="meta small">{b.userId}</span>
                </td>
                <td>
                  {b.status}
                  {b.failure && (
                    <>
                      <br />
                      <span class="meta small">{b.failure.code}</span>
                    </>
                  )}
                </td>
                <td>
                  {b.show.title}
                  <br />
                  <span class="meta small">
                    {dateLong(b.show.startsAt)} {time(b.show.startsAt)}
                  </span>
                </td>
                <td>
                  <SeatNames showId={b.showId} ids={b.seatIds} />
                </td>
                <td>{money(b.charged ?? b.price.total)}</td>
                <td>
                  <UsedAt showId={b.showId} at={b.updatedAt} withDate />
                </td>
                <td>
                  <a href={`${CONSOLE}#${encodeURIComponent(b.bookingId)}`} target="_blank" rel="noopener">
                    Open
                  </a>
                  {b.status === 'refund_failed' && <RetryRefund id={b.bookingId} onDone={q.reload} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The admitted seat and its category as the map names them, the booking, and when it was scanned. */
function AdmitDetails({ a }: { a: Admission }) {
  const labels = useSeatLabels(a.showId);
  return (
    <>
      <p class="scan-verdict">✓ Admit: seat {labels.seat(a.seatId)}</p>
      <dl>
        <div>
          <dt>Category</dt>
          <dd>{labels.category(a.category)}</dd>
        </div>
        <div>
          <dt>Booking</dt>
          <dd>
            <code>{a.bookingId}</code>
          </dd>
        </div>
        <div>
          <dt>Checked in</dt>
          <dd>
            <UsedAt showId={a.showId} at={a.usedAt} />
          </dd>
        </div>
      </dl>
    </>
  );
}

/** A time in the venue's time zone (the operator may sit elsewhere). */
function UsedAt({ showId, at, withDate }: { showId: string; at: string; withDate?: boolean }) {
  const zone = useShowZone(showId);
  return (
    <time dateTime={at}>
      {withDate ? `${dateLong(at, zone)}, ` : ''}
      {time(at, zone)}
    </time>
  );
}

function SeatNames({ showId, ids }: { showId: string; ids: string[] }) {
  const labels = useSeatLabels(showId);
  return <>{ids.map(labels.seat).join(', ')}</>;
}

/** Tries a failed refund again (POST /api/ops/bookings/{id}/retry-refund) and says how it went. */
function RetryRefund({ id, onDone }: { id: string; onDone: () => void }) {
  const [state, setState] = useState<'idle' | 'busy' | 'done' | string>('idle');
  const retry = async () => {
    setState('busy');
    try {
      const r = await retryRefund(id);
      setState(r.booking.status === 'refund_failed' ? 'Still failing' : 'done');
      onDone();
    } catch (err) {
      setState((err as Error).message);
    }
  };
  return (
    <>
      <br />
      <button type="button" class="btn btn-small" disabled={state === 'busy'} onClick={() => void retry()}>
        Retry refund
      </button>
      {state !== 'idle' && state !== 'busy' && (
        <span class="meta small" role="status">
          {' '}
          {state === 'done' ? 'Refund sent again' : state}
        </span>
      )}
    </>
  );
}
