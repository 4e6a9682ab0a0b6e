// Delivers booking events to partner endpoints per the Standard Webhooks spec (docs/webhooks.md;
// docs/architecture.md, Partner webhooks). For each event from the `partner-webhooks` subscription:
// re-derive the event from the committed booking (a message is never trusted as it stands), pick the
// endpoints whose types and filter match, and for each one create the delivery document whose id —
// one per (event, endpoint) — is the `webhook-id`. Creating it is the de-duplication: a copy of the
// event that Service Bus delivers again finds it and sends nothing.
//
// The first attempt is made at once, here, in the endpoint's own lane (shared/partners/endpoint-lanes.ts):
// a few sends in flight per endpoint, a short bounded wait for a slot, and a circuit that stops
// sending to an endpoint after failures in a row. A send the lane does not make (the endpoint is
// slow or its circuit is open) is logged as not sent and handed to the durable retry at once, so a
// partner that hangs holds its own few slots and never the Service Bus messages of the others.
// Retries run in a Durable orchestration (orchestrations/partner-webhooks.ts) that waits on timers —
// nothing sleeps in memory — and go through the same lanes; the retries one endpoint's failures ask
// for within a short window share one orchestration (shared/partners/retry-batches.ts), so a
// failing endpoint costs the host about what a healthy one does.
import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { CloudEvent } from '../booking/events.js';
import { wants } from '../domain/partner-webhooks/event-filter.js';
import { retryDelayMs } from '../domain/partner-webhooks/retry-schedule.js';
import { healthAfter, successIsNews, type AttemptResult } from '../domain/partner-webhooks/endpoint-health.js';
import { notFound, UserError } from '../errors.js';
import { EndpointLanes, type LaneLimits, type NotSentReason } from './endpoint-lanes.js';
import { RetryBatches, type RetryBatchLimits, type RetryTicket } from './retry-batches.js';
import { partnerPayload, type PartnerEventType } from './payloads.js';
import type { Stored } from '../ports/documents.js';
import type { Attempt, Delivery, PartnerEndpoint } from './model.js';
import type {
  DeliveryLog,
  EndpointStore,
  EventVerifier,
  RetryBatchInput,
  RetryInput,
  RetryStarter,
  SendResult,
  ShowLookup,
  SigningSecrets,
  WebhookSender,
} from './ports.js';
import { webhookAttempt } from '../telemetry/booking-signals.js';
import { telemetry } from '../telemetry/port.js';

export interface WebhookDispatcherDeps {
  endpoints: EndpointStore;
  deliveries: DeliveryLog;
  secrets: SigningSecrets;
  sender: WebhookSender;
  verify: EventVerifier;
  show: ShowLookup;
  clock: () => number;
  /** Pauses between attempts (shared/domain/partner-webhooks/retry-schedule.ts). */
  schedule: number[];
  /** Each endpoint's lane: sends in flight, the wait for a slot, the circuit. */
  lanes: LaneLimits;
  /** How failed first attempts to one endpoint are grouped into one durable retry. */
  retryBatches: RetryBatchLimits;
  /** An endpoint failing this long without a success is disabled. */
  disableAfterMs: number;
  /** How long a dispatcher's claim on a delivery stands before a copy of the event may take it over. */
  claimMs: number;
  /** Told when an endpoint is disabled for failing (the operators' notification); not awaited. */
  onDisabled?: (endpoint: PartnerEndpoint, reason: 'gone' | 'failing') => void;
  /** Told when a first attempt failed for a reason of ours (a store, the secrets), for the log. */
  onError?: (delivery: Delivery, err: unknown) => void;
}

export type DispatchOutcome = { status: 'ignored'; reason: string } | { status: 'dispatched'; endpoints: number };

interface HealthState {
  /** The endpoint's health as last read or written by this process. */
  known: PartnerEndpoint['health'];
  pending: { result: AttemptResult; at: number }[];
  flushing?: Promise<void>;
}

/** What an attempt leaves to do: nothing more, or another attempt later. */
export type AttemptOutcome = 'delivered' | 'retry' | 'stop';

const ENDPOINT_LIST_TTL_MS = 2000;
const RESPONSE_KEPT = 1024;
const ATTEMPTS_KEPT = 50;
/** One replay resends at most this many deliveries; a longer outage is replayed in steps. */
const MAX_REPLAY = 2000;

