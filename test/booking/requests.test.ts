// POST /api/bookings as a contract: Idempotency-Key handling, one active booking per show, the
// 50-user race for the same seats, best available, and who may read or cancel a booking.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import {
  api,
  book,
  createShow,
  settled,
  signIn,
  startBookingHost,
  statusIs,
  waitForBooking,
  type Caller,
  type TestShow,
} from './helpers.js';

let host: TestHost;
let operator: Caller;
let show: TestShow;

beforeAll(async () => {
  host = await startBookingHost({ HOLD_TTL_SECONDS: '30' });
  operator = await signIn(host, 'op-req', ['operator']);
  show = await createShow(host, operator, 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

describe('POST /api/bookings', () => {
  it('needs an Idempotency-Key and names the header when it is missing', async () => {
    const u = await signIn(host, 'nokey');
    const r = await book(host, u, { showId: show.showId, seatIds: ['A1'] }, null);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ field: 'headers.idempotency-key', message: 'required' }]);
  });

  it('names bad fields with 400 and needs the customer role', async () => {
    const u = await signIn(host, 'badbody');
    const r = await book(host, u, { showId: show.showId, seatIds: [], extra: 1 });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.seatIds']));
    const unknown = await book(host, u, { showId: show.showId, seatIds: ['Z99'] });
    expect(unknown.status).toBe(400);
    const op = await book(host, operator, { showId: show.showId, seatIds: ['A1'] });
    expect(op.status).toBe(403);
    const anon = await api(
      host,
      undefined,
      'POST',
      '/api/bookings',
      { showId: show.showId, seatIds: ['A1'] },
      { 'idempotency-key': 'k' },
    );
    expect(anon.status).toBe(401);
  });

  it('answers the same booking for the same key and body, 422 for another body, 409 while the first is in flight', async () => {
    const u = await signIn(host, 'idem');
    const key = randomUUID();
    const [a, b] = await Promise.all([
      book(host, u, { showId: show.showId, seatIds: ['A3', 'A4'] }, key),
      book(host, u, { showId: show.showId, seatIds: ['A3', 'A4'] }, key),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const inFlight = a.status === 409 ? a : b;
    expect(inFlight.body.code).toBe('REQUEST_IN_PROGRESS');
    expect(inFlight.headers.get('retry-after')).toBe('1');
    const first = a.status === 201 ? a : b;

    const again = await book(host, u, { seatIds: ['A3', 'A4'], showId: show.showId }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.bookingId).toBe(first.body.bookingId);
    expect(again.body.paymentUrl).toBe(first.body.paymentUrl);

    const other = await book(host, u, { showId: show.showId, seatIds: ['A5'] }, key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_CONFLICT');

    // One active booking per user and show: a new key is refused while the first is unpaid.
    const second = await book(host, u, { showId: show.showId, seatIds: ['A6'] });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('BOOKING_IN_PROGRESS');
    expect(second.body.bookingId).toBe(first.body.bookingId);
  });

  it('does not remember a refusal: the same key succeeds once the seats are free again', async () => {
    const holder = await signIn(host, 'holder');
    const taken = await book(host, holder, { showId: show.showId, seatIds: ['B9', 'B10'] });
    expect(taken.status).toBe(201);
    const u = await signIn(host, 'retrier');
    const key = randomUUID();
    const refused = await book(host, u, { showId: show.showId, seatIds: ['B8', 'B9'] }, key);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('SEATS_UNAVAILABLE');
    expect(refused.body.seats).toEqual(['B9']);
    // The holder lets the seats go (a decline alone keeps them held for a retry within the hold).
    const released = await api(host, holder, 'POST', `/api/bookings/${taken.body.bookingId}/release`);
    expect([200, 202], JSON.stringify(released.body)).toContain(released.status);
    await waitForBooking(host, holder, taken.body.bookingId, statusIs('expired'));
    const retried = await book(host, u, { showId: show.showId, seatIds: ['B8', 'B9'] }, key);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.body.bookingId).toBe(refused.body.bookingId);
  });

  it('picks the best available seats for a quantity and category', async () => {
    const u = await signIn(host, 'best');
    const r = await book(host, u, { showId: show.showId, quantity: 3, category: 'classic' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.seatIds).toHaveLength(3);
    const row = new Set(r.body.seatIds.map((s: string) => s[0]));
    expect(row.size).toBe(1);
  });

  it('gives each of 30 concurrent quantity requests seats while the category has them, and refuses only what it lacks', async () => {
    const rows = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    const big = await createShow(host, operator, 50, 20000, rows);
    const users = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(host, `quantity-${i}`)));
    const results = await Promise.all(
      users.map(async (u, i) =>
        settled(host, u, await book(host, u, { showId: big.showId, quantity: (i % 2) + 2, category: 'classic' })),
      ),
    );
    expect(
      results.map((r) => r.status),
      JSON.stringify(results.filter((r) => r.status !== 201).map((r) => r.body)),
    ).toEqual(results.map(() => 201));
    const seats = results.flatMap((r) => r.body.seatIds as string[]);
    expect(seats).toHaveLength(75);
    expect(new Set(seats).size).toBe(75);
    const late = await signIn(host, 'quantity-late');
    const tooMany = await book(host, late, { showId: big.showId, quantity: 6, category: 'classic' });
    const refused = await settled(host, late, tooMany);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('SEATS_UNAVAILABLE');
    // What is left (5 seats) is still there for a request that fits.
    const fits = await settled(
      host,
      late,
      await book(host, late, { showId: big.showId, quantity: 5, category: 'classic' }),
    );
    expect(fits.status, JSON.stringify(fits.body)).toBe(201);
  });

  it('lets exactly one of 50 users racing for the same seats have them; the rest get SEATS_UNAVAILABLE', async () => {
    const race = await createShow(host, operator, 48);
    const users = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(host, `racer-${i}`)));
    const results = await Promise.all(
      users.map(async (u) =>
        settled(host, u, await book(host, u, { showId: race.showId, seatIds: ['C4', 'C5', 'C6'] })),
      ),
    );
    const winners = results.filter((r) => r.status === 201);
    const losers = results.filter((r) => r.status === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const l of losers) {
      expect(l.body.code).toBe('SEATS_UNAVAILABLE');
      expect(l.body.seats.length).toBeGreaterThan(0);
    }
    // Overlapping requests: exactly the free ones win, no seat twice.
    const more = await Promise.all(
      users
        .slice(0, 20)
        .map(async (u, i) =>
          settled(host, u, await book(host, u, { showId: race.showId, seatIds: [`D${(i % 10) + 1}`] })),
        ),
    );
    const won = more.filter((r) => r.status === 201).map((r) => r.body.seatIds[0]);
    expect(new Set(won).size).toBe(won.length);
    expect(won.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `D${i + 1}`).sort());
  });

  it('keeps bookings private: another user gets 404 reading, listing tickets or cancelling; an operator may read', async () => {
    const a = await signIn(host, 'private-a');
    const b = await signIn(host, 'private-b');
    const r = await book(host, a, { showId: show.showId, seatIds: ['D10'] });
    expect([201, 409]).toContain(r.status);
    const mine = r.status === 201 ? r : await book(host, a, { showId: show.showId, seatIds: ['A10'] });
    const id = mine.body.bookingId as string;
    expect((await api(host, a, 'GET', `/api/bookings/${id}`)).status).toBe(200);
    expect((await api(host, b, 'GET', `/api/bookings/${id}`)).status).toBe(404);
    expect((await api(host, b, 'GET', `/api/bookings/${id}/tickets`)).status).toBe(404);
    expect((await api(host, b, 'POST', `/api/bookings/${id}/cancel`, {})).status).toBe(404);
    expect((await api(host, b, 'GET', `/api/bookings/${id}/refund-quote`)).status).toBe(404);
    const op = await api(host, operator, 'GET', `/api/bookings/${id}`);
    expect(op.status).toBe(200);
    expect(op.body.userId).toBe('private-a');
  });
});
