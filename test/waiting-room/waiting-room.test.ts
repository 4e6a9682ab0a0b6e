// The waiting room end to end through the local host (docs/architecture.md, Waiting room): an
// operator switches it on for two shows of one event; 200 customers join before opening and 20
// after; the early group's places are a random draw, the later group's their arrival order;
// everyone is admitted once, in place order, never faster than the rate; a waiting page hears the
// count fall over Web PubSub; bookings need the user's own, unexpired admission for that show, and
// the per-user ticket cap holds across the event's shows.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { WebPubSubClient } from '@azure/web-pubsub-client';
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
} from '../booking/helpers.js';

const SIGNING_KEY = 'test-waiting-room-key-0123456789abcdef';
const RATE = 1200; // a minute: 20 a second, so 220 people are in within ~12 s
const EARLY = 200;
const LATE = 20;

let host: TestHost;
let operator: Caller;
let show: TestShow;
let other: TestShow;
let opensAt: number;

interface Status {
  state: string;
  position?: number;
  rank?: number;
  admitted: number;
  admissionToken?: string;
  admissionExpiresAt?: string;
}
interface Joined {
  caller: Caller;
  ticket: string;
  order: number;
  rank?: number;
  admittedAt?: number;
  token?: string;
  positions: number[];
}
const early: Joined[] = [];
const late: Joined[] = [];