/** The `webhook-id` of an event's delivery to an endpoint: the same on every attempt and every copy. */
export const deliveryIdOf = (eventId: string, endpointId: string) =>
  `msg_${createHash('sha256').update(`${eventId}\n${endpointId}`).digest('hex').slice(0, 32)}`;

export class WebhookDispatcher {
  private listed: { at: number; endpoints: Promise<PartnerEndpoint[]> } | undefined;
  private readonly lanes: EndpointLanes<SendResult>;
  private readonly batches: RetryBatches;
  private readonly health = new Map<string, HealthState>();
  private readonly retryGates = new Map<string, { running: number; waiting: (() => void)[] }>();
  /** Secret values by name: a name's value never changes (rotation makes a new name). */
  private readonly secretValues = new Map<string, Promise<string>>();

  constructor(private readonly deps: WebhookDispatcherDeps) {
    this.lanes = new EndpointLanes<SendResult>(deps.lanes, (r) => !r.ok, deps.clock);
    this.batches = new RetryBatches(deps.retryBatches);
  }

  /** Drops the cached endpoint list (an operator changed one). */
  endpointsChanged(): void {
    this.listed = undefined;
  }

  async dispatch(event: CloudEvent, retries: RetryStarter): Promise<DispatchOutcome> {
    const committed = await this.deps.verify(event);
    if (!committed || committed.id !== event.id) return { status: 'ignored', reason: 'not in the committed state' };
    if (!isPartnerEvent(committed)) return { status: 'ignored', reason: 'not a partner event' };
    const showId = String((committed.data as { showId?: unknown }).showId ?? '');
    const [endpoints, show] = await Promise.all([this.enabledEndpoints(), this.deps.show(showId)]);
    const targets = endpoints.filter((e) => wants(e, committed.type, { showId, ...show }));
    if (targets.length === 0) return { status: 'dispatched', endpoints: 0 };
    const body = partnerPayload(committed);
    await Promise.all(targets.map((e) => this.deliver(e, committed, showId, body, retries)));
    return { status: 'dispatched', endpoints: targets.length };
  }

  /** The durable retry's attempt: reads the endpoint and the delivery afresh, then tries once. */
  async retryAttempt(input: RetryInput): Promise<AttemptOutcome> {
    const [endpoint, delivery] = await Promise.all([
      this.deps.endpoints.get(input.endpointId),
      this.deps.deliveries.get(input.endpointId, input.deliveryId),
    ]);
    if (!delivery || delivery.run !== input.run || !['pending', 'retrying'].includes(delivery.status)) return 'stop';
    if (!endpoint || endpoint.status !== 'enabled') {
      await this.deps.deliveries.mutate(input.endpointId, input.deliveryId, (d) =>
        d.run === input.run ? { ...d, status: 'cancelled', updatedAt: this.now() } : undefined,
      );
      return 'stop';
    }
    return this.attempt(endpoint, delivery, input.attempt, input.schedule);
  }

  /**
   * A batch's attempt (orchestrations/partner-webhooks.ts): the endpoint read once, then each run
   * still pending tried once in the endpoint's lane. All the batches of one endpoint that are due
   * together share as many workers as the lane has slots: they never overflow the lane's queue, and
   * a failing endpoint's backlog coming due at once reaches the database a few calls at a time.
   * Answers the runs to retry again.
   */
  async retryBatch(input: RetryBatchInput): Promise<RetryBatchInput['deliveries']> {
    const endpoint = await this.deps.endpoints.get(input.endpointId);
    const again: RetryBatchInput['deliveries'] = [];
    const one = async (m: RetryBatchInput['deliveries'][number]) => {
      const known = await this.deps.deliveries.read(input.endpointId, m.deliveryId);
      const delivery = known?.doc;
      if (!delivery || delivery.run !== m.run || !['pending', 'retrying'].includes(delivery.status)) return;
      if (!endpoint || endpoint.status !== 'enabled') {
        await this.deps.deliveries.mutate(input.endpointId, m.deliveryId, (d) =>
          d.run === m.run ? { ...d, status: 'cancelled', updatedAt: this.now() } : undefined,
        );
        return;
      }
      const outcome = await this.attempt(endpoint, delivery, input.attempt, input.schedule, {
        known,
        jitterKey: () => input.batchId,
      });
      if (outcome === 'retry') again.push(m);
    };
    const gate = this.retryGate(input.endpointId);
    await Promise.all(input.deliveries.map((m) => gate(() => one(m))));
    return again;
  }

