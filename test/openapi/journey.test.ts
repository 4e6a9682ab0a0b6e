// The document describes what the API really answers (docs/api.md): the main journey is driven over
// HTTP through the local host — search, a show, its seats, a hold, the booking, paying on the
// simulator's page, tickets, the door, cancelling — with the errors a client meets on the way; then a
// waiting room, an admitted booking released, and an operator's show cancellation — and
// every answer from /api/ (status, content type, body) is validated against the OpenAPI document
// the same host serves. Needs the compiled app.
import { randomUUID } from 'node:crypto';
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
  type Caller,
} from '../booking/helpers.js';
import { Conformance, recordApiAnswers, type Document } from './conformance.js';

let host: TestHost;
let recorder: ReturnType<typeof recordApiAnswers>;
let conformance: Conformance;
let customer: Caller;
let rival: Caller;
let operator: Caller;

beforeAll(async () => {
  // No demo catalog (its load takes long on a busy machine): the journey makes its own city and show.
  host = await startBookingHost();
  const served = await fetch(host.url('/api/openapi.json'));
  expect(served.status).toBe(200);
  conformance = new Conformance((await served.json()) as Document);
  recorder = recordApiAnswers(host.origin);
  [customer, rival, operator] = await Promise.all([
    signIn(host, `oa-customer-${randomUUID().slice(0, 6)}`),
    signIn(host, `oa-rival-${randomUUID().slice(0, 6)}`),
    signIn(host, 'oa-operator', ['operator']),
  ]);
}, 120_000);

afterAll(async () => {
  recorder?.uninstall();
  await host?.stop();
});

