// The booking saga end to end over HTTP: book → pay on the checkout page → confirmed with tickets
// and a booking.confirmed event; a declined payment; a hold that runs out; tickets scanned at the door.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type Caller,
  type TestShow,
} from './helpers.js';

let host: TestHost;
let operator: Caller;
let show: TestShow;

beforeAll(async () => {
  host = await startBookingHost({ HOLD_TTL_SECONDS: '4' });
  operator = await signIn(host, 'op-saga', ['operator']);
  show = await createShow(host, operator, 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

describe('booking saga', () => {
  it('holds the seats, takes the payment on the checkout page, confirms, issues tickets and publishes booking.confirmed', async () => {
    const alice = await signIn(host, 'alice-saga');
    const r = await book(host, alice, { showId: show.showId, seatIds: ['A1', 'A2'] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.headers.get('location')).toBe(`/api/bookings/${r.body.bookingId}`);
    // The answer comes once the seats are held; the payment session may still be on its way.
    expect(['held', 'paying']).toContain(r.body.status);
    expect(Date.parse(r.body.holdExpiresAt)).toBeGreaterThan(Date.now());
    // The booking's own payment link, which a browser follows to the provider's checkout.
    expect(r.body.paymentUrl).toMatch(
      new RegExp(`^${host.origin}/api/bookings/${r.body.bookingId}/checkout\\?u=alice-saga&t=[\\w-]{20,}$`),
    );
    expect(await providerCheckoutUrl(r.body.paymentUrl)).toMatch(/\/\.payments\/checkout\//);
    expect(r.body.price.total.minor).toBe(2 * (20000 + 2000 + 360));

    const paid = await checkout(r.body.paymentUrl, 'pay');
    expect(paid.status).toBe(303);
    // The provider sends the buyer back to the web client's booking page, not to the JSON API.
    expect(paid.location).toContain(`${host.origin}/bookings/${r.body.bookingId}`);
    const confirmed = await waitForBooking(host, alice, r.body.bookingId, statusIs('confirmed'));
    expect(confirmed.paymentId).toMatch(/^pay_/);
    expect(confirmed.charged.minor).toBe(r.body.price.total.minor);

    const tickets = await api(host, alice, 'GET', `/api/bookings/${r.body.bookingId}/tickets`);
    expect(tickets.status).toBe(200);
    expect(tickets.body.tickets.map((t: { seatId: string }) => t.seatId)).toEqual(['A1', 'A2']);
    expect(tickets.body.tickets[0].code).toMatch(/^MQT1\./);

    const events = await waitForEvents(host, r.body.bookingId, ['booking.confirmed']);
    const e = events.find((x) => x.body.type === 'booking.confirmed')!.body;
    expect(e).toMatchObject({
      specversion: '1.0',
      source: '/marquee/bookings',
      subject: `bookings/${r.body.bookingId}`,
      datacontenttype: 'application/json',
    });
    expect(e.data).toMatchObject({ bookingId: r.body.bookingId, status: 'confirmed', seatIds: ['A1', 'A2'] });
  });

  it('the payment link needs its token, redirects without a sign-in, and says when nothing is left to pay', async () => {
    const gina = await signIn(host, 'gina-saga');
    const r = await book(host, gina, { showId: show.showId, seatIds: ['B3'] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const link = new URL(r.body.paymentUrl as string);
    const forged = new URL(link);
    forged.searchParams.set('t', 'x'.repeat(24));
    const wrong = await fetch(forged, { redirect: 'manual' });
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const otherUser = new URL(link);
    otherUser.searchParams.set('u', 'mallory');
    expect((await fetch(otherUser, { redirect: 'manual' })).status).toBe(404);
    const missing = new URL(link);
    missing.searchParams.delete('t');
    const bad = await fetch(missing, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('query.t');

    const ok = await fetch(link, { redirect: 'manual' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    await checkout(r.body.paymentUrl, 'pay');
    await waitForBooking(host, gina, r.body.bookingId, statusIs('confirmed'));
    const done = await fetch(link, { redirect: 'manual' });
    expect(done.status).toBe(409);
    expect(await done.json()).toMatchObject({ code: 'BOOKING_NOT_PAYABLE', status: 409, bookingStatus: 'confirmed' });
  });

  it('scans a ticket once: the second scan is refused with 409', async () => {
    const bob = await signIn(host, 'bob-saga');
    const r = await book(host, bob, { showId: show.showId, seatIds: ['B1'] });
    expect(r.status).toBe(201);
    await checkout(r.body.paymentUrl, 'pay');
    await waitForBooking(host, bob, r.body.bookingId, statusIs('confirmed'));
    const tickets = await api(host, bob, 'GET', `/api/bookings/${r.body.bookingId}/tickets`);
    const code = tickets.body.tickets[0].code as string;

    const first = await api(host, operator, 'POST', '/api/tickets/verify', { showId: show.showId, code });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ admitted: true, seatId: 'B1', bookingId: r.body.bookingId });
    const second = await api(host, operator, 'POST', '/api/tickets/verify', { showId: show.showId, code });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('TICKET_ALREADY_USED');
    // A customer cannot scan; a tampered code is not a ticket.
    expect((await api(host, bob, 'POST', '/api/tickets/verify', { showId: show.showId, code })).status).toBe(403);
    const forged = code.slice(0, -4) + (code.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(
      (await api(host, operator, 'POST', '/api/tickets/verify', { showId: show.showId, code: forged })).status,
    ).toBe(422);
  });

  it('a declined payment not tried again before the hold ends fails the booking, frees the seats and publishes booking.failed', async () => {
    const carol = await signIn(host, 'carol-saga');
    const r = await book(host, carol, { showId: show.showId, seatIds: ['C1', 'C2'] });
    expect(r.status).toBe(201);
    const declined = await checkout(r.body.paymentUrl, 'decline');
    expect(declined.status).toBe(303);
    const failed = await waitForBooking(host, carol, r.body.bookingId, statusIs('failed'));
    expect(failed.failure.code).toBe('PAYMENT_DECLINED');
    await waitForEvents(host, r.body.bookingId, ['booking.failed']);
    // The seats are free again: someone else holds them at once.
    const dave = await signIn(host, 'dave-saga');
    const again = await book(host, dave, { showId: show.showId, seatIds: ['C1', 'C2'] });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
  });

  it('an abandoned checkout expires when the hold runs out, and the seats are free again', async () => {
    const erin = await signIn(host, 'erin-saga');
    const r = await book(host, erin, { showId: show.showId, seatIds: ['D1', 'D2'] });
    expect(r.status).toBe(201);
    const abandoned = await checkout(r.body.paymentUrl, 'abandon');
    expect(abandoned.status).toBe(303);
    const expired = await waitForBooking(host, erin, r.body.bookingId, statusIs('expired'), 15_000);
    expect(expired.failure.code).toBe('HOLD_EXPIRED');
    expect(expired.history.map((h: { status: string }) => h.status)).toEqual(['pending', 'held', 'paying', 'expired']);
    await waitForEvents(host, r.body.bookingId, ['booking.expired']);
    const frank = await signIn(host, 'frank-saga');
    expect((await book(host, frank, { showId: show.showId, seatIds: ['D1', 'D2'] })).status).toBe(201);
    const events = await eventsOf(host, r.body.bookingId);
    expect(events.filter((e) => e.body.type === 'booking.expired')).toHaveLength(1);
  });
});