  /** An operator's retry of one delivery: a new run (attempt 1 again, the same webhook-id). */
  async retry(endpointId: string, deliveryId: string, retries: RetryStarter): Promise<Delivery> {
    await this.enabledEndpoint(endpointId);
    const delivery = await this.deps.deliveries.get(endpointId, deliveryId);
    if (!delivery) throw notFound(`Delivery ${deliveryId}`);
    return this.rerun(delivery, retries);
  }

  /** Resends everything delivered or not since `since` (recovery after a partner outage), oldest first. */
  async replay(endpointId: string, since: string, retries: RetryStarter): Promise<number> {
    await this.enabledEndpoint(endpointId);
    const all: Delivery[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.deliveries.list(endpointId, { since, limit: 200, cursor });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor && all.length < MAX_REPLAY);
    for (const delivery of all.reverse()) await this.rerun(delivery, retries);
    return all.length;
  }

  private async enabledEndpoint(endpointId: string): Promise<PartnerEndpoint> {
    const endpoint = await this.deps.endpoints.get(endpointId);
    if (!endpoint) throw notFound(`Partner endpoint ${endpointId}`);
    if (endpoint.status !== 'enabled')
      throw new UserError('ENDPOINT_DISABLED', { detail: `Endpoint ${endpointId} is disabled; enable it first.` });
    return endpoint;
  }

  private async rerun(delivery: Delivery, retries: RetryStarter): Promise<Delivery> {
    // The operator says the partner is back: this process's circuit for it starts closed again.
    this.lanes.reset(delivery.endpointId);
    const now = this.now();
    const next = await this.deps.deliveries.mutate(delivery.endpointId, delivery.id, (d) => ({
      ...d,
      run: d.run + 1,
      status: 'pending',
      claimedAt: now,
      updatedAt: now,
    }));
    if (!next) return delivery;
    await retries.start({
      endpointId: next.endpointId,
      deliveryId: next.id,
      run: next.run,
      attempt: 1,
      schedule: this.deps.schedule,
    });
    return next;
  }

  private async deliver(
    endpoint: PartnerEndpoint,
    event: CloudEvent & { type: PartnerEventType },
    showId: string,
    body: string,
    retries: RetryStarter,
  ): Promise<void> {
    const now = this.now();
    const delivery: Delivery = {
      id: deliveryIdOf(event.id, endpoint.id),
      endpointId: endpoint.id,
      partnerId: endpoint.partnerId,
      eventId: event.id,
      eventType: event.type,
      eventTime: event.time,
      bookingId: String((event.data as { bookingId?: unknown }).bookingId ?? ''),
      showId,
      body,
      status: 'pending',
      run: 1,
      attempts: [],
      claimedAt: now,
      createdAt: now,
      updatedAt: now,
    };
    const created = await this.deps.deliveries.createOnce(delivery);
    let current = delivery;
    // The version just written: recording the first attempt then needs no read (one Cosmos call less per delivery).
    const known: Stored<Delivery> | undefined = created.created ? created.stored : undefined;
    if (!created.created) {
      // A copy of the event. Leave the delivery to whoever has it, unless that dispatcher vanished
      // (its claim is old and it recorded nothing): then this copy takes it over.
      const old = created.existing.doc;
      const abandoned =
        old.status === 'pending' &&
        old.attempts.length === 0 &&
        Date.parse(old.claimedAt) < this.deps.clock() - this.deps.claimMs;
      if (!abandoned) return;
      const claimed = await this.deps.deliveries.mutate(old.endpointId, old.id, (d) =>
        d.claimedAt === old.claimedAt ? { ...d, claimedAt: now, updatedAt: now } : undefined,
      );
      if (!claimed || claimed.claimedAt !== now) return;
      current = claimed;
    }
    const startRetry = (attempt: number) =>
      retries.start({
        endpointId: endpoint.id,
        deliveryId: current.id,
        run: current.run,
        attempt,
        schedule: this.deps.schedule,
      });
    let outcome: AttemptOutcome;
    // A failed attempt joins the endpoint's open retry batch before it is recorded: the log's next
    // attempt time is then the batch's (its jitter is the batch's).
    let ticket: RetryTicket | undefined;
    const jitterKey = () => {
      ticket = this.batches.join(
        endpoint.id,
        2,
        this.deps.schedule,
        { deliveryId: current.id, run: current.run },
        retries,
      );
      return ticket.key;
    };
    try {
      outcome = await this.attempt(endpoint, current, 1, this.deps.schedule, { known, jitterKey });
    } catch (err) {
      // The attempt could not be signed or recorded (a store, the secret store): the durable retry
      // takes the delivery over (a send that did happen is sent again with the same webhook-id, which
      // receivers de-duplicate). Only if that cannot start either does the message go back to Service Bus.
      this.deps.onError?.(current, err);
      return startRetry(1);
    }
    if (outcome === 'retry' && ticket) await ticket.started;
  }

