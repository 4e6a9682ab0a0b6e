// Cancellation and refunds over HTTP, one show per policy tier (created through the operator API
// so the start time is chosen): ≥24 h the ticket price back and fees kept, 4–24 h half, <4 h
// refused with the reason; partial cancellation; seats free at once; a refund that keeps failing
// ends refund_failed, visible to operators, and their retry completes it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import {
  api,
  book,
  bookAndPay,
  createShow,
  signIn,
  startBookingHost,
  statusIs,
  waitForBooking,
  waitForEvents,
  type Caller,
} from './helpers.js';

let host: TestHost;
let operator: Caller;

beforeAll(async () => {
  host = await startBookingHost({
    HOLD_TTL_SECONDS: '60',
    // Refund faults reach the saga at once (no adapter retries, no breaker) so attempts are countable.
    PAYMENTS_MAX_ATTEMPTS: '1',
    PAYMENTS_BREAKER_THRESHOLD: '1000',
    CANCEL_REFUND_ATTEMPTS: '2',
    CANCEL_REFUND_RETRY_MS: '200',
  });
  operator = await signIn(host, 'op-cancel', ['operator']);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

const TICKET = 20000;
const FEE = 2000 + 360; // 10 % fee + 18 % GST on it

describe('cancellation', () => {
  it('refunds the full ticket price (fees kept) 24 h or more before the show, frees the seats and publishes', async () => {
    const show = await createShow(host, operator, 30);
    const u = await signIn(host, 'cx-full');
    const b = await bookAndPay(host, u, show.showId, ['A1', 'A2']);
    const quote = await api(host, u, 'GET', `/api/bookings/${b.bookingId}/refund-quote`);
    expect(quote.body).toMatchObject({
      cancellable: true,
      refundBp: 10000,
      whole: true,
      refund: { minor: 2 * TICKET },
      feesKept: { minor: 2 * FEE },
    });

    const r = await api(
      host,
      u,
      'POST',
      `/api/bookings/${b.bookingId}/cancel`,
      {},
      { 'idempotency-key': randomUUID() },
    );
    expect([200, 202]).toContain(r.status);
    const done = await waitForBooking(host, u, b.bookingId, statusIs('cancelled'));
    expect(done.cancellations[0]).toMatchObject({
      status: 'completed',
      refund: { minor: 2 * TICKET },
      refundId: expect.stringMatching(/^re_/),
    });
    const events = await waitForEvents(host, b.bookingId, ['booking.cancelled', 'refund.issued']);
    expect(events.find((e) => e.body.type === 'refund.issued')!.body.data.refund.minor).toBe(2 * TICKET);
    // The seats are free at once, and the cancelled tickets no longer admit.
    const other = await signIn(host, 'cx-full-next');
    expect((await book(host, other, { showId: show.showId, seatIds: ['A1', 'A2'] })).status).toBe(201);
  });

  it('refunds half between 4 and 24 h before the show, and cancels part of a booking', async () => {
    const show = await createShow(host, operator, 10);
    const u = await signIn(host, 'cx-half');
    const b = await bookAndPay(host, u, show.showId, ['B1', 'B2', 'B3']);
    const quote = await api(host, u, 'GET', `/api/bookings/${b.bookingId}/refund-quote?seatIds=B3`);
    expect(quote.body).toMatchObject({
      cancellable: true,
      refundBp: 5000,
      whole: false,
      seatIds: ['B3'],
      refund: { minor: TICKET / 2 },
      remainingSeatIds: ['B1', 'B2'],
    });

    const key = randomUUID();
    const r = await api(
      host,
      u,
      'POST',
      `/api/bookings/${b.bookingId}/cancel`,
      { seatIds: ['B3'] },
      { 'idempotency-key': key },
    );
    expect([200, 202]).toContain(r.status);
    const after = await waitForBooking(
      host,
      u,
      b.bookingId,
      (x) => x.status === 'confirmed' && x.cancelledSeatIds.includes('B3'),
    );
    expect(after.seatIds).toEqual(['B1', 'B2']);
    expect(after.price.total.minor).toBe(2 * (TICKET + FEE));
    // Same key, same body: the same cancellation; same key, other seats: 422.
    const again = await api(
      host,
      u,
      'POST',
      `/api/bookings/${b.bookingId}/cancel`,
      { seatIds: ['B3'] },
      { 'idempotency-key': key },
    );
    expect(again.status).toBe(200);
    expect(again.body.cancellation.id).toBe(r.body.cancellation.id);
    const conflict = await api(
      host,
      u,
      'POST',
      `/api/bookings/${b.bookingId}/cancel`,
      { seatIds: ['B1'] },
      { 'idempotency-key': key },
    );
    expect(conflict.status).toBe(422);
    const tickets = await api(host, u, 'GET', `/api/bookings/${b.bookingId}/tickets`);
    expect(tickets.body.tickets.map((t: { seatId: string; status: string }) => `${t.seatId}:${t.status}`)).toEqual([
      'B1:valid',
      'B2:valid',
      'B3:void',
    ]);
  });

  it('refuses under 4 h before the show with the reason', async () => {
    const show = await createShow(host, operator, 2);
    const u = await signIn(host, 'cx-late');
    const b = await bookAndPay(host, u, show.showId, ['C1']);
    const quote = await api(host, u, 'GET', `/api/bookings/${b.bookingId}/refund-quote`);
    expect(quote.body).toMatchObject({ cancellable: false, reason: 'TOO_LATE' });
    const r = await api(host, u, 'POST', `/api/bookings/${b.bookingId}/cancel`, {});
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'CANCELLATION_TOO_LATE', reason: 'TOO_LATE' });
    expect(r.body.detail).toMatch(/4 hours/);
    expect((await api(host, u, 'GET', `/api/bookings/${b.bookingId}`)).body.status).toBe('confirmed');
  });

  it('ends refund_failed when the refund keeps failing; an operator sees it and retries it to the end', async () => {
    const show = await createShow(host, operator, 48);
    const u = await signIn(host, 'cx-fail');
    // The provider fails this payment's first two refunds: exactly the saga's two attempts.
    const b = await bookAndPay(host, u, show.showId, ['D1'], { refundFailures: '2' });
    await api(host, u, 'POST', `/api/bookings/${b.bookingId}/cancel`, {});
    const failed = await waitForBooking(host, u, b.bookingId, statusIs('refund_failed'));
    expect(failed.cancellations[0].status).toBe('refund_failed');
    await waitForEvents(host, b.bookingId, ['refund.failed']);

    const list = await api(host, operator, 'GET', '/api/ops/bookings?status=refund_failed');
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { bookingId: string }) => x.bookingId)).toContain(b.bookingId);
    expect((await api(host, u, 'GET', '/api/ops/bookings?status=refund_failed')).status).toBe(403);

    const retry = await api(host, operator, 'POST', `/api/ops/bookings/${b.bookingId}/retry-refund`);
    expect([200, 202]).toContain(retry.status);
    const done = await waitForBooking(host, u, b.bookingId, statusIs('cancelled'));
    expect(done.history.map((h: { event: string }) => h.event)).toEqual(
      expect.arrayContaining(['refundFailed', 'refundRetried', 'refundIssued', 'refunded']),
    );
    await waitForEvents(host, b.bookingId, ['booking.cancelled', 'refund.issued']);
    expect((await api(host, operator, 'POST', `/api/ops/bookings/${b.bookingId}/retry-refund`)).status).toBe(409);
  });
});
