// Non-refundable shows over HTTP: an operator creates (or marks) a show non-refundable, GET
// /api/shows/{id} says so, a customer books and pays, the refund quote refuses with NON_REFUNDABLE
// and POST cancel is a 409 problem with that reason while the booking stays confirmed; a normal
// show still cancels; a booking keeps the terms it was sold under; a bad flag is a 400 naming the
// field; the demo stadium's sports fixtures are non-refundable.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import {
  api,
  bookAndPay,
  createShow,
  signIn,
  startBookingHost,
  statusIs,
  waitForBooking,
  type Caller,
  type TestShow,
} from './helpers.js';

let host: TestHost;
let operator: Caller;
let normal: TestShow;

beforeAll(async () => {
  host = await startBookingHost({ HOLD_TTL_SECONDS: '60', DEMO_DATA: 'true' });
  operator = await signIn(host, 'op-nonref', ['operator']);
  normal = await createShow(host, operator, 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

/** A second show on the normal show's screen, `hoursFromNow` ahead, with the given extra fields. */
async function showBody(hoursFromNow: number, extra: Record<string, unknown>) {
  const base = await api(host, undefined, 'GET', `/api/shows/${normal.showId}`);
  expect(base.status).toBe(200);
  return {
    movieId: base.body.movieId,
    venueId: base.body.venueId,
    screenId: base.body.screenId,
    startsAt: new Date(Date.now() + hoursFromNow * 3_600_000).toISOString(),
    language: 'English',
    format: '2D',
    prices: { classic: { minor: 20000, currency: 'INR' } },
    ...extra,
  };
}

const cancel = (u: Caller, bookingId: string) =>
  api(host, u, 'POST', `/api/bookings/${bookingId}/cancel`, {}, { 'idempotency-key': randomUUID() });

describe('non-refundable shows', () => {
  it('an operator creates a non-refundable show; its paid booking cannot be cancelled', async () => {
    const created = await api(host, operator, 'POST', '/api/shows', await showBody(96, { nonRefundable: true }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.nonRefundable).toBe(true);
    const showId = created.body.id as string;
    const read = await api(host, undefined, 'GET', `/api/shows/${showId}`);
    expect(read.body).toMatchObject({ id: showId, nonRefundable: true });

    const u = await signIn(host, 'nr-buyer');
    const b = await bookAndPay(host, u, showId, ['A1', 'A2']);
    expect(b.show.nonRefundable).toBe(true);

    const quote = await api(host, u, 'GET', `/api/bookings/${b.bookingId}/refund-quote`);
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ bookingId: b.bookingId, cancellable: false, reason: 'NON_REFUNDABLE' });
    expect(quote.body.detail).toMatch(/non-refundable/);

    const r = await cancel(u, b.bookingId);
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ code: 'CANCELLATION_NON_REFUNDABLE', reason: 'NON_REFUNDABLE', retryable: false });
    // Nothing changed: still confirmed, no cancellation recorded, the tickets still admit.
    const after = await api(host, u, 'GET', `/api/bookings/${b.bookingId}`);
    expect(after.body).toMatchObject({ status: 'confirmed', seatIds: ['A1', 'A2'], cancellations: [] });
    const tickets = await api(host, u, 'GET', `/api/bookings/${b.bookingId}/tickets`);
    expect(tickets.body.tickets.map((t: { status: string }) => t.status)).toEqual(['valid', 'valid']);
  });

  it('a normal show reads nonRefundable false and still cancels', async () => {
    const read = await api(host, undefined, 'GET', `/api/shows/${normal.showId}`);
    expect(read.body.nonRefundable).toBe(false);
    const u = await signIn(host, 'nr-normal');
    const b = await bookAndPay(host, u, normal.showId, ['B1']);
    expect(b.show.nonRefundable).toBe(false);
    const quote = await api(host, u, 'GET', `/api/bookings/${b.bookingId}/refund-quote`);
    expect(quote.body).toMatchObject({ cancellable: true, refundBp: 10000 });
    const r = await cancel(u, b.bookingId);
    expect([200, 202]).toContain(r.status);
    const done = await waitForBooking(host, u, b.bookingId, statusIs('cancelled'));
    expect(done.cancellations[0]).toMatchObject({ status: 'completed', refund: { minor: 20000 } });
  });

  it('marking a show non-refundable applies to bookings made after it; earlier ones keep their terms', async () => {
    const show = await createShow(host, operator, 80);
    const early = await signIn(host, 'nr-early');
    const before = await bookAndPay(host, early, show.showId, ['C1']);

    const patched = await api(host, operator, 'PATCH', `/api/shows/${show.showId}`, { nonRefundable: true });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.nonRefundable).toBe(true);
    await expect
      .poll(async () => (await api(host, undefined, 'GET', `/api/shows/${show.showId}`)).body.nonRefundable, {
        timeout: 35_000,
        interval: 500,
      })
      .toBe(true);

    const late = await signIn(host, 'nr-late');
    const after = await bookAndPay(host, late, show.showId, ['C2']);
    expect(after.show.nonRefundable).toBe(true);
    expect((await cancel(late, after.bookingId)).body.reason).toBe('NON_REFUNDABLE');
    expect((await api(host, early, 'GET', `/api/bookings/${before.bookingId}/refund-quote`)).body.cancellable).toBe(
      true,
    );

    // And back: the flag can be cleared for new bookings.
    const cleared = await api(host, operator, 'PATCH', `/api/shows/${show.showId}`, { nonRefundable: false });
    expect(cleared.body.nonRefundable).toBe(false);
  }, 60_000);

  it('a flag that is not a boolean is a 400 problem naming the field', async () => {
    for (const bad of ['yes', 1, null]) {
      const r = await api(host, operator, 'POST', '/api/shows', await showBody(100, { nonRefundable: bad }));
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.nonRefundable']);
    }
    const patch = await api(host, operator, 'PATCH', `/api/shows/${normal.showId}`, { nonRefundable: 'true' });
    expect(patch.status).toBe(400);
    expect(patch.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.nonRefundable']);
    expect((await api(host, undefined, 'GET', `/api/shows/${normal.showId}`)).body.nonRefundable).toBe(false);
  });

  it('the demo stadium sells its sports fixtures non-refundable and the rest with refunds', async () => {
    const flags = new Map<string, boolean>();
    for (let d = 0; d < 7; d++) {
      const date = new Date(Date.now() + d * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Kolkata' });
      const page = await api(host, undefined, 'GET', `/api/shows?city=mum&date=${date}&venueId=ven-mum-arena`);
      expect(page.status).toBe(200);
      for (const s of page.body.items as { id: string; title: string }[]) {
        const show = await api(host, undefined, 'GET', `/api/shows/${s.id}`);
        flags.set(s.title, show.body.nonRefundable);
      }
    }
    const sports = /Derby|Classic|Final/;
    expect([...flags].filter(([t]) => sports.test(t)).length).toBeGreaterThanOrEqual(2);
    for (const [title, flag] of flags) expect(flag, title).toBe(sports.test(title));
    // Cinema shows stay refundable.
    const cinema = await api(host, undefined, 'GET', '/api/shows?city=blr&limit=5');
    for (const s of cinema.body.items as { id: string }[])
      expect((await api(host, undefined, 'GET', `/api/shows/${s.id}`)).body.nonRefundable).toBe(false);
  });
});