  /**
   * One attempt in the endpoint's lane: sign, POST, record it in the log and (when it was sent) the
   * endpoint's health. An attempt the lane did not make is logged as not sent and counts as a
   * failed one: the schedule's next pause follows.
   */
  private async attempt(
    endpoint: PartnerEndpoint,
    delivery: Delivery,
    n: number,
    schedule: readonly number[],
    opts: {
      /** The version just written, sparing a read. */
      known?: Stored<Delivery>;
      /** Called only when another attempt follows: what its pause's jitter derives from (a batch's key). */
      jitterKey?: () => string;
    } = {},
  ): Promise<AttemptOutcome> {
    const values = await this.signingValues(endpoint);
    let sentAt = this.deps.clock();
    const lane = await this.lanes.run(endpoint.id, () => {
      sentAt = this.deps.clock();
      return telemetry().span(
        'webhook POST',
        { 'partner.endpoint_id': endpoint.id, 'partner.event_type': delivery.eventType, 'webhook.attempt': n },
        () => this.deps.sender.post(endpoint.url, this.headers(values, delivery, sentAt), delivery.body),
        'webhook',
      );
    });
    const result: SendResult = lane.sent ? lane.value : notSent(lane.reason);
    const gone = result.statusCode === 410;
    const more = !result.ok && !gone && schedule[n - 1] !== undefined;
    const nextPause = more ? retryDelayMs(schedule, n + 1, opts.jitterKey?.() ?? delivery.id) : undefined;
    const outcome: AttemptOutcome = result.ok ? 'delivered' : nextPause === undefined ? 'stop' : 'retry';
    webhookAttempt(
      result.ok ? 'delivered' : gone ? 'gone' : outcome === 'retry' ? 'retry' : 'failed',
      delivery.eventType,
      endpoint.id,
    );
    const at = new Date(sentAt).toISOString();
    const attempt = attemptRecord(delivery.run, n, at, result);
    await this.deps.deliveries.mutate(
      delivery.endpointId,
      delivery.id,
      (d) => {
        if (d.run !== delivery.run) return undefined; // an operator started another run meanwhile
        return {
          ...d,
          attempts: [...d.attempts, attempt].slice(-ATTEMPTS_KEPT),
          status: result.ok ? 'delivered' : outcome === 'retry' ? 'retrying' : 'failed',
          ...(nextPause === undefined
            ? { nextAttemptAt: undefined }
            : { nextAttemptAt: new Date(sentAt + nextPause).toISOString() }),
          updatedAt: this.now(),
        };
      },
      opts.known,
    );
    // Only a send says something about the endpoint's health.
    if (lane.sent) await this.recordHealth(endpoint, result, sentAt);
    return outcome;
  }

