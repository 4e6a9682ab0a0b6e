// Partner webhooks end to end through the local host (docs/webhooks.md): operators register
// endpoints over the API, a real booking is confirmed, and real receivers on 127.0.0.1 get Standard
// Webhooks deliveries that verify with the `standardwebhooks` package and the secret shown once.
// Retries run on Durable timers with a shortened schedule (PARTNER_WEBHOOK_RETRY_SCHEDULE).
// Isolation: a receiver that never answers holds its own lane's slots (shared/partners/endpoint-lanes.ts)
// while the others' deliveries arrive, and once its circuit is open its deliveries are scheduled, not sent.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { TestHost } from '../support/local-host.js';
import { api, bookAndPay, createShow, eventsOf, signIn, startBookingHost, type Caller } from '../booking/helpers.js';
import { inbox, waitForOutbox } from '../notifications/helpers.js';
import { createCosmos } from '../../shared/adapters/cosmos/client.js';
import { CosmosBookingStore } from '../../shared/adapters/cosmos/booking-store.js';
import { buildEvent } from '../../shared/booking/events.js';
import { startHangingReceiver, startReceiver, until, type HangingReceiver, type Receiver } from './receiver.js';

const SCHEDULE = '400ms,800ms,800ms';
const OVERLAP_SECONDS = 3;
// Sends in flight per endpoint, and failures in a row that open its circuit (kept open for the test).
const SLOTS = 3;
// Named here so the test can commit bookings into the host's database directly.
const DATABASE = `partners${randomBytes(4).toString('hex')}`;
const OPERATOR_EMAIL = 'ops-partners@example.com';
const ONCALL_EMAIL = 'oncall-partners@example.com';

