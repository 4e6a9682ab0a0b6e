// The waiting room across app instances (docs/architecture.md, Waiting room: pacing across
// instances): two local hosts — two Function App instances — against one Cosmos database, each
// running its own admitter timer and serving joins, polls and bookings. The admission cursor is
// one document moved under its ETag, so the two admitters together keep to the one rate and admit
// nobody twice; the booking outcomes each instance sees reach the admitter whichever instance runs
// the tick (pressure documents per instance), so the operator's figures and the slow-down are the
// whole app's; an admission used on one instance is used on the other.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { api, createShow, settled, signIn, startBookingHost, type Caller, type TestShow } from '../booking/helpers.js';

const SIGNING_KEY = 'test-waiting-room-key-instances-0123456789';
const RATE = 120; // two a second: twenty people are in within ~10 s
const USERS = 20;
const ADMISSION_MINUTES = 10;

let a: TestHost;
let b: TestHost;
let show: TestShow;
let operator: Caller;
/** The same operator signed in on B (each local host has its own identity provider). */
let operatorOnB: Caller;

interface Queued {
  userId: string;
  on: { a: Caller; b: Caller };
  ticket: string;
  token?: string;
  /** The tick that admitted them (the admission's start). */
  admittedAt?: number;
  rank?: number;
}
const queued: Queued[] = [];

