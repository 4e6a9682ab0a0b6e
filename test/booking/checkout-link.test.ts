// The booking's payment link while the payment provider is down: POST /api/bookings still answers
// 201 once the seats are held (the provider is not on its path), the link says "not ready, retry"
// instead of hanging, and once the saga gives up the link says there is nothing to pay and the
// seats are free again.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { book, createShow, signIn, startBookingHost, statusIs, waitForBooking, type TestShow } from './helpers.js';

let host: TestHost;
let show: TestShow;

/** A port nothing listens on: the provider is unreachable (connection refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  host = await startBookingHost({
    PAYMENTS_BASE_URL: `http://127.0.0.1:${await closedPort()}/.payments`,
    BOOKING_HOLD_WAIT_MS: '600',
    HOLD_TTL_SECONDS: '60',
  });
  show = await createShow(host, await signIn(host, 'op-link', ['operator']), 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

describe('the payment link while the provider is down', () => {
  it('booking answers 201 on the hold; the link answers 503 + Retry-After, then 409 once the booking failed, and the seats are free', async () => {
    const ana = await signIn(host, 'ana-link');
    const r = await book(host, ana, { showId: show.showId, seatIds: ['A1', 'A2'] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.status).toBe('held');

    const pending = await fetch(r.body.paymentUrl as string, { redirect: 'manual' });
    expect(pending.status).toBe(503);
    expect(pending.headers.get('content-type')).toContain('application/problem+json');
    expect(pending.headers.get('retry-after')).toBe('1');
    expect(await pending.json()).toMatchObject({ code: 'PAYMENT_SESSION_PENDING', retryable: true });

    // The saga retries the provider, then gives up: the booking fails and releases its seats.
    const failed = await waitForBooking(host, ana, r.body.bookingId, statusIs('failed'), 45_000);
    expect(failed.failure.code).toMatch(/^PAYMENT_/);
    const done = await fetch(r.body.paymentUrl as string, { redirect: 'manual' });
    expect(done.status).toBe(409);
    expect(await done.json()).toMatchObject({ code: 'BOOKING_NOT_PAYABLE', bookingStatus: 'failed' });
    const ben = await signIn(host, 'ben-link');
    const again = await book(host, ben, { showId: show.showId, seatIds: ['A1', 'A2'] });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
  }, 60_000);
});
