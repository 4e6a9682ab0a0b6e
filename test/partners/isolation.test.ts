// Partner webhook isolation end to end through the local host (docs/webhooks.md, Isolation): a partner
// that never answers opens its circuit, and from then on its deliveries are parked — logged as not
// sent, with no request and no Durable retry running for them — while more events than the host's
// concurrent Service Bus calls all reach a healthy partner. Once the partner is back (an operator's
// retry closes its circuit) the parked sweep hands the parked deliveries to their retries and each
// arrives once, with its webhook-id. Its own host: the circuit stays open (600 s) and the retry window
// is long, so nothing here depends on how fast the machine is.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { TestHost } from '../support/local-host.js';
import { api, bookAndPay, createShow, signIn, startBookingHost, type Caller } from '../booking/helpers.js';
import { createCosmos } from '../../shared/adapters/cosmos/client.js';
import { CosmosBookingStore } from '../../shared/adapters/cosmos/booking-store.js';
import { buildEvent } from '../../shared/booking/events.js';
import { startHangingReceiver, startReceiver, until, type HangingReceiver, type Receiver } from './receiver.js';

// Failures in a row that open an endpoint's circuit (its sends in flight are as many).
const SLOTS = 2;
// More events at once than the host's concurrent Service Bus calls (host.json maxConcurrentCalls 16).
const EVENTS = 20;
const DATABASE = `isolation${randomBytes(4).toString('hex')}`;

interface LoggedDelivery {
  id: string;
  bookingId: string;
  status: string;
  parked?: boolean;
  attempts: { run: number; n: number; ok: boolean; statusCode?: number; error?: string }[];
}