const until = async (check: () => Promise<boolean>, what: string, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

beforeAll(async () => {
  const database = `wrinst${randomUUID().slice(0, 8)}`;
  const env = {
    COSMOS_DATABASE: database,
    HOLD_TTL_SECONDS: '120',
    WAITING_ROOM_SIGNING_KEY: SIGNING_KEY,
    WAITING_ROOM_SETTLE_MS: '500',
    WAITING_ROOM_CACHE_MS: '100',
    WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: '100000',
    RATE_LIMIT_BOOKINGS_PER_MINUTE: '1000',
    // A hold decided after the wait answers 202 and counts as held, not as a conflict
    // (functions/bookings.ts): on a loaded machine the refusals below must still be decided in the request.
    BOOKING_HOLD_WAIT_MS: '20000',
  };
  // One after the other: the first creates the database, the second joins it.
  a = await startBookingHost(env);
  b = await startBookingHost(env);
  operator = await signIn(a, 'wri-operator', ['operator']);
  operatorOnB = await signIn(b, 'wri-operator', ['operator']);
  show = await createShow(a, operator, 48);
}, 150_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('two app instances, one store', () => {
  it('queue on either instance: one order, admitted once each at the one rate', async () => {
    const opensAt = Date.now() + 6_000;
    const r = await api(a, operator, 'PUT', `/api/ops/shows/${show.showId}/waiting-room`, {
      opensAt: new Date(opensAt).toISOString(),
      admitPerMinute: RATE,
      admissionMinutes: ADMISSION_MINUTES,
      maxTicketsPerUser: 2,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    for (let i = 0; i < USERS; i++) {
      const userId = `wri-${i}`;
      const on = { a: await signIn(a, userId), b: await signIn(b, userId) };
      // Half join through each instance.
      const [host, caller] = i % 2 ? [b, on.b] : [a, on.a];
      const joined = await api(host, caller, 'POST', `/api/shows/${show.showId}/queue`);
      expect(joined.status, JSON.stringify(joined.body)).toBe(201);
      queued.push({ userId, on, ticket: joined.body.ticket as string });
    }
    // Everyone polls through the other instance than the one they joined on, then through both.
    await until(async () => {
      let allIn = true;
      for (const [i, q] of queued.entries()) {
        if (q.admittedAt) continue;
        const [host, caller] = i % 2 ? [a, q.on.a] : [b, q.on.b];
        const s = await api(host, caller, 'GET', `/api/queue/${q.ticket}`);
        expect(s.status, JSON.stringify(s.body)).toBe(200);
        if (s.body.state === 'admitted') {
          q.token = s.body.admissionToken as string;
          q.admittedAt = Date.parse(s.body.admissionExpiresAt as string) - ADMISSION_MINUTES * 60_000;
          q.rank = s.body.rank as number | undefined;
        } else allIn = false;
      }
      return allIn;
    }, 'everyone admitted');

    // Both instances answer the same place and admission for a ticket.
    for (const q of queued.slice(0, 4)) {
      const [sa, sb] = await Promise.all([
        api(a, q.on.a, 'GET', `/api/queue/${q.ticket}`),
        api(b, q.on.b, 'GET', `/api/queue/${q.ticket}`),
      ]);
      expect(sa.body.state).toBe('admitted');
      expect(sb.body.admissionExpiresAt).toBe(sa.body.admissionExpiresAt);
      expect(sb.body.rank).toBe(sa.body.rank);
    }
    // Admitted once each: the cursor counts exactly the queue (two admitters picking the same people would count more).
    const stats = await api(b, operatorOnB, 'GET', `/api/ops/shows/${show.showId}/waiting-room`);
    expect(stats.body).toMatchObject({ queued: USERS, admitted: USERS, waiting: 0 });
    // One rate for both admitters: between any two ticks no more than the rate earned, plus the
    // fraction carried (two uncoordinated admitters would each admit at the full rate).
    const ticks = [...new Set(queued.map((q) => q.admittedAt!))].sort((x, y) => x - y);
    const count = (t: number) => queued.filter((q) => q.admittedAt === t).length;
    expect(ticks[0]).toBeGreaterThanOrEqual(opensAt);
    for (let i = 0; i < ticks.length; i++)
      for (let j = i + 1; j < ticks.length; j++) {
        const admitted = ticks.slice(i + 1, j + 1).reduce((n, t) => n + count(t), 0);
        expect(admitted).toBeLessThanOrEqual(Math.floor((RATE * (ticks[j]! - ticks[i]!)) / 60_000) + 2);
      }
    // And in place order, whichever instance admitted them.
    const byRank = queued.filter((q) => q.rank !== undefined).sort((x, y) => x.rank! - y.rank!);
    for (let i = 1; i < byRank.length; i++)
      expect(byRank[i]!.admittedAt!).toBeGreaterThanOrEqual(byRank[i - 1]!.admittedAt!);
  }, 120_000);

  it('an admission used on one instance is used on the other', async () => {
    const q = queued[0]!;
    const first = await settled(
      a,
      q.on.a,
      await api(
        a,
        q.on.a,
        'POST',
        '/api/bookings',
        { showId: show.showId, seatIds: [show.seats[0]] },
        { 'idempotency-key': randomUUID(), 'admission-token': q.token! },
      ),
    );
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await api(
      b,
      q.on.b,
      'POST',
      '/api/bookings',
      { showId: show.showId, seatIds: [show.seats[1]] },
      { 'idempotency-key': randomUUID(), 'admission-token': q.token! },
    );
    expect(second.status).toBe(403);
    expect(second.body.code).toBe('ADMISSION_USED');
  }, 60_000);

  it("one instance's seat conflicts slow the shared admitter and show in the other's operator figures", async () => {
    // Eleven admitted buyers on instance B all want the seat booked above, at once (the slow-down
    // judges outcomes gathered within 30 s): each hold is refused.
    const refused = await Promise.all(
      queued
        .slice(1, 12)
        .map(async (q) =>
          settled(
            b,
            q.on.b,
            await api(
              b,
              q.on.b,
              'POST',
              '/api/bookings',
              { showId: show.showId, seatIds: [show.seats[0]] },
              { 'idempotency-key': randomUUID(), 'admission-token': q.token! },
            ),
          ),
        ),
    );
    for (const r of refused) expect(r.status, JSON.stringify(r.body)).toBe(409);
    // A's operator sees B's outcomes (B writes them at most a second apart; the admitter reads them).
    let stats: Record<string, number> = {};
    await until(
      async () => {
        stats = (await api(a, operator, 'GET', `/api/ops/shows/${show.showId}/waiting-room`)).body;
        return stats.bookingConflicts! >= 11 && stats.slowdowns! >= 1;
      },
      'the slow-down',
      30_000,
    );
    expect(stats.bookingsWithAdmission).toBeGreaterThanOrEqual(1);
    expect(stats.bookingAttempts).toBeGreaterThanOrEqual(12);
    expect(stats.instances).toBe(2);
  }, 90_000);
});
