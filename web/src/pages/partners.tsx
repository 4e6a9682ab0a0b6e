// Operator screen for partner webhooks (docs/webhooks.md): register an endpoint (its signing secret
// is shown here once and never again), each endpoint's health (last success, failure streak),
// enable/disable, rotate the secret, and the delivery log with retry and replay. Loaded on demand
// (app.tsx): customers never download it.
import { useState } from 'preact/hooks';
import {
  EVENT_TYPES,
  createEndpoint,
  listDeliveries,
  listEndpoints,
  replaySince,
  retryDelivery,
  rotateSecret,
  setEnabled,
  type Delivery,
  type Endpoint,
} from '../api/partners';
import { session } from '../auth';
import { useAsync, useTitle } from '../hooks';
import { useStore } from '../store';
import { ErrorBox, Loading, Notice } from '../components/ui';

const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '—');

export function PartnersPage() {
  useTitle('Partner webhooks');
  const user = useStore(session);
  const endpoints = useAsync((signal) => listEndpoints(signal), []);
  const [secret, setSecret] = useState<{ name: string; value: string }>();
  const [open, setOpen] = useState<string>();
  if (!user?.roles.includes('operator'))
    return (
      <Notice kind="warn">
        This page is for operators. <a href="/signin?next=/ops/partners">Sign in as an operator</a>
      </Notice>
    );
  const shown = (name: string, value: string) => {
    setSecret({ name, value });
    endpoints.reload();
  };
  return (
    <section>
      <h1>Partner webhooks</h1>
      <p>
        <a href="/ops">← Operator</a> · <a href="/api/partners/me/event-types">Event catalogue</a> (partners' API)
      </p>
      {secret && <SecretOnce {...secret} onDone={() => setSecret(undefined)} />}
      <CreateForm onCreated={(e, s) => shown(e.name, s)} />
      <section class="card" aria-labelledby="endpoints-h">
        <h2 id="endpoints-h">Endpoints</h2>
        {endpoints.error && <ErrorBox error={endpoints.error} retry={endpoints.reload} />}
        {!endpoints.data ? (
          <Loading />
        ) : endpoints.data.length === 0 ? (
          <p>No partner endpoints yet.</p>
        ) : (
          <table class="ops-table" data-testid="endpoints">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Status</th>
                <th scope="col">Last success</th>
                <th scope="col">Failures</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.map((e) => (
                <tr key={e.id}>
                  <td>
                    <strong>{e.name}</strong>
                    <br />
                    <code class="small">{e.url}</code>
                    <br />
                    <span class="meta small">
                      {e.events.join(', ')}
                      {e.filter?.city ? ` · city ${e.filter.city}` : ''} · partner {e.partnerId}
                    </span>
                  </td>
                  <td>
                    {e.status}
                    {e.disabledReason && <span class="meta small"> ({e.disabledReason})</span>}
                  </td>
                  <td>{when(e.health.lastSuccessAt)}</td>
                  <td>
                    {e.health.failureStreak > 0 ? (
                      <>
                        {e.health.failureStreak} in a row
                        <br />
                        <span class="meta small">since {when(e.health.failingSince)}</span>
                      </>
                    ) : (
                      'none'
                    )}
                  </td>
                  <td>
                    <EndpointActions
                      endpoint={e}
                      onChanged={endpoints.reload}
                      onSecret={(v) => shown(e.name, v)}
                      onLog={() => setOpen(open === e.id ? undefined : e.id)}
                      logOpen={open === e.id}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {open && endpoints.data?.some((e) => e.id === open) && (
        <DeliveryLog endpoint={endpoints.data.find((e) => e.id === open)!} />
      )}
    </section>
  );
}

function SecretOnce({ name, value, onDone }: { name: string; value: string; onDone: () => void }) {
  return (
    <div class="notice notice-ok" role="alert" data-testid="new-secret">
      <p>
        Signing secret for <strong>{name}</strong>. Give it to the partner now:{' '}
        <strong>it is shown this once and never again.</strong>
      </p>
      <p>
        <code data-testid="secret-value">{value}</code>{' '}
        <button
          type="button"
          class="btn btn-small btn-ghost"
          onClick={() => void navigator.clipboard?.writeText(value)}
        >
          Copy
        </button>
      </p>
      <button type="button" class="btn btn-small" onClick={onDone}>
        I have saved it
      </button>
    </div>
  );
}

function CreateForm({ onCreated }: { onCreated: (e: Endpoint, secret: string) => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const [city, setCity] = useState('');
  const [events, setEvents] = useState<string[]>(['booking.confirmed']);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await createEndpoint({ name, url, partnerId, events, ...(city ? { filter: { city } } : {}) });
      setName('');
      setUrl('');
      onCreated(r.endpoint, r.secret);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="new-h">
      <h2 id="new-h">Register an endpoint</h2>
      <form
        class="partner-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label for="ep-name">Name</label>
        <input id="ep-name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={100} required />
        <label for="ep-url">URL (https)</label>
        <input id="ep-url" type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} required />
        <label for="ep-partner">Partner (the partner account's user id)</label>
        <input id="ep-partner" value={partnerId} onInput={(e) => setPartnerId(e.currentTarget.value)} required />
        <label for="ep-city">Only this city (optional)</label>
        <input id="ep-city" value={city} onInput={(e) => setCity(e.currentTarget.value)} placeholder="blr" />
        <fieldset>
          <legend>Events</legend>
          {EVENT_TYPES.map((t) => (
            <label key={t} class="small">
              <input
                type="checkbox"
                checked={events.includes(t)}
                onChange={(e) => setEvents(e.currentTarget.checked ? [...events, t] : events.filter((x) => x !== t))}
              />{' '}
              {t}
            </label>
          ))}
        </fieldset>
        <button class="btn" type="submit" disabled={busy || events.length === 0}>
          Register
        </button>
      </form>
      {error && <ErrorBox error={error} />}
    </section>
  );
}

function EndpointActions(props: {
  endpoint: Endpoint;
  onChanged: () => void;
  onSecret: (secret: string) => void;
  onLog: () => void;
  logOpen: boolean;
}) {
  const { endpoint: e } = props;
  const [error, setError] = useState<Error>();
  const act = (fn: () => Promise<void>) => () => {
    setError(undefined);
    fn().then(props.onChanged, (err: Error) => setError(err));
  };
  return (
    <div class="row">
      <button type="button" class="btn btn-small btn-ghost" aria-expanded={props.logOpen} onClick={props.onLog}>
        Deliveries
      </button>
      <button
        type="button"
        class="btn btn-small btn-ghost"
        onClick={act(async () => void (await setEnabled(e.id, e.status !== 'enabled')))}
      >
        {e.status === 'enabled' ? 'Disable' : 'Enable'}
      </button>
      <button
        type="button"
        class="btn btn-small btn-ghost"
        onClick={act(async () => props.onSecret((await rotateSecret(e.id)).secret))}
      >
        Rotate secret
      </button>
      {error && <ErrorBox error={error} />}
    </div>
  );
}

const STATUSES = ['', 'delivered', 'retrying', 'failed', 'pending', 'cancelled'];

function DeliveryLog({ endpoint }: { endpoint: Endpoint }) {
  const [status, setStatus] = useState('');
  const log = useAsync((signal) => listDeliveries(endpoint.id, status || undefined, signal), [endpoint.id, status]);
  const [since, setSince] = useState('');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<Error>();
  const run = (fn: () => Promise<string>) => {
    setError(undefined);
    fn().then(
      (m) => {
        setMessage(m);
        log.reload();
      },
      (err: Error) => setError(err),
    );
  };
  return (
    <section class="card" aria-labelledby="log-h">
      <h2 id="log-h">Deliveries to {endpoint.name}</h2>
      <div class="tabs" role="group" aria-label="Which deliveries">
        {STATUSES.map((s) => (
          <button key={s} type="button" class="chip" aria-pressed={s === status} onClick={() => setStatus(s)}>
            {s || 'all'}
          </button>
        ))}
        <button type="button" class="btn btn-small btn-ghost" onClick={log.reload}>
          Refresh
        </button>
      </div>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          run(async () => `${await replaySince(endpoint.id, new Date(since).toISOString())} deliveries sent again.`);
        }}
      >
        <label for="replay-since">Replay everything since</label>
        <input
          id="replay-since"
          type="datetime-local"
          value={since}
          onInput={(e) => setSince(e.currentTarget.value)}
          required
        />
        <button class="btn btn-small" type="submit" disabled={!since}>
          Replay
        </button>
      </form>
      {message && <Notice kind="ok">{message}</Notice>}
      {error && <ErrorBox error={error} />}
      {log.error && <ErrorBox error={log.error} retry={log.reload} />}
      {!log.data ? (
        <Loading />
      ) : log.data.length === 0 ? (
        <p>No deliveries.</p>
      ) : (
        <table class="ops-table" data-testid="deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last attempt</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {log.data.map((d: Delivery) => {
              const last = d.attempts[d.attempts.length - 1];
              return (
                <tr key={d.id}>
                  <td>
                    {d.eventType}
                    <br />
                    <span class="meta small">
                      {d.bookingId} · {when(d.eventTime)}
                    </span>
                  </td>
                  <td>
                    {d.status}
                    {d.nextAttemptAt && <span class="meta small"> (next {when(d.nextAttemptAt)})</span>}
                  </td>
                  <td>{d.attempts.length}</td>
                  <td>
                    {last ? (
                      <>
                        {last.statusCode ?? last.error} · {last.latencyMs} ms
                        <br />
                        <span class="meta small">{when(last.at)}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="btn btn-small btn-ghost"
                      onClick={() =>
                        run(async () => {
                          await retryDelivery(endpoint.id, d.id);
                          return 'Sent again.';
                        })
                      }
                    >
                      Retry
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
