// No dead ends, end to end over HTTP through the local host: the owner lets held seats go before
// paying (POST …/release) and tries a declined payment again on the same seats (POST …/retry-payment),
// both long before the hold would run out (HOLD_TTL_SECONDS 300 here). Owner only, idempotent,
// problem+json for the wrong state; the saga acts on each request only after verifying it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import {
  api,
  book,
  checkout,
  createShow,
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
  host = await startBookingHost({ HOLD_TTL_SECONDS: '300' });
  operator = await signIn(host, 'op-release', ['operator']);
  show = await createShow(host, operator, 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

const release = (caller: Caller, bookingId: string) => api(host, caller, 'POST', `/api/bookings/${bookingId}/release`);
const retry = (caller: Caller, bookingId: string) =>
  api(host, caller, 'POST', `/api/bookings/${bookingId}/retry-payment`);

/** 200 once the saga acted; a 202 (still working) is followed by reading the booking, as a client would. */
async function settledRelease(caller: Caller, bookingId: string) {
  const r = await release(caller, bookingId);
  expect([200, 202], JSON.stringify(r.body)).toContain(r.status);
  return r.status === 200 ? r.body : waitForBooking(host, caller, bookingId, statusIs('expired'));
}

describe('release seats', () => {
  it('frees held seats at once, lets the owner book others for the show, and is idempotent', async () => {
    const ann = await signIn(host, 'ann-release');
    const first = await book(host, ann, { showId: show.showId, seatIds: ['A1', 'A2'] });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Opened the checkout and walked away: the booking is paying, its session open.
    expect(await providerCheckoutUrl(first.body.paymentUrl)).toMatch(/\/\.payments\/checkout\//);
    await waitForBooking(host, ann, first.body.bookingId, statusIs('paying'));

    // Another booking for the show is refused while this one is in progress, naming it.
    const other = await book(host, ann, { showId: show.showId, seatIds: ['B1'] });
    expect(other.status).toBe(409);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body).toMatchObject({ code: 'BOOKING_IN_PROGRESS', bookingId: first.body.bookingId });

    const released = await settledRelease(ann, first.body.bookingId);
    expect(released).toMatchObject({ status: 'expired', failure: { code: 'HOLD_RELEASED' } });
    expect(released.history.map((h: { event: string }) => h.event)).toContain('holdReleased');
    await waitForEvents(host, first.body.bookingId, ['booking.expired']);

    // Idempotent: asked again, the same answer.
    const again = await release(ann, first.body.bookingId);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'expired', failure: { code: 'HOLD_RELEASED' } });

    // The seats are free for anyone, and the owner may book other seats for the show at once.
    const bea = await signIn(host, 'bea-release');
    expect((await book(host, bea, { showId: show.showId, seatIds: ['A1', 'A2'] })).status).toBe(201);
    const next = await book(host, ann, { showId: show.showId, seatIds: ['B1'] });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
  });

  it('answers 404 to anyone but the owner and 409 problem+json when there is nothing to release', async () => {
    const cal = await signIn(host, 'cal-release');
    const mallory = await signIn(host, 'mallory-release');
    const r = await book(host, cal, { showId: show.showId, seatIds: ['C1'] });
    expect(r.status).toBe(201);
    const foreign = await release(mallory, r.body.bookingId);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    // Operators cannot let a customer's seats go either: release is the owner's (a customer's action).
    expect((await release(operator, r.body.bookingId)).status).toBe(403);
    expect((await api(host, undefined, 'POST', `/api/bookings/${r.body.bookingId}/release`)).status).toBe(401);
    await waitForBooking(host, cal, r.body.bookingId, statusIs('held', 'paying'));

    await checkout(r.body.paymentUrl, 'pay');
    await waitForBooking(host, cal, r.body.bookingId, statusIs('confirmed'));
    const paid = await release(cal, r.body.bookingId);
    expect(paid.status).toBe(409);
    expect(paid.headers.get('content-type')).toContain('application/problem+json');
    expect(paid.body).toMatchObject({ code: 'BOOKING_NOT_RELEASABLE', bookingStatus: 'confirmed' });
    expect(paid.body.detail).toMatch(/cancel/);
    expect((await release(cal, 'bk_doesnotexist0000000000')).status).toBe(404);
  });
});

