// Operator tools: the saga console, a door scanner that verifies a ticket code, and the bookings
// that need a human (stuck in a moving state past their deadline, or whose refund failed).
import { useState } from 'preact/hooks';
import { opsBookings, verifyTicket, type Admission, type Booking } from '../api/bookings';
import { API_ORIGIN, ApiError } from '../api/client';
import { useLocation } from '../router';
import { session } from '../auth';
import { dateLong, money, time } from '../format';
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

function Scanner() {
  const { query } = useLocation();
  const [showId, setShowId] = useState(() => query.get('showId') ?? sessionStorage.getItem('marquee.scan.show') ?? '');
  const [code, setCode] = useState('');
  const [result, setResult] = useState<{ ok: true; a: Admission } | { ok: false; code: string; detail: string }>();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setResult(undefined);
    sessionStorage.setItem('marquee.scan.show', showId.trim());
    try {
      setResult({ ok: true, a: await verifyTicket(showId.trim(), code.trim()) });
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
        <label for="scan-show">Show being admitted</label>
        <input
          id="scan-show"
          value={showId}
          onInput={(e) => setShowId(e.currentTarget.value)}
          placeholder="shw-…"
          autocomplete="off"
          spellcheck={false}
          required
        />
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
                <td>{b.seatIds.join(', ')}</td>
                <td>{money(b.charged ?? b.price.total)}</td>
                <td>{new Date(b.updatedAt).toLocaleString()}</td>
                <td>
                  <a href={`${CONSOLE}#${encodeURIComponent(b.bookingId)}`} target="_blank" rel="noopener">
                    Open
                  </a>
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

/** When a ticket was scanned, in the venue's time zone (the scanner may sit elsewhere). */
function UsedAt({ showId, at }: { showId: string; at: string }) {
  const zone = useShowZone(showId);
  return <time dateTime={at}>{time(at, zone)}</time>;
}