describe('partner webhooks', () => {
  let host: TestHost;
  let operator: Caller;
  let partner: Caller;
  let customer: Caller;
  let showId: string;
  let bookingId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let event: Record<string, any>;
  const receivers: (Receiver | HangingReceiver)[] = [];

  const register = async (receiver: { url: string }, extra: Record<string, unknown> = {}) => {
    const r = await api(host, operator, 'POST', '/api/ops/partners', {
      name: `partner ${receivers.length}`,
      url: receiver.url,
      partnerId: partner.userId,
      events: ['booking.confirmed'],
      ...extra,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { id: r.body.endpoint.id as string, secret: r.body.secret as string };
  };
  const receiver = async (script?: number[]) => {
    const r = await startReceiver(script);
    receivers.push(r);
    return r;
  };
  const publishAgain = () =>
    fetch(host.url('/.local/servicebus/topics/booking-events/messages'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...host.admin },
      body: JSON.stringify({ body: event, messageId: event.id }),
    }).then((r) => expect(r.status).toBe(201));
  const deliveries = async (endpointId: string) =>
    (await api(host, operator, 'GET', `/api/ops/partners/${endpointId}/deliveries`)).body.items as Record<
      string,
      any // eslint-disable-line @typescript-eslint/no-explicit-any
    >[];
  const settle = () => new Promise((r) => setTimeout(r, 1000));

  beforeAll(async () => {
    host = await startBookingHost({
      PARTNER_WEBHOOK_ALLOW_LOOPBACK: 'true',
      PARTNER_WEBHOOK_RETRY_SCHEDULE: SCHEDULE,
      PARTNER_WEBHOOK_SECRET_OVERLAP_SECONDS: String(OVERLAP_SECONDS),
      // Long enough that a hanging receiver's requests are surely still open while the others' arrive.
      PARTNER_WEBHOOK_TIMEOUT_MS: '10000',
      PARTNER_WEBHOOK_ENDPOINT_CONCURRENCY: String(SLOTS),
      PARTNER_WEBHOOK_CIRCUIT_FAILURES: String(SLOTS),
      PARTNER_WEBHOOK_CIRCUIT_OPEN_SECONDS: '600',
      PARTNER_WEBHOOK_QUEUE_WAIT_MS: '300',
      PARTNER_WEBHOOK_OPS_EMAIL: ONCALL_EMAIL,
      COSMOS_DATABASE: DATABASE,
    });
    operator = await signIn(host, 'ops-partners', ['operator']);
    const profile = await api(host, operator, 'PUT', '/api/me/profile', {
      name: 'Partner desk',
      email: OPERATOR_EMAIL,
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    partner = await signIn(host, 'partner-acme', ['partner']);
    customer = await signIn(host, 'partner-test-customer');
    showId = (await createShow(host, operator, 48)).showId;
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close().catch(() => {})));
    await host?.stop();
  });

  it('delivers a confirmed booking once, signed with the secret shown on creation; a filtered-out city gets nothing', async () => {
    const inCity = await receiver();
    const elsewhere = await receiver();
    const a = await register(inCity, { filter: { city: 'blr' } });
    await register(elsewhere, { filter: { city: 'mum' } });
    expect(a.secret).toMatch(/^whsec_/);

    const seats = ['A1', 'A2'];
    const booking = await bookAndPay(host, customer, showId, seats);
    bookingId = booking.bookingId;
    await until('one delivery', () => inCity.received.length === 1);
    const [got] = inCity.received;
    const payload = new Webhook(a.secret).verify(got!.body, got!.headers) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(payload).toMatchObject({
      type: 'booking.confirmed',
      data: { bookingId, showId, status: 'confirmed', seatIds: seats },
    });
    expect(got!.body).not.toContain(customer.userId);
    expect(got!.headers['webhook-id']).toMatch(/^msg_/);

    event = (await eventsOf(host, bookingId)).find((e) => e.body.type === 'booking.confirmed')!.body;
    // The same event twice more from Service Bus: still one delivery per endpoint.
    await publishAgain();
    await publishAgain();
    await settle();
    expect(inCity.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);

    const log = await deliveries(a.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'delivered', eventType: 'booking.confirmed', bookingId });
    expect(log[0]!.attempts).toMatchObject([{ run: 1, n: 1, ok: true, statusCode: 200 }]);
  });

  it('retries 500, 500, 200 with the same webhook-id and the configured backoff; 410 disables the endpoint', async () => {
    const flaky = await receiver([500, 500, 200]);
    const gone = await receiver([410]);
    const c = await register(flaky);
    const d = await register(gone);
    await publishAgain();

    await until('three attempts', () => flaky.received.length === 3);
    const ids = new Set(flaky.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const r of flaky.received) new Webhook(c.secret).verify(r.body, r.headers);
    const [t1, t2, t3] = flaky.received.map((r) => r.at);
    // 400 ms and 800 ms pauses, ±20 % jitter.
    expect(t2! - t1!).toBeGreaterThanOrEqual(320);
    expect(t3! - t2!).toBeGreaterThanOrEqual(640);
    const log = await until('delivered', async () => {
      const [one] = await deliveries(c.id);
      return one?.status === 'delivered' ? one : undefined;
    });
    expect(log.attempts.map((x: { statusCode: number }) => x.statusCode)).toEqual([500, 500, 200]);

    const disabled = await until('disabled', async () => {
      const r = await api(host, operator, 'GET', `/api/ops/partners/${d.id}`);
      return r.body.endpoint.status === 'disabled' ? r.body.endpoint : undefined;
    });
    expect(disabled.disabledReason).toBe('gone');
    await new Promise((r) => setTimeout(r, 1500));
    expect(gone.received).toHaveLength(1);

    // The operator who registered it is told, in the app and by email, and so is the on-call mailbox: once.
    const notice = await until('in-app notice', async () =>
      (await inbox(host, operator)).items.find((i) => i.event === 'partner.endpoint-disabled'),
    );
    expect(notice.title).toContain(disabled.name);
    const subject = `Partner endpoint disabled: ${disabled.name}`;
    const mine = await waitForOutbox(host, OPERATOR_EMAIL, (items) => items.some((m) => m.subject === subject));
    const oncall = await waitForOutbox(host, ONCALL_EMAIL, (items) => items.some((m) => m.subject === subject));
    expect(mine.filter((m) => m.subject === subject)).toHaveLength(1);
    expect(oncall.filter((m) => m.subject === subject)).toHaveLength(1);
    expect(mine[0]!.text).toContain('410 Gone');
  });

  it('marks a delivery failed when the receiver is down for the whole window, and replays it once it is back', async () => {
    const down = await receiver();
    const e = await register(down);
    await down.close();
    const since = new Date(Date.now() - 1000).toISOString();
    await publishAgain();
    const failed = await until(
      'failed',
      async () => {
        const [one] = await deliveries(e.id);
        return one?.status === 'failed' ? one : undefined;
      },
      30_000,
    );
    expect(failed.attempts).toHaveLength(4);
    expect(failed.attempts.every((a: { ok: boolean; error?: string }) => !a.ok && a.error)).toBe(true);

    await down.reopen();
    const replay = await api(host, operator, 'POST', `/api/ops/partners/${e.id}/replay`, { since });
    expect(replay.status, JSON.stringify(replay.body)).toBe(202);
    expect(replay.body.replayed).toBe(1);
    await until('replayed', () => down.received.length === 1);
    new Webhook(e.secret).verify(down.received[0]!.body, down.received[0]!.headers);
    expect(down.received[0]!.headers['webhook-id']).toBe(failed.id);
  });

  it('signs with both secrets during a rotation overlap and with the new one only after it', async () => {
    const rx = await receiver();
    const f = await register(rx);
    await publishAgain();
    await until('first delivery', () => rx.received.length === 1);
    expect(rx.received[0]!.headers['webhook-signature']!.split(' ')).toHaveLength(1);

    const rotated = await api(host, operator, 'POST', `/api/ops/partners/${f.id}/rotate-secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(f.secret);
    const [delivery] = await deliveries(f.id);
    const retry = () => api(host, operator, 'POST', `/api/ops/partners/${f.id}/deliveries/${delivery!.id}/retry`);

    expect((await retry()).status).toBe(202);
    await until('overlap delivery', () => rx.received.length === 2);
    const during = rx.received[1]!;
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    new Webhook(fresh).verify(during.body, during.headers);
    new Webhook(f.secret).verify(during.body, during.headers);

    await new Promise((r) => setTimeout(r, OVERLAP_SECONDS * 1000 + 200));
    expect((await retry()).status).toBe(202);
    await until('after the overlap', () => rx.received.length === 3);
    const after = rx.received[2]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    new Webhook(fresh).verify(after.body, after.headers);
    expect(() => new Webhook(f.secret).verify(after.body, after.headers)).toThrow();
  });

  it('refuses bad endpoints with a 400 naming the field', async () => {
    const base = {
      name: 'bad',
      url: 'https://hooks.example.com/x',
      partnerId: partner.userId,
      events: ['booking.confirmed'],
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'https://10.1.2.3/hook' }, 'body.url'],
      [{ url: 'https://169.254.169.254/latest/meta-data' }, 'body.url'],
      [{ url: 'https://[::ffff:192.168.0.1]/hook' }, 'body.url'],
      [{ url: 'http://hooks.example.com/hook' }, 'body.url'],
      [{ events: ['booking.exploded'] }, 'body.events.0'],
      [{ name: 'x'.repeat(101) }, 'body.name'],
    ];
    for (const [change, field] of cases) {
      const r = await api(host, operator, 'POST', '/api/ops/partners', { ...base, ...change });
      expect(r.status, JSON.stringify(change)).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('lets a partner read its deliveries, the bookings they name and the event catalogue; a customer gets 403', async () => {
    const types = await api(host, partner, 'GET', '/api/partners/me/event-types');
    expect(types.status).toBe(200);
    const confirmed = types.body.items.find((t: { type: string }) => t.type === 'booking.confirmed');
    expect(confirmed.schema.properties.data.required).toEqual(expect.arrayContaining(['bookingId', 'status', 'total']));

    const mine = await api(host, partner, 'GET', '/api/partners/me/endpoints');
    expect(mine.status).toBe(200);
    const first = mine.body.items[0];
    expect(first.secrets[0]).not.toHaveProperty('name');
    const log = await api(host, partner, 'GET', `/api/partners/me/endpoints/${first.id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ bookingId, eventType: 'booking.confirmed' });

    const booking = await api(host, partner, 'GET', `/api/partners/me/bookings/${bookingId}`);
    expect(booking.status).toBe(200);
    expect(booking.body).toMatchObject({ bookingId, showId, status: 'confirmed' });
    expect(JSON.stringify(booking.body)).not.toContain(customer.userId);
    expect((await api(host, partner, 'GET', `/api/partners/me/shows/${showId}`)).status).toBe(200);
    expect((await api(host, partner, 'GET', '/api/partners/me/bookings/bk-unknown')).status).toBe(404);

    const routes = [
      ['GET', '/api/partners/me/event-types'],
      ['GET', '/api/partners/me/endpoints'],
      ['GET', `/api/partners/me/endpoints/${first.id}/deliveries`],
      ['GET', `/api/partners/me/bookings/${bookingId}`],
      ['GET', `/api/partners/me/shows/${showId}`],
      ['GET', '/api/ops/partners'],
      ['GET', `/api/ops/partners/${first.id}/deliveries`],
      ['POST', `/api/ops/partners/${first.id}/rotate-secret`],
    ];
    for (const [method, path] of routes) {
      const r = await api(host, customer, method!, path!);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it("keeps a hanging endpoint to its own slots: the others' deliveries arrive while its requests hang, then its circuit opens", async () => {
    const hanging = await startHangingReceiver();
    receivers.push(hanging);
    const healthy = await receiver();
    const h = await register(hanging);
    await register(healthy);
    const copies = await committedCopies(SLOTS + 2);
    const idOf = (body: string) => (JSON.parse(body) as { data: { bookingId: string } }).data.bookingId;
    const arrived = (bookingId: string) => healthy.received.find((r) => idOf(r.body) === bookingId)?.at;

    // As many events as the hanging endpoint has slots: each of them hangs there.
    await publish(copies.slice(0, SLOTS));
    await until('the hanging endpoint holds its slots', () => hanging.requests.length === SLOTS);
    // One more while they hang: the healthy endpoint gets it, the hanging one is not sent it.
    await publish([copies[SLOTS]!]);
    await until('the healthy endpoint has every event', () =>
      copies.slice(0, SLOTS + 1).every((c) => arrived(c.data.bookingId) !== undefined),
    );
    const firstClosed = Math.min(...hanging.requests.map((r) => r.closedAt ?? Infinity));
    for (const c of copies.slice(0, SLOTS + 1)) expect(arrived(c.data.bookingId)!).toBeLessThan(firstClosed);
    expect(hanging.requests.map((r) => idOf(r.body))).not.toContain(copies[SLOTS]!.data.bookingId);
    const busy = await until('the extra delivery logged as not sent', async () =>
      (await deliveries(h.id)).find((d) => d.bookingId === copies[SLOTS]!.data.bookingId && d.attempts.length > 0),
    );
    expect(busy.attempts[0]).toMatchObject({ n: 1, ok: false });
    expect(busy.attempts[0].error).toMatch(/^not sent/);
    expect(busy.attempts[0]).not.toHaveProperty('statusCode');

    // Its sends time out, one failure each: the circuit opens, and the next event is scheduled for
    // a later attempt without a request, while the healthy endpoint gets it.
    await until(
      'the hanging requests timed out',
      () => hanging.requests.slice(0, SLOTS).every((r) => r.closedAt),
      30_000,
    );
    const last = copies[SLOTS + 1]!;
    await publish([last]);
    await until('the healthy endpoint has the last event', () => arrived(last.data.bookingId) !== undefined);
    const scheduled = await until('the last delivery logged', async () =>
      (await deliveries(h.id)).find((d) => d.bookingId === last.data.bookingId && d.attempts.length > 0),
    );
    expect(scheduled.attempts[0].error).toMatch(/circuit open/);
    expect(hanging.requests.map((r) => idOf(r.body))).not.toContain(last.data.bookingId);
    // Never more requests open at once than its slots.
    expect(hanging.maxOpen).toBeLessThanOrEqual(SLOTS);
  });

  /** Confirmed bookings committed like the first test's (copies of it), and their booking.confirmed events. */
  async function committedCopies(n: number) {
    const cosmos = createCosmos({
      endpoint: inject('cosmosEndpoint'),
      key: inject('cosmosKey'),
      database: DATABASE,
      timeoutMs: 10_000,
    });
    const store = new CosmosBookingStore(cosmos);
    const original = (await store.get(customer.userId, bookingId))!;
    const fields = Object.fromEntries(Object.entries(original).filter(([k]) => !k.startsWith('_'))) as typeof original;
    const out = [];
    for (let i = 0; i < n; i++) {
      const id = `${bookingId}-iso${i}`;
      const doc = { ...fields, id, sortKey: fields.sortKey.replace(bookingId, id) };
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
