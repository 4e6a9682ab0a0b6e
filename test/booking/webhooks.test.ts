// POST /api/payments/webhook over HTTP: forged and stale signatures are refused, a duplicated
// delivery confirms once, a webhook that arrives after the hold expired still honours a payment
// that landed in time, a payment made after the booking expired is refunded and recorded, and the
// host SIGKILLed mid-saga finishes the booking after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../shared/adapters/payments/signature.js';
import type { TestHost } from '../support/local-host.js';
import {
  api,
  book,
  checkout,
  createShow,
  eventsOf,
  providerCheckoutUrl,
  signIn,
  startBookingHost,
  statusIs,
  waitForBooking,
  waitForEvents,
  WEBHOOK_SECRET,
  type Caller,
  type TestShow,
} from './helpers.js';

let host: TestHost;
let operator: Caller;
let show: TestShow;

beforeAll(async () => {
  host = await startBookingHost({ HOLD_TTL_SECONDS: '3' });
  operator = await signIn(host, 'op-hooks', ['operator']);
  show = await createShow(host, operator, 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

const event = (bookingId: string) =>
  JSON.stringify({
    id: `evt_test_${Date.now()}`,
    type: 'payment.succeeded',
    created: new Date().toISOString(),
    data: {
      sessionId: 'cs_x',
      bookingId,
      attemptId: `${bookingId}.1`,
      paymentId: 'pay_x',
      amount: { minor: 100, currency: 'INR' },
    },
  });

const post = (body: string, signature?: string) =>
  fetch(host.url('/api/payments/webhook'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'marquee-signature': signature } : {}) },
    body,
  });