describe('partner webhook isolation', () => {
  let host: TestHost;
  let operator: Caller;
  let hanging: HangingReceiver;
  let healthy: Receiver;
  let hangingId: string;
  let original: { userId: string; bookingId: string };

  beforeAll(async () => {
    host = await startBookingHost({
      PARTNER_WEBHOOK_ALLOW_LOOPBACK: 'true',
      // A window far longer than the test: a parked delivery is never failed for running out of it.
      PARTNER_WEBHOOK_RETRY_SCHEDULE: '1s,10m,10m',
      PARTNER_WEBHOOK_TIMEOUT_MS: '3000',
      PARTNER_WEBHOOK_ENDPOINT_CONCURRENCY: String(SLOTS),
      PARTNER_WEBHOOK_CIRCUIT_FAILURES: String(SLOTS),
      PARTNER_WEBHOOK_CIRCUIT_OPEN_SECONDS: '600',
      // The healthy partner's sends queue for a slot however busy the machine, rather than park.
      PARTNER_WEBHOOK_QUEUE_WAIT_MS: '30000',
      COSMOS_DATABASE: DATABASE,
    });
    operator = await signIn(host, 'ops-isolation', ['operator']);
    const customer = await signIn(host, 'isolation-customer');
    const { showId } = await createShow(host, operator, 48);
    const booking = await bookAndPay(host, customer, showId, ['A1']);
    original = { userId: customer.userId, bookingId: booking.bookingId };
    hanging = await startHangingReceiver();
    healthy = await startReceiver();
    hangingId = await register(hanging.url, 'hanging');
    await register(healthy.url, 'healthy');
  });
  afterAll(async () => {
    await Promise.all([hanging?.close(), healthy?.close()].map((p) => p?.catch(() => {})));
    await host?.stop();
  });

  const register = async (url: string, name: string) => {
    const r = await api(host, operator, 'POST', '/api/ops/partners', {
      name,
      url,
      partnerId: 'isolation-partner',
      events: ['booking.confirmed'],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.endpoint.id as string;
  };
  const idOf = (body: string) => (JSON.parse(body) as { data: { bookingId: string } }).data.bookingId;
  const logOf = async (ids: Set<string>) =>
    (
      (await api(host, operator, 'GET', `/api/ops/partners/${hangingId}/deliveries?limit=200`)).body
        .items as LoggedDelivery[]
    ).filter((d) => ids.has(d.bookingId));

  it("parks an open-circuit endpoint's deliveries (no request, no retry running) while every other delivery arrives, and delivers them once it is back", async () => {
    // The partner hangs: its first events take its slots until the timeout, and its circuit opens.
    const opening = await committedEvents(SLOTS, 'open');
    await publish(opening);
    // (A retry of the first may make one more request if the second was sent over a second later.)
    await until(
      'its requests timed out',
      () => hanging.requests.length >= SLOTS && hanging.requests.every((r) => r.closedAt),
      30_000,
    );
    // Logged after its lane counted them: from here the circuit is open.
    await until('their timeouts logged', async () => {
      const log = await logOf(new Set(opening.map((e) => e.data.bookingId)));
      return log.length === SLOTS && log.every((d) => d.attempts.length > 0);
    });

    const events = await committedEvents(EVENTS, 'park');
    const ids = new Set(events.map((e) => e.data.bookingId));
    await publish(events);
    await until(
      'the healthy endpoint has every event',
      () => [...ids].every((id) => healthy.received.some((r) => idOf(r.body) === id)),
      30_000,
    );
    await until('every delivery to the hanging endpoint logged', async () => {
      const log = await logOf(ids);
      return log.length === EVENTS && log.every((d) => d.attempts.length > 0);
    });
    // Past the first retry's pause (1 s) and a few parked sweeps (every 5 s): nothing ran for them.
    await new Promise((r) => setTimeout(r, 6000));
    const parked = await logOf(ids);
    expect(parked).toHaveLength(EVENTS);
    for (const d of parked) {
      expect(d, JSON.stringify(d)).toMatchObject({ status: 'retrying', parked: true });
      expect(d.attempts).toHaveLength(1);
      expect(d.attempts[0]).toMatchObject({ run: 1, n: 1, ok: false });
      expect(d.attempts[0]!.error).toMatch(/circuit open/);
      // No durable retry for it (shared/partners/retry-contracts.ts: one instance per delivery run).
      const res = await fetch(host.url(`/runtime/webhooks/durabletask/instances/${d.id}:1`), { headers: host.admin });
      expect(res.status).toBe(404);
    }
    expect(hanging.requests.filter((r) => ids.has(idOf(r.body)))).toHaveLength(0);

    // The partner is back; an operator retries one delivery, which closes the endpoint's circuit, and
    // the parked sweep hands every other one to its retry: each sent once more, same webhook-id.
    hanging.recover();
    const one = parked[0]!;
    const retried = await api(host, operator, 'POST', `/api/ops/partners/${hangingId}/deliveries/${one.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    await until(
      'every parked delivery delivered',
      async () => (await logOf(ids)).every((d) => d.status === 'delivered'),
      30_000,
    );
    for (const d of await logOf(ids)) {
      const sent = hanging.requests.filter((r) => r.answered && r.headers['webhook-id'] === d.id);
      expect(sent).toHaveLength(1);
      expect(idOf(sent[0]!.body)).toBe(d.bookingId);
      expect(d.parked).toBeUndefined();
      if (d.id !== one.id)
        expect(d.attempts.map((a) => [a.run, a.n, a.ok, a.statusCode])).toEqual([
          [1, 1, false, undefined],
          [1, 2, true, 204],
        ]);
    }
  });

  /** Confirmed bookings committed as copies of the one booked in beforeAll, and their booking.confirmed events. */
  async function committedEvents(n: number, tag: string) {
    const cosmos = createCosmos({
      endpoint: inject('cosmosEndpoint'),
      key: inject('cosmosKey'),
      database: DATABASE,
      timeoutMs: 10_000,
    });
    const store = new CosmosBookingStore(cosmos);
    const booked = (await store.get(original.userId, original.bookingId))!;
    const fields = Object.fromEntries(Object.entries(booked).filter(([k]) => !k.startsWith('_'))) as typeof booked;
    const out = [];
    for (let i = 0; i < n; i++) {
      const id = `${original.bookingId}-${tag}${i}`;
      const doc = { ...fields, id, sortKey: fields.sortKey.replace(original.bookingId, id) };
      await store.create(doc);
      out.push(buildEvent(doc, { type: 'booking.confirmed', bookingId: id, userId: doc.userId })!);
    }
    return out as (typeof out)[number] extends infer E ? (E & { data: { bookingId: string } })[] : never;
  }

  async function publish(events: { id: string }[]) {
    const r = await fetch(host.url('/.local/servicebus/topics/booking-events/messages'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...host.admin },
      body: JSON.stringify(events.map((e) => ({ body: e, messageId: e.id }))),
    });
    expect(r.status).toBe(201);
  }
});