describe('retry payment after a decline', () => {
  it('keeps the seats through a decline, takes a new payment on them and confirms', async () => {
    const dan = await signIn(host, 'dan-retry');
    const r = await book(host, dan, { showId: show.showId, seatIds: ['D1', 'D2'] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const link = r.body.paymentUrl as string;
    const declinedAt = await providerCheckoutUrl(link);
    expect((await checkout(link, 'decline')).status).toBe(303);
    const declined = await waitForBooking(host, dan, r.body.bookingId, (b) => b.canRetryPayment === true);
    expect(declined).toMatchObject({ status: 'held', paymentTry: 1 });
    expect(declined.declinedPayments).toHaveLength(1);

    // The seats are still held: nobody else can take them meanwhile.
    const eve = await signIn(host, 'eve-retry');
    const taken = await book(host, eve, { showId: show.showId, seatIds: ['D2'] });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('SEATS_UNAVAILABLE');

    // Only the owner retries; a second call while the first is under way answers the same try.
    expect((await retry(eve, r.body.bookingId)).status).toBe(404);
    const retried = await retry(dan, r.body.bookingId);
    expect([200, 202], JSON.stringify(retried.body)).toContain(retried.status);
    const twice = await retry(dan, r.body.bookingId);
    expect([200, 202]).toContain(twice.status);
    expect(twice.body.paymentTry).toBe(2);

    // The same payment link now leads to the new session (a new attempt at the provider).
    const paying = await waitForBooking(host, dan, r.body.bookingId, statusIs('paying'));
    expect(paying.paymentTry).toBe(2);
    expect(paying.canRetryPayment).toBe(false);
    const retryAt = await providerCheckoutUrl(link);
    expect(retryAt).not.toBe(declinedAt);
    expect((await checkout(link, 'pay')).status).toBe(303);
    const confirmed = await waitForBooking(host, dan, r.body.bookingId, statusIs('confirmed'));
    expect(confirmed.seatIds).toEqual(['D1', 'D2']);
    expect(confirmed.charged.minor).toBe(r.body.price.total.minor);
    expect(confirmed.net.minor).toBe(r.body.price.total.minor);
    expect(confirmed.refunded.minor).toBe(0);
    const tickets = await api(host, dan, 'GET', `/api/bookings/${r.body.bookingId}/tickets`);
    expect(tickets.body.tickets).toHaveLength(2);

    // Nothing left to retry.
    const done = await retry(dan, r.body.bookingId);
    expect(done.status).toBe(409);
    expect(done.headers.get('content-type')).toContain('application/problem+json');
    expect(done.body).toMatchObject({ code: 'BOOKING_NOT_RETRYABLE', bookingStatus: 'confirmed' });
  });

  it('refuses a retry when nothing was declined, and a release after a decline frees the seats', async () => {
    const fay = await signIn(host, 'fay-retry');
    const r = await book(host, fay, { showId: show.showId, seatIds: ['D5'] });
    expect(r.status).toBe(201);
    const early = await retry(fay, r.body.bookingId);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('BOOKING_NOT_RETRYABLE');

    await checkout(r.body.paymentUrl, 'decline');
    await waitForBooking(host, fay, r.body.bookingId, (b) => b.canRetryPayment === true);
    const released = await settledRelease(fay, r.body.bookingId);
    expect(released).toMatchObject({ status: 'expired', failure: { code: 'HOLD_RELEASED' } });
    const late = await retry(fay, r.body.bookingId);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'BOOKING_NOT_RETRYABLE', bookingStatus: 'expired' });
    const gus = await signIn(host, 'gus-retry');
    expect((await book(host, gus, { showId: show.showId, seatIds: ['D5'] })).status).toBe(201);
  });
});