describe('payment webhooks', () => {
  it('refuses a forged, unsigned or stale webhook with a problem answer', async () => {
    const body = event('bk_nothing');
    const forged = await post(
      body,
      signatureHeader('whsec_wrong_secret_0123456789', body, Math.floor(Date.now() / 1000)),
    );
    expect(forged.status).toBe(400);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    expect(((await forged.json()) as { code: string }).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect((await post(body)).status).toBe(400);
    const stale = await post(body, signatureHeader(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(400);
    expect(((await stale.json()) as { code: string }).code).toBe('WEBHOOK_TIMESTAMP_STALE');
    // Signed and fresh but for no booking of ours: acknowledged and ignored, nothing raised.
    const unknown = await post(body, signatureHeader(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)));
    expect(unknown.status).toBe(200);
    expect(((await unknown.json()) as { outcome: string }).outcome).toBe('ignored');
  });

  it('confirms once when the provider delivers the same event twice', async () => {
    const u = await signIn(host, 'dup');
    const r = await book(host, u, { showId: show.showId, seatIds: ['A1'] });
    expect(r.status).toBe(201);
    const page = await providerCheckoutUrl(r.body.paymentUrl);
    await checkout(page, 'pay', { duplicateWebhook: 'true' });
    await waitForBooking(host, u, r.body.bookingId, statusIs('confirmed'));
    const deliveries = await waitForDeliveries(page, 2);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(1);
    await waitForEvents(host, r.body.bookingId, ['booking.confirmed']);
    await new Promise((res) => setTimeout(res, 300));
    expect((await eventsOf(host, r.body.bookingId)).filter((e) => e.body.type === 'booking.confirmed')).toHaveLength(1);
  });

  it('honours a payment that landed in time even when its webhook comes after the hold expired', async () => {
    const u = await signIn(host, 'slowhook');
    const r = await book(host, u, { showId: show.showId, seatIds: ['A2'] });
    const page = await providerCheckoutUrl(r.body.paymentUrl);
    await checkout(page, 'pay', { webhookDelayMs: '5000' });
    // The timer fires first; the saga asks the provider, which says paid: confirmed without the webhook.
    const confirmed = await waitForBooking(host, u, r.body.bookingId, statusIs('confirmed'), 10_000);
    expect(confirmed.history.map((h: { status: string }) => h.status)).toEqual([
      'pending',
      'held',
      'paying',
      'confirmed',
    ]);
    const deliveries = await waitForDeliveries(page, 1, 10_000);
    expect(deliveries[0]!.status).toBe(200);
    const after = await api(host, u, 'GET', `/api/bookings/${r.body.bookingId}`);
    expect(after.body.status).toBe('confirmed');
    expect(after.body.latePayments).toEqual([]);
  });

  it('refunds a payment made after the booking expired and records why', async () => {
    const u = await signIn(host, 'latepay');
    const r = await book(host, u, { showId: show.showId, seatIds: ['A3'] });
    await waitForBooking(host, u, r.body.bookingId, statusIs('expired'), 10_000);
    // A second checkout for the same booking (e.g. an old tab) is paid after the hold ran out.
    const session = await providerSession(r.body.bookingId, r.body.price.total);
    await checkout(session.url, 'pay');
    const refunded = await waitForBooking(host, u, r.body.bookingId, (b) =>
      b.latePayments.some((l: { status: string }) => l.status === 'refunded'),
    );
    expect(refunded.status).toBe('expired');
    expect(refunded.latePayments[0]).toMatchObject({
      status: 'refunded',
      refundId: expect.stringMatching(/^re_/),
      amount: r.body.price.total,
    });
    expect(refunded.latePayments[0].reason).toMatch(/after the booking was expired/);
    const events = await waitForEvents(host, r.body.bookingId, ['booking.expired', 'refund.issued']);
    expect(events.find((e) => e.body.type === 'refund.issued')!.body.data).toMatchObject({ late: true });
    const status = (await (
      await fetch(`${host.env.PAYMENTS_BASE_URL}/v1/sessions/${session.id}`, {
        headers: { authorization: 'Bearer sk_test_booking_0123456789abcdef' },
      })
    ).json()) as { refunded: { minor: number } };
    expect(status.refunded.minor).toBe(r.body.price.total.minor);
  });

  it('finishes a saga after the host is SIGKILLed mid-way and restarted', async () => {
    let u = await signIn(host, 'crash');
    const r = await book(host, u, { showId: show.showId, seatIds: ['B1', 'B2'] });
    expect(r.status).toBe(201);
    const page = await providerCheckoutUrl(r.body.paymentUrl);
    await checkout(page, 'pay');
    await waitForDeliveries(page, 1);
    await host.kill(); // the saga is somewhere between the raised event and booking.confirmed
    await host.restart();
    u = await signIn(host, 'crash'); // the dev issuer's signing key is new after a restart
    const confirmed = await waitForBooking(host, u, r.body.bookingId, statusIs('confirmed'), 20_000);
    expect(confirmed.seatIds).toEqual(['B1', 'B2']);
    const tickets = await api(host, u, 'GET', `/api/bookings/${r.body.bookingId}/tickets`);
    expect(tickets.body.tickets).toHaveLength(2);

    // A saga waiting on its hold timer when the host dies expires on time after the restart.
    let v = await signIn(host, 'crash-wait');
    const w = await book(host, v, { showId: show.showId, seatIds: ['B5'] });
    expect(w.status).toBe(201);
    await waitForBooking(host, v, w.body.bookingId, statusIs('paying'));
    await host.kill();
    await host.restart();
    v = await signIn(host, 'crash-wait');
    u = await signIn(host, 'crash');
    await waitForBooking(host, v, w.body.bookingId, statusIs('expired'), 20_000);
    const again = await book(host, u, { showId: show.showId, seatIds: ['B5'] });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
  }, 90_000);
});

/** `pageUrl`: the provider's checkout page of the session (its last segment is the session id). */
async function waitForDeliveries(pageUrl: string, count: number, timeoutMs = 5000) {
  const sessionId = pageUrl.split('/').pop()!;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${host.env.PAYMENTS_BASE_URL}/v1/_simulator/deliveries`, { headers: host.admin });
    const all = (
      (await res.json()) as { deliveries: { sessionId: string; status: number; eventId: string }[] }
    ).deliveries.filter((d) => d.sessionId === sessionId);
    if (all.length >= count) return all;
    if (Date.now() > deadline) throw new Error(`expected ${count} deliveries for ${sessionId}, got ${all.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A checkout session created straight at the provider for `bookingId` (as a stale tab would have). */
async function providerSession(bookingId: string, amount: { minor: number; currency: string }) {
  const res = await fetch(`${host.env.PAYMENTS_BASE_URL}/v1/sessions`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk_test_booking_0123456789abcdef',
      'content-type': 'application/json',
      'idempotency-key': `late-${bookingId}`,
    },
    body: JSON.stringify({
      bookingId,
      attemptId: `${bookingId}.tab2`,
      amount,
      description: 'second tab',
      items: [],
      returnUrl: host.url(`/api/bookings/${bookingId}`),
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; url: string };
}