  /** The values of the secrets that sign now: the newest, and a rotated one during its overlap. */
  private signingValues(endpoint: PartnerEndpoint): Promise<string[]> {
    const now = this.deps.clock();
    const live = endpoint.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now);
    return Promise.all(live.map((s) => this.secretValue(s.name)));
  }

  private headers(values: string[], delivery: Delivery, sentAt: number) {
    const timestamp = new Date(sentAt);
    // Several signatures, space-separated, while a rotation overlaps: receivers accept any that verifies.
    const signature = values.map((v) => new Webhook(v).sign(delivery.id, timestamp, delivery.body)).join(' ');
    return {
      'content-type': 'application/json',
      'user-agent': 'Marquee-Webhooks/1.0',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(sentAt / 1000)),
      'webhook-signature': signature,
    };
  }

  /**
   * Health after an attempt (shared/domain/partner-webhooks/endpoint-health.ts); may disable the
   * endpoint. Every delivery to an endpoint would otherwise write its one document, so writes are
   * coalesced per endpoint: one in flight, the results that arrive meanwhile applied together by the
   * next, and a success that changes nothing (no streak, a recent last success) not written at all.
   */
  private recordHealth(endpoint: PartnerEndpoint, result: SendResult, at: number): Promise<void> {
    let h = this.health.get(endpoint.id);
    if (!h) this.health.set(endpoint.id, (h = { known: endpoint.health, pending: [] }));
    if (result.ok && !successIsNews(h.known, at)) return Promise.resolve();
    h.pending.push({ result: { ok: result.ok, statusCode: result.statusCode }, at });
    const state = h;
    state.flushing ??= this.flushHealth(endpoint.id, state).finally(() => (state.flushing = undefined));
    return state.flushing;
  }

  private async flushHealth(endpointId: string, state: HealthState): Promise<void> {
    while (state.pending.length > 0) {
      const batch = state.pending.splice(0);
      let disabled: 'gone' | 'failing' | undefined;
      const updated = await this.deps.endpoints.mutate(endpointId, (e) => {
        disabled = undefined;
        let health = e.health;
        for (const { result, at } of batch) {
          const verdict = healthAfter(health, result, at, this.deps.disableAfterMs);
          health = verdict.health;
          if (e.status === 'enabled') disabled ??= verdict.disable;
        }
        const next: PartnerEndpoint = { ...e, health };
        if (disabled) {
          const at = new Date(batch[batch.length - 1]!.at).toISOString();
          Object.assign(next, { status: 'disabled', disabledReason: disabled, disabledAt: at });
        }
        return next;
      });
      if (!updated) return;
      state.known = updated.health;
      if (disabled) {
        this.endpointsChanged();
        this.deps.onDisabled?.(updated, disabled);
      }
    }
  }

  /** Per endpoint, a gate letting `lanes.concurrency` batch attempts run at once (retryBatch). */
  private retryGate(endpointId: string): <T>(task: () => Promise<T>) => Promise<T> {
    let gate = this.retryGates.get(endpointId);
    if (!gate) this.retryGates.set(endpointId, (gate = { running: 0, waiting: [] }));
    const g = gate;
    return async (task) => {
      if (g.running >= this.deps.lanes.concurrency) await new Promise<void>((r) => g.waiting.push(r));
      else g.running++;
      try {
        return await task();
      } finally {
        const next = g.waiting.shift();
        if (next) next();
        else g.running--;
      }
    };
  }

  private enabledEndpoints(): Promise<PartnerEndpoint[]> {
    const now = this.deps.clock();
    if (!this.listed || now - this.listed.at > ENDPOINT_LIST_TTL_MS) {
      const endpoints = this.deps.endpoints.list().then((all) => all.filter((e) => e.status === 'enabled'));
      this.listed = { at: now, endpoints };
      endpoints.catch(() => (this.listed = undefined));
    }
    return this.listed.endpoints;
  }

  private secretValue(name: string): Promise<string> {
    let value = this.secretValues.get(name);
    if (!value) {
      value = this.deps.secrets.get(name);
      this.secretValues.set(name, value);
      value.catch(() => this.secretValues.delete(name));
    }
    return value;
  }

  private now(): string {
    return new Date(this.deps.clock()).toISOString();
  }
}

/** What the log says of an attempt the endpoint's lane did not make. */
function notSent(reason: NotSentReason): SendResult {
  const why =
    reason === 'circuit-open'
      ? 'not sent: the endpoint failed too often in a row (circuit open); retried later'
      : 'not sent: the endpoint is slow (its sends in flight took every slot); retried later';
  return { ok: false, latencyMs: 0, error: why };
}

function attemptRecord(run: number, n: number, at: string, result: SendResult): Attempt {
  if (result.statusCode === undefined)
    return { run, n, at, ok: false, latencyMs: result.latencyMs, error: 'error' in result ? result.error : undefined };
  return {
    run,
    n,
    at,
    ok: result.ok,
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    ...('response' in result && result.response ? { response: result.response.slice(0, RESPONSE_KEPT) } : {}),
  };
}

const isPartnerEvent = (e: CloudEvent): e is CloudEvent & { type: PartnerEventType } => e.type !== 'payment.rejected';