describe('every answer of the main journey matches the OpenAPI document', () => {
  it('drives search → show → seats → hold → booking → pay → tickets → door → cancel, and the errors', async () => {
    // The city the shows are in (an operator's PUT), then browsing the public catalog.
    const city = { name: 'Bengaluru', timeZone: 'Asia/Kolkata', currency: 'INR' };
    expect((await api(host, operator, 'PUT', '/api/cities/blr', city)).status).toBe(200);
    expect((await api(host, undefined, 'GET', '/api/cities')).status).toBe(200);
    const search = await api(host, undefined, 'GET', '/api/shows?city=blr');
    expect(search.status).toBe(200);
    expect((await api(host, undefined, 'GET', '/api/shows?city=nowhere')).status).toBe(400);
    expect((await api(host, undefined, 'GET', '/api/shows?city=blr&limit=0&format=4D')).status).toBe(400);
    expect((await api(host, undefined, 'GET', '/api/movies?city=blr')).status).toBe(200);
    expect((await api(host, undefined, 'GET', '/api/recommendations?city=blr&limit=3')).status).toBe(200);

    // An operator schedules a show (201s), then a customer looks at it.
    const show = await createShow(host, operator, 72);
    const detail = await api(host, undefined, 'GET', `/api/shows/${show.showId}`);
    expect(detail.status).toBe(200);
    expect((await api(host, undefined, 'GET', `/api/movies/${detail.body.movieId}`)).status).toBe(200);
    expect((await api(host, undefined, 'GET', `/api/venues/${detail.body.venueId}`)).status).toBe(200);
    expect((await api(host, undefined, 'GET', `/api/layouts/${detail.body.layoutId}`)).status).toBe(200);
    const seats = await api(host, undefined, 'GET', `/api/shows/${show.showId}/seats`);
    expect(seats.status).toBe(200);
    const again = await fetch(host.url(`/api/shows/${show.showId}/seats`), {
      headers: { 'if-none-match': seats.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await api(host, undefined, 'GET', '/api/shows/no-such-show')).status).toBe(404);
    expect((await api(host, undefined, 'GET', '/api/shows/bad%2Fid')).status).toBe(400);
    expect((await api(host, customer, 'GET', `/api/realtime/negotiate?showId=${show.showId}`)).status).toBe(200);

    // Choosing seats: a suggestion, a quote, and the refusals.
    const best = await api(host, undefined, 'POST', `/api/shows/${show.showId}/best-available`, { count: 2 });
    expect(best.status).toBe(200);
    expect(
      (await api(host, undefined, 'POST', `/api/shows/${show.showId}/quote`, { seatIds: ['A1', 'A2'] })).status,
    ).toBe(200);
    expect((await api(host, undefined, 'POST', `/api/shows/${show.showId}/quote`, { seatIds: ['Z99'] })).status).toBe(
      400,
    );
    expect((await api(host, undefined, 'POST', `/api/shows/${show.showId}/best-available`, { count: 50 })).status).toBe(
      400,
    );

    // Booking: the refusals first (no token, no key, wrong media type, a customer at an operator route).
    expect((await api(host, undefined, 'POST', '/api/bookings', { showId: show.showId, seatIds: ['A1'] })).status).toBe(
      401,
    );
    expect((await book(host, customer, { showId: show.showId, seatIds: ['A1'] }, null)).status).toBe(400);
    const plain = await fetch(host.url('/api/bookings'), {
      method: 'POST',
      headers: { ...customer.headers, 'idempotency-key': randomUUID(), 'content-type': 'text/plain' },
      body: 'A1',
    });
    expect(plain.status).toBe(415);
    expect((await api(host, customer, 'GET', '/api/ops/bookings')).status).toBe(403);

    // The hold: 201 with the payment link; the same seats for someone else are 409 SEATS_UNAVAILABLE.
    const held = await book(host, customer, { showId: show.showId, seatIds: ['B4', 'B5', 'B6'] });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const bookingId = held.body.bookingId as string;
    const taken = await book(host, rival, { showId: show.showId, seatIds: ['B5'] });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('SEATS_UNAVAILABLE');
    expect((await api(host, customer, 'GET', `/api/bookings/${bookingId}/tickets`)).status).toBe(409);
    expect((await api(host, rival, 'GET', `/api/bookings/${bookingId}`)).status).toBe(404);

    // Paying: the booking's link (303 to the provider), the simulator's page, then confirmed.
    await providerCheckoutUrl(held.body.paymentUrl as string);
    expect((await checkout(held.body.paymentUrl as string, 'pay')).status).toBe(303);
    await waitForBooking(host, customer, bookingId, statusIs('confirmed'));

    // Tickets, and the door: admitted once, refused the second time, and not at another show.
    const tickets = await api(host, customer, 'GET', `/api/bookings/${bookingId}/tickets`);
    expect(tickets.status).toBe(200);
    const code = tickets.body.tickets[0].code as string;
    expect((await api(host, operator, 'POST', '/api/tickets/verify', { showId: show.showId, code })).status).toBe(200);
    const second = await api(host, operator, 'POST', '/api/tickets/verify', { showId: show.showId, code });
    expect(second.status).toBe(409);
    expect((await api(host, operator, 'POST', '/api/tickets/verify', { showId: 'another-show', code })).status).toBe(
      422,
    );

    // Cancelling one seat: the quote, the cancellation, and a seat that is not in the booking.
    expect((await api(host, customer, 'GET', `/api/bookings/${bookingId}/refund-quote?seatIds=B6`)).status).toBe(200);
    const unknownSeat = await api(host, customer, 'POST', `/api/bookings/${bookingId}/cancel`, { seatIds: ['D9'] });
    expect(unknownSeat.status).toBe(409);
    const cancel = await api(
      host,
      customer,
      'POST',
      `/api/bookings/${bookingId}/cancel`,
      { seatIds: ['B6'] },
      {
        'idempotency-key': randomUUID(),
      },
    );
    expect([200, 202]).toContain(cancel.status);
    await waitForBooking(host, customer, bookingId, (b) => b.cancellations[0]?.status === 'completed');

    // The signed-in user's own pages and the operators' view.
    expect((await api(host, customer, 'GET', '/api/me/bookings?when=all')).status).toBe(200);
    expect((await api(host, customer, 'GET', '/api/me/profile')).status).toBe(200);
    expect((await api(host, customer, 'GET', '/api/me/notifications')).status).toBe(200);
    expect((await api(host, operator, 'GET', '/api/ops/bookings?status=confirmed&limit=5')).status).toBe(200);
    expect((await api(host, undefined, 'GET', '/api/health')).status).toBe(200);

    const observed = recorder.observed;
    const problems = observed.flatMap((o) => conformance.check(o));
    expect(problems).toEqual([]);

    // The journey went where it claims: these operations and statuses were all observed and checked.
    const seen = new Set(observed.map((o) => conformance.operationOf(o.method, o.path)?.op.operationId));
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'shows-search',
        'shows-get',
        'show-seats',
        'layouts-get',
        'show-best-available',
        'show-quote',
        'bookings-create',
        'bookings-checkout',
        'bookings-get',
        'bookings-tickets',
        'tickets-verify',
        'bookings-refund-quote',
        'bookings-cancel',
        'movies-create',
        'venues-create',
        'shows-create',
        'cities-put',
      ]),
    );
    expect(new Set(observed.map((o) => o.status))).toEqual(
      new Set([
        200,
        201,
        303,
        304,
        400,
        401,
        403,
        404,
        409,
        415,
        422,
        ...(observed.some((o) => o.status === 202) ? [202] : []),
      ]),
    );
  });

  it('drives a waiting room, an admitted booking, its release and a show cancellation', async () => {
    const from = recorder.observed.length;
    const show = await createShow(host, operator, 96);
    const room = `/api/ops/shows/${show.showId}/waiting-room`;
    const settings = { opensAt: new Date().toISOString(), admitPerMinute: 600, admissionMinutes: 5 };
    expect((await api(host, operator, 'PUT', room, { ...settings, maxTicketsPerUser: 4 })).status).toBe(200);
    expect((await api(host, operator, 'PUT', room, { ...settings, admitPerMinute: 0 })).status).toBe(400);
    expect((await api(host, undefined, 'GET', `/api/shows/${show.showId}/waiting-room`)).status).toBe(200);

    // Without an admission: suggestions need a customer, a booking is refused with 403 ADMISSION_REQUIRED.
    const seatsBody = { count: 2 };
    expect((await api(host, undefined, 'POST', `/api/shows/${show.showId}/best-available`, seatsBody)).status).toBe(
      401,
    );
    const refused = await book(host, customer, { showId: show.showId, seatIds: ['C1'] });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ADMISSION_REQUIRED');

    // Joining (201, then the same ticket with 200) and polling until admitted.
    const joined = await api(host, customer, 'POST', `/api/shows/${show.showId}/queue`);
    expect(joined.status).toBe(201);
    expect((await api(host, customer, 'POST', `/api/shows/${show.showId}/queue`)).status).toBe(200);
    expect((await api(host, rival, 'GET', `/api/queue/${joined.body.ticket as string}`)).status).toBe(403);
    let token: string | undefined;
    for (const end = Date.now() + 60_000; !token && Date.now() < end;) {
      const s = await api(host, customer, 'GET', `/api/queue/${joined.body.ticket as string}`);
      expect(s.status).toBe(200);
      token = s.body.admissionToken as string | undefined;
      if (!token) await new Promise((r) => setTimeout(r, 500));
    }
    expect(token, 'admitted within a minute').toBeDefined();
    expect((await api(host, operator, 'GET', room)).status).toBe(200);
    const admission = { 'admission-token': token! };
    const best = await api(host, customer, 'POST', `/api/shows/${show.showId}/best-available`, seatsBody, admission);
    expect(best.status).toBe(200);

    // An admitted booking: nothing to retry yet, then the owner lets the seats go.
    const held = await api(
      host,
      customer,
      'POST',
      '/api/bookings',
      { showId: show.showId, seatIds: ['C1', 'C2'] },
      { 'idempotency-key': randomUUID(), ...admission },
    );
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const bookingId = held.body.bookingId as string;
    const retry = await api(host, customer, 'POST', `/api/bookings/${bookingId}/retry-payment`);
    expect(retry.status).toBe(409);
    const released = await api(host, customer, 'POST', `/api/bookings/${bookingId}/release`);
    expect([200, 202]).toContain(released.status);
    await waitForBooking(host, customer, bookingId, statusIs('expired'));
    expect((await api(host, customer, 'POST', `/api/bookings/${bookingId}/release`)).status).toBe(200);

    // The operator cancels the show and reads the progress.
    const cancelShow = `/api/ops/shows/${show.showId}/cancel`;
    expect((await api(host, operator, 'POST', cancelShow, { reason: 'x' })).status).toBe(400);
    expect((await api(host, operator, 'POST', cancelShow, { reason: 'The venue flooded' })).status).toBe(202);
    expect((await api(host, operator, 'GET', `/api/ops/shows/${show.showId}/cancellation`)).status).toBe(200);

    const observed = recorder.observed.slice(from);
    expect(observed.flatMap((o) => conformance.check(o))).toEqual([]);
    const seen = new Set(observed.map((o) => conformance.operationOf(o.method, o.path)?.op.operationId));
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'waiting-room-configure',
        'waiting-room-overview',
        'waiting-room-join',
        'waiting-room-status',
        'waiting-room-stats',
        'show-best-available',
        'bookings-create',
        'bookings-retry-payment',
        'bookings-release',
        'ops-shows-cancel',
        'ops-shows-cancellation',
      ]),
    );
  }, 120_000);

  it('fails an answer that does not match: an undocumented field, a wrong type, an undocumented status', () => {
    const base = { method: 'GET', path: '/api/shows/shw-1', contentType: 'application/json' };
    const show = recorder.observed.find(
      (o) => o.method === 'GET' && /^\/api\/shows\/[^/]+$/.test(o.path) && o.status === 200,
    )!;
    const body = JSON.parse(show.body) as Record<string, unknown>;
    expect(conformance.check({ ...base, status: 200, body: JSON.stringify(body) })).toEqual([]);
    expect(conformance.check({ ...base, status: 200, body: JSON.stringify({ ...body, secret: 1 }) })).toHaveLength(1);
    expect(conformance.check({ ...base, status: 200, body: JSON.stringify({ ...body, startsAt: 5 }) })).toHaveLength(1);
    expect(conformance.check({ ...base, status: 418, body: '{}' })).toEqual([
      'GET /api/shows/shw-1 → 418: status 418 is not documented for shows-get',
    ]);
    const problem = { type: 'https://marquee.dev/problems/x', title: 'x', status: 404, detail: 'x', retryable: false };
    expect(
      conformance.check({
        ...base,
        contentType: 'application/problem+json',
        status: 404,
        body: JSON.stringify({ ...problem, code: 'SEATS_UNAVAILABLE' }),
      }),
    ).toHaveLength(1);
  });
});