const status = async (j: Joined) => {
  const r = await api(host, j.caller, 'GET', `/api/queue/${j.ticket}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Status;
};
const until = async (check: () => Promise<boolean>, what: string, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
async function join(caller: Caller, showId: string, order: number): Promise<Joined> {
  const r = await api(host, caller, 'POST', `/api/shows/${showId}/queue`);
  expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
  return { caller, ticket: r.body.ticket as string, order, positions: [] };
}

beforeAll(async () => {
  host = await startBookingHost({
    HOLD_TTL_SECONDS: '120',
    WAITING_ROOM_SIGNING_KEY: SIGNING_KEY,
    WAITING_ROOM_SETTLE_MS: '500',
    WAITING_ROOM_CACHE_MS: '100',
    WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: '100000',
    RATE_LIMIT_BOOKINGS_PER_MINUTE: '1000',
    // Holds decided in the request (201/403/409 at once, not 202) even on a loaded machine: the
    // two-tab and taken-seat cases below read the first answer.
    BOOKING_HOLD_WAIT_MS: '20000',
  });
  operator = await signIn(host, 'wr-operator', ['operator']);
  show = await createShow(host, operator, 48);
  other = await createShow(host, operator, 49);
}, 120_000);

afterAll(() => host?.stop());

describe('the operator switch', () => {
  it('refuses customers and bad settings with problem+json naming the field', async () => {
    const customer = await signIn(host, 'wr-nosy');
    const body = { opensAt: new Date().toISOString(), admitPerMinute: RATE, admissionMinutes: 10 };
    const forbidden = await api(host, customer, 'PUT', `/api/ops/shows/${show.showId}/waiting-room`, body);
    expect(forbidden.status).toBe(403);
    const bad = await api(host, operator, 'PUT', `/api/ops/shows/${show.showId}/waiting-room`, {
      ...body,
      admitPerMinute: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(bad.body.errors)).toContain('body.admitPerMinute');
  });

  it('is off by default: joining a show without a room is refused, booking it needs no admission', async () => {
    const customer = await signIn(host, 'wr-before');
    const r = await api(host, customer, 'POST', `/api/shows/${show.showId}/queue`);
    expect(r.status).toBe(409);
    expect(r.body.code ?? r.body.type).toMatch(/waiting-room-closed|WAITING_ROOM_CLOSED/i);
    expect((await api(host, undefined, 'GET', `/api/shows/${show.showId}/waiting-room`)).body).toEqual({
      showId: show.showId,
      enabled: false,
    });
  });

  it('switches the room on for both shows of the event at once', async () => {
    opensAt = Date.now() + 30_000;
    const r = await api(host, operator, 'PUT', `/api/ops/shows/${show.showId}/waiting-room`, {
      opensAt: new Date(opensAt).toISOString(),
      admitPerMinute: RATE,
      admissionMinutes: 10,
      maxTicketsPerUser: 4,
      alsoShowIds: [other.showId],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rooms.map((x: { showId: string }) => x.showId)).toEqual([show.showId, other.showId]);
    const overview = await api(host, undefined, 'GET', `/api/shows/${show.showId}/waiting-room`);
    expect(overview.body).toMatchObject({ enabled: true, open: false, opensAt: new Date(opensAt).toISOString() });
  });
});

describe('joining and admission', () => {
  it('gives each early joiner one ticket (the same one again) and no place before opening', async () => {
    const callers = await Promise.all(Array.from({ length: EARLY }, (_, i) => signIn(host, `wr-early-${i}`)));
    // Ten at a time; `order` is the order the joins were answered in — what the draw must not follow.
    for (let i = 0; i < EARLY; i += 10)
      await Promise.all(
        callers.slice(i, i + 10).map(async (c) => {
          const j = await join(c, show.showId, 0);
          j.order = early.length;
          early.push(j);
        }),
      );
    const again = await api(host, early[0]!.caller, 'POST', `/api/shows/${show.showId}/queue`);
    expect(again.status).toBe(200);
    expect(again.body.ticket).toBe(early[0]!.ticket);
    const s = await status(early[5]!);
    expect(s).toMatchObject({ state: 'waiting', admitted: 0 });
    expect(s.position).toBeUndefined();
    // Someone else's ticket is no good.
    const stolen = await api(host, early[1]!.caller, 'GET', `/api/queue/${early[0]!.ticket}`);
    expect(stolen.status).toBe(403);
    expect(Date.now()).toBeLessThan(opensAt); // else the test machine is too slow for this test's timing
  }, 120_000);

  it('hears the admitted count live on the show group, and its own admission on the user channel', async () => {
    // Joins after opening go to the back, in arrival order.
    await until(async () => Date.now() > opensAt + 100, 'opening');
    const watcher = early[EARLY - 1]!;
    const negotiate = await api(host, watcher.caller, 'GET', `/api/realtime/negotiate?showId=${show.showId}`);
    expect(negotiate.status).toBe(200);
    const client = new WebPubSubClient(negotiate.body.url as string);
    const counts: number[] = [];
    let admitted = false;
    client.on('group-message', (e) => {
      const m = e.message.data as { type?: string; admitted?: number };
      if (m.type === 'queue') counts.push(m.admitted!);
    });
    client.on('server-message', (e) => {
      if ((e.message.data as { type?: string }).type === 'admitted') admitted = true;
    });
    await client.start();
    try {
      for (let i = 0; i < LATE; i++) late.push(await join(await signIn(host, `wr-late-${i}`), show.showId, EARLY + i));
      // Everyone's place, while the queue moves: positions only fall.
      await until(async () => {
        let allIn = true;
        for (const j of [...early, ...late]) {
          if (j.admittedAt) continue;
          const s = await status(j);
          if (s.state === 'waiting' && s.position !== undefined) {
            j.rank = s.rank;
            j.positions.push(s.position);
          }
          if (s.state === 'admitted') {
            j.rank = s.rank;
            j.admittedAt = Date.parse(s.admissionExpiresAt!) - 10 * 60_000;
            j.token = s.admissionToken;
          } else allIn = false;
        }
        return allIn;
      }, 'everyone admitted');
      await until(async () => admitted, 'the admitted message');
      expect(counts.length).toBeGreaterThan(3);
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
    } finally {
      client.stop();
    }
  }, 180_000);

  it('admitted everyone once, in place order: the early group by a random draw, the later by arrival', async () => {
    const all = [...early, ...late];
    // Ranks seen before admission; a user admitted before their first poll has none: derive from order.
    const byAdmission = [...all].sort((a, b) => a.admittedAt! - b.admittedAt! || (a.rank ?? 0) - (b.rank ?? 0));
    const ranked = all.filter((j) => j.rank !== undefined);
    for (let i = 1; i < byAdmission.length; i++) {
      const [a, b] = [byAdmission[i - 1]!, byAdmission[i]!];
      if (a.rank !== undefined && b.rank !== undefined && a.admittedAt! < b.admittedAt!)
        expect(a.rank).toBeLessThan(b.rank);
    }
    expect(new Set(ranked.map((j) => j.rank)).size).toBe(ranked.length);
    for (const j of ranked)
      for (let i = 1; i < j.positions.length; i++) expect(j.positions[i]).toBeLessThanOrEqual(j.positions[i - 1]!);
    // The later group: after every early joiner, in the order they joined.
    const lateRanks = late.filter((j) => j.rank !== undefined).map((j) => j.rank!);
    expect(lateRanks).toEqual([...lateRanks].sort((a, b) => a - b));
    expect(Math.min(...lateRanks)).toBeGreaterThan(EARLY);
    // The early group: ranks 1..EARLY, uncorrelated with join order (Spearman, 4 sigma).
    const earlyRanked = early.filter((j) => j.rank !== undefined);
    expect(earlyRanked.length).toBeGreaterThan(EARLY * 0.8);
    for (const j of earlyRanked) expect(j.rank).toBeLessThanOrEqual(EARLY);
    const n = earlyRanked.length;
    const orderRank = new Map([...earlyRanked].sort((a, b) => a.order - b.order).map((j, i) => [j, i]));
    const placeRank = new Map([...earlyRanked].sort((a, b) => a.rank! - b.rank!).map((j, i) => [j, i]));
    const d2 = earlyRanked.reduce((s, j) => s + (orderRank.get(j)! - placeRank.get(j)!) ** 2, 0);
    const rho = 1 - (6 * d2) / (n * (n * n - 1));
    expect(Math.abs(rho)).toBeLessThan(4 / Math.sqrt(n - 1));
  });

  it('never admitted more than the rate in a minute, and the operator sees it', async () => {
    const stats = await api(host, operator, 'GET', `/api/ops/shows/${show.showId}/waiting-room`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ queued: EARLY + LATE, admitted: EARLY + LATE, waiting: 0 });
    expect(stats.body.admittedLastMinute).toBeLessThanOrEqual(RATE);
    // Per second, as the ticks admitted: at most one second's share plus one (the carried fraction).
    const perTick = new Map<number, number>();
    for (const j of [...early, ...late]) perTick.set(j.admittedAt!, (perTick.get(j.admittedAt!) ?? 0) + 1);
    const ticks = [...perTick.keys()].sort((a, b) => a - b);
    for (const t of ticks) {
      const inMinute = ticks.filter((x) => x > t - 60_000 && x <= t).reduce((s, x) => s + perTick.get(x)!, 0);
      expect(inMinute).toBeLessThanOrEqual(RATE);
    }
    for (let i = 1; i < ticks.length; i++) {
      const gap = ticks[i]! - ticks[i - 1]!;
      expect(perTick.get(ticks[i]!)!).toBeLessThanOrEqual(Math.ceil((RATE * Math.min(gap, 5000)) / 60_000) + 1);
    }
  });
});

describe('booking a show sold through its waiting room', () => {
  const seats = (n: number, from: number) => show.seats.slice(from, from + n);

  it('refuses without an admission token: 403 ADMISSION_REQUIRED naming how to join', async () => {
    const r = await book(host, early[0]!.caller, { showId: show.showId, seatIds: seats(1, 0) });
    expect(r.status).toBe(403);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.body.type).toMatch(/admission-required$/);
    expect(r.body.joinUrl).toBe(`/api/shows/${show.showId}/queue`);
    const best = await api(host, early[0]!.caller, 'POST', `/api/shows/${show.showId}/best-available`, { count: 2 });
    expect(best.status).toBe(403);
  });

  it("refuses someone else's token, another show's token and an expired one", async () => {
    const [a, b] = [early[0]!, early[1]!];
    const theirs = await book(host, a.caller, { showId: show.showId, seatIds: seats(1, 0) }, undefined);
    expect(theirs.status).toBe(403);
    const withB = await api(
      host,
      a.caller,
      'POST',
      '/api/bookings',
      { showId: show.showId, seatIds: seats(1, 0) },
      {
        'idempotency-key': randomUUID(),
        'admission-token': b.token!,
      },
    );
    expect(withB.status).toBe(403);
    expect(withB.body.type).toMatch(/admission-invalid$/);
    expect(withB.body.detail).toMatch(/another user/);

    // A's admission to the other show of the event, used on this one.
    const j = await join(a.caller, other.showId, 0);
    let otherToken: string | undefined;
    await until(async () => {
      const s = await status(j);
      otherToken = s.admissionToken;
      return s.state === 'admitted';
    }, 'admission to the other show');
    const crossed = await api(
      host,
      a.caller,
      'POST',
      '/api/bookings',
      { showId: show.showId, seatIds: seats(1, 0) },
      {
        'idempotency-key': randomUUID(),
        'admission-token': otherToken!,
      },
    );
    expect(crossed.status).toBe(403);
    expect(crossed.body.detail).toMatch(/another show/);

    // Signed with the real key, for the right user and show, but past its end.
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ show: show.showId, key: '0:0000000000000000' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('marquee')
      .setAudience('marquee:admission')
      .setSubject(a.caller.userId)
      .setIssuedAt(now - 700)
      .setExpirationTime(now - 100)
      .sign(new TextEncoder().encode(SIGNING_KEY));
    const old = await api(
      host,
      a.caller,
      'POST',
      '/api/bookings',
      { showId: show.showId, seatIds: seats(1, 0) },
      {
        'idempotency-key': randomUUID(),
        'admission-token': expired,
      },
    );
    expect(old.status).toBe(403);
    expect(old.body.type).toMatch(/admission-expired$/);
  }, 60_000);

  it('books with a valid token, and holds the ticket cap across the event', async () => {
    const a = early[0]!;
    const ok = await settled(
      host,
      a.caller,
      await api(
        host,
        a.caller,
        'POST',
        '/api/bookings',
        { showId: show.showId, seatIds: seats(3, 0) },
        {
          'idempotency-key': randomUUID(),
          'admission-token': a.token!,
        },
      ),
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    // 3 held here; 2 more on the other show of the event would make 5 > 4.
    const j = await join(a.caller, other.showId, 0);
    const s = await status(j);
    expect(s.state).toBe('admitted');
    const over = await api(
      host,
      a.caller,
      'POST',
      '/api/bookings',
      { showId: other.showId, seatIds: other.seats.slice(0, 2) },
      {
        'idempotency-key': randomUUID(),
        'admission-token': s.admissionToken!,
      },
    );
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ maxTicketsPerUser: 4, held: 3, left: 1 });
    const one = await settled(
      host,
      a.caller,
      await api(
        host,
        a.caller,
        'POST',
        '/api/bookings',
        { showId: other.showId, seatIds: other.seats.slice(0, 1) },
        {
          'idempotency-key': randomUUID(),
          'admission-token': s.admissionToken!,
        },
      ),
    );
    expect(one.status, JSON.stringify(one.body)).toBe(201);
  }, 60_000);

  const withToken = (j: Joined, showId: string, seatIds: string[], key: string = randomUUID(), token = j.token!) =>
    api(
      host,
      j.caller,
      'POST',
      '/api/bookings',
      { showId, seatIds },
      { 'idempotency-key': key, 'admission-token': token },
    );

  it('books once per admission: a second tab gets 403 ADMISSION_USED, the same request replays', async () => {
    const e = early[2]!;
    const key = randomUUID();
    // Two tabs at once, one token: the admission binds to one booking only.
    const [one, two] = await Promise.all([
      withToken(e, show.showId, seats(1, 10), key),
      withToken(e, show.showId, seats(1, 11)),
    ]);
    const statuses = [one.status, two.status].sort();
    expect(statuses, JSON.stringify([one.body, two.body])).toEqual([201, 403].sort());
    const refused = one.status === 403 ? one : two;
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body.type).toMatch(/admission-used$/);
    expect(refused.body.joinUrl).toBe(`/api/shows/${show.showId}/queue`);
    // Later, too: the committed binding is checked, not the token (which is still signed and unexpired).
    const later = await withToken(e, show.showId, seats(1, 12));
    expect(later.status).toBe(403);
    expect(later.body.type).toMatch(/admission-used$/);
    // The request that used it may be sent again (a retry after a lost answer): the same booking.
    if (one.status === 201) {
      const again = await withToken(e, show.showId, seats(1, 10), key);
      expect([200, 201]).toContain(again.status);
      expect(again.body.bookingId).toBe(one.body.bookingId);
    }
  }, 60_000);

  it('keeps the admission when the hold is refused (seats already taken): the buyer picks others', async () => {
    const f = early[3]!;
    // A1 is held by the first booking of this block's predecessor (seats 0–2).
    const taken = await withToken(f, show.showId, seats(1, 0));
    expect(taken.status, JSON.stringify(taken.body)).toBe(409);
    const ok = await settled(host, f.caller, await withToken(f, show.showId, seats(2, 20)));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  }, 60_000);

  it('gives quota back when a booking ends: released seats count no more against the cap', async () => {
    const g = early[4]!;
    const four = await settled(host, g.caller, await withToken(g, show.showId, seats(4, 30)));
    expect(four.status, JSON.stringify(four.body)).toBe(201);
    // A late joiner of the other show: in within a second or two (its rate has room).
    const j = await join(g.caller, other.showId, 0);
    let token: string | undefined;
    await until(async () => {
      const s = await status(j);
      token = s.admissionToken;
      return s.state === 'admitted';
    }, 'admission to the other show');
    const otherToken = { ...j, token: token! };
    const over = await withToken(otherToken, other.showId, other.seats.slice(10, 11));
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'TICKET_LIMIT_REACHED', maxTicketsPerUser: 4, held: 4, left: 0 });
    // Let the four go; once the booking has ended, the ledger gives them back (and the refusal above
    // did not spend the other show's admission).
    const bookingId = four.body.bookingId as string;
    const release = await api(host, g.caller, 'POST', `/api/bookings/${bookingId}/release`, undefined, {
      'idempotency-key': randomUUID(),
    });
    expect([200, 202], JSON.stringify(release.body)).toContain(release.status);
    await waitForBooking(host, g.caller, bookingId, statusIs('expired'), 30_000);
    const after = await settled(host, g.caller, await withToken(otherToken, other.showId, other.seats.slice(10, 13)));
    expect(after.status, JSON.stringify(after.body)).toBe(201);
  }, 90_000);
});
