// A hot show's sell-out with and without the waiting room, over HTTP against one local host
// (docs/architecture.md, Waiting room; the "far fewer 409s per successful booking"). BUYERS
// each want two seats of a show of ROWS × 10 seats. They pick seats the way people click a seat map:
// two free seats of one row at random, from a map that is a second old (the seat map's cache,
// max-age=1); a refused hold (409) makes them look again and pick others, up to MAX_TRIES times.
//
// Without the room every buyer arrives at the opening, ARRIVAL_GAP_MS apart, and tries at once.
// With it, every buyer joins before the opening; the room admits SELL_RATE a minute in a random
// order, and each buyer books when their poll (every POLL_MS) says admitted.
//
// Reported per run: holds made, seats sold of the show, 409s and 409s per successful booking, tries
// per buyer (p50/p99/max), buyers overtaken (refused in the end while a buyer behind them in line —
// arrival order without the room, queue place with it — got seats), seats sold twice (must be 0)
// and the time to sell out.
import { randomUUID } from 'node:crypto';
import { tokenFor } from '../../test/support/tokens.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SellOutOptions {
  origin: string;
  buyers: number;
  rows: number;
  sellRatePerMinute: number;
  maxTries: number;
  arrivalGapMs: number;
  pollMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

/** Requests that did not reach the host (refused or reset connections under the storm), retried. */
let networkErrors = 0;

async function call(origin: string, token: string, method: string, path: string, body?: unknown, headers = {}) {
  for (let i = 0; ; i++) {
    try {
      return await send(origin, token, method, path, body, headers);
    } catch (err) {
      if (i >= 5) throw err;
      networkErrors++;
      await sleep(500 * (i + 1));
    }
  }
}

async function send(origin: string, token: string, method: string, path: string, body?: unknown, headers = {}) {
  const res = await fetch(origin + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
}

/** A venue with one screen of `rows` rows of ten and a show on it tomorrow: its id and seat ids by row. */
async function createShow(
  origin: string,
  operator: string,
  rows: number,
): Promise<{ showId: string; rows: string[][] }> {
  // Row labels are upper-case letters: A…Z, then AA, AB, …
  const letter = (n: number) => String.fromCharCode(65 + n);
  const labels = Array.from({ length: rows }, (_, i) =>
    i < 26 ? letter(i) : letter(Math.floor(i / 26) - 1) + letter(i % 26),
  );
  const movie = await call(origin, operator, 'POST', '/api/movies', {
    kind: 'event',
    title: `Sell-out ${randomUUID().slice(0, 8)}`,
    genres: ['Music'],
    languages: ['English'],
    formats: ['2D'],
    certificate: 'U',
    durationMinutes: 120,
    releaseDate: '2026-01-01',
  });
  const venue = await call(origin, operator, 'POST', '/api/venues', {
    city: 'blr',
    name: `Sell-out arena ${randomUUID().slice(0, 8)}`,
    address: 'Bench Road',
    screens: [
      {
        id: 's1',
        name: 'Arena',
        formats: ['2D'],
        categories: [{ id: 'floor', name: 'Floor' }],
        rows: labels.map((label) => ({ label, category: 'floor', blocks: [10] })),
      },
    ],
  });
  if (venue.status !== 201) throw new Error(`venue not created: ${venue.status} ${JSON.stringify(venue.body)}`);
  const show = await call(origin, operator, 'POST', '/api/shows', {
    movieId: movie.body.id,
    venueId: venue.body.id,
    screenId: 's1',
    startsAt: new Date(Date.now() + 30 * 3_600_000).toISOString(),
    language: 'English',
    format: '2D',
    prices: { floor: { minor: 500000, currency: 'INR' } },
  });
  if (show.status !== 201) throw new Error(`show not created: ${show.status} ${JSON.stringify(show.body)}`);
  return {
    showId: show.body.id as string,
    rows: labels.map((l) => Array.from({ length: 10 }, (_, i) => `${l}${i + 1}`)),
  };
}

interface Buyer {
  id: string;
  token: string;
  /** Arrival order without the room; queue place (rank) with it. */
  order: number;
  tries: number;
  refused: number;
  seats?: string[];
  bookingId?: string;
}

/** Runs one sell-out; `room` switches the waiting room on for the show first. */
export async function sellOut(o: SellOutOptions, room: boolean, label: string): Promise<Json> {
  networkErrors = 0;
  const operator = await tokenFor(o.origin, { sub: `sellout-ops-${label}`, roles: ['operator'] });
  const { showId, rows } = await createShow(o.origin, operator, o.rows);
  const seatCount = rows.length * 10;
  const buyers: Buyer[] = [];
  for (let i = 0; i < o.buyers; i++) {
    const id = `sellout-${label}-${i}`;
    buyers.push({ id, token: await tokenFor(o.origin, { sub: id }), order: i, tries: 0, refused: 0 });
  }
  // The truth (from 201 answers) and the map buyers see: a second old.
  const takenAt = new Map<string, number>();
  const soldTwice: string[] = [];
  let soldOutAt: number | undefined;
  const view = () => {
    const cutoff = Date.now() - 1000;
    return rows.map((r) => r.filter((s) => !((takenAt.get(s) ?? Infinity) <= cutoff)));
  };
  const soldOut = () => rows.every((r) => r.filter((s) => !takenAt.has(s)).length < 2);
  let conflicts = 0;
  let busy = 0;
  let started = 0;

  const buy = async (b: Buyer, admission?: string) => {
    while (b.tries < o.maxTries) {
      const free = view().filter((r) => r.length >= 2);
      if (!free.length) return; // the map says sold out
      const row = free[Math.floor(Math.random() * free.length)]!;
      const i = Math.floor(Math.random() * row.length);
      const j = (i + 1 + Math.floor(Math.random() * (row.length - 1))) % row.length;
      const pick = [row[i]!, row[j]!];
      b.tries++;
      let r = await call(
        o.origin,
        b.token,
        'POST',
        '/api/bookings',
        { showId, seatIds: pick },
        {
          'idempotency-key': randomUUID(),
          ...(admission ? { 'admission-token': admission } : {}),
        },
      );
      while (r.status === 202) {
        await sleep(250);
        const g = await call(o.origin, b.token, 'GET', `/api/bookings/${r.body.bookingId}`);
        if (g.body.status !== 'pending') r = { status: g.body.status === 'held' ? 201 : 409, body: g.body };
      }
      if (r.status === 201) {
        for (const s of r.body.seatIds as string[]) {
          if (takenAt.has(s)) soldTwice.push(s);
          takenAt.set(s, Date.now());
        }
        b.seats = r.body.seatIds as string[];
        b.bookingId = r.body.bookingId as string;
        if (soldOut() && soldOutAt === undefined) soldOutAt = Date.now();
        return;
      }
      if (r.status === 409) {
        conflicts++;
        b.refused++;
        continue;
      }
      if (r.status === 503 || r.status === 429) {
        // The store was busy (INVENTORY_BUSY) or a limit answered: wait as told, the same try again.
        busy++;
        b.tries--;
        await sleep(500);
        continue;
      }
      throw new Error(`booking answered ${r.status}: ${JSON.stringify(r.body)}`);
    }
  };

  let admittedSeen = 0;
  if (!room) {
    started = Date.now();
    await Promise.all(
      buyers.map(async (b) => {
        await sleep(b.order * o.arrivalGapMs);
        await buy(b);
      }),
    );
  } else {
    const opensAt = Date.now() + 2000 + o.buyers * 20;
    const on = await call(o.origin, operator, 'PUT', `/api/ops/shows/${showId}/waiting-room`, {
      opensAt: new Date(opensAt).toISOString(),
      admitPerMinute: o.sellRatePerMinute,
      admissionMinutes: 5,
      maxTicketsPerUser: 4,
    });
    if (on.status !== 200) throw new Error(`room not switched on: ${on.status} ${JSON.stringify(on.body)}`);
    const tickets = new Map<Buyer, string>();
    for (const b of buyers) {
      const j = await call(o.origin, b.token, 'POST', `/api/shows/${showId}/queue`);
      if (j.status !== 201) throw new Error(`join answered ${j.status}: ${JSON.stringify(j.body)}`);
      tickets.set(b, j.body.ticket as string);
    }
    while (Date.now() < opensAt) await sleep(100);
    started = Date.now();
    await Promise.all(
      buyers.map(async (b) => {
        await sleep(Math.random() * o.pollMs);
        while (!soldOut()) {
          const s = await call(o.origin, b.token, 'GET', `/api/queue/${tickets.get(b)}`);
          if (s.body.rank !== undefined) b.order = s.body.rank as number;
          if (s.body.state === 'admitted') {
            admittedSeen++;
            return buy(b, s.body.admissionToken as string);
          }
          await sleep(o.pollMs);
        }
      }),
    );
  }
  const done = Date.now();
  const won = buyers.filter((b) => b.seats);
  const tried = buyers.filter((b) => b.tries > 0);
  // Overtaken: tried, got nothing, while someone behind them in line got seats.
  const lastWinner = Math.max(-1, ...won.map((b) => b.order));
  const overtaken = tried.filter((b) => !b.seats && b.order < lastWinner).length;
  const seatsSold = takenAt.size;
  // Sold twice: a seat in two bookings that both still hold or bought it, as the store says now. A
  // seat named by two 201s of which one booking has since ended (its payment session could not be
  // made and the saga let the seats go) was sold once, then again.
  const holders = new Map<string, number>();
  let endedAfterHold = 0;
  for (const b of won) {
    const g = await call(o.origin, b.token, 'GET', `/api/bookings/${b.bookingId}`);
    if (!['held', 'paying', 'confirmed'].includes(String(g.body.status))) {
      endedAfterHold++;
      continue;
    }
    for (const seat of g.body.seatIds as string[]) holders.set(seat, (holders.get(seat) ?? 0) + 1);
  }
  const heldTwice = [...holders.values()].filter((n) => n > 1).length;
  return {
    buyers: o.buyers,
    seats: seatCount,
    ...(room ? { admitPerMinute: o.sellRatePerMinute, buyersAdmittedBeforeSoldOut: admittedSeen } : {}),
    buyersWhoTried: tried.length,
    successfulBookings: won.length,
    seatsSold,
    conflicts409: conflicts,
    conflictsPerSuccessfulBooking: won.length ? conflicts / won.length : 0,
    busy503: busy,
    networkErrorsRetried: networkErrors,
    triesPerBuyer: {
      p50: pct(
        tried.map((b) => b.tries),
        50,
      ),
      p99: pct(
        tried.map((b) => b.tries),
        99,
      ),
      max: Math.max(0, ...tried.map((b) => b.tries)),
    },
    gaveUpAfterMaxTries: tried.filter((b) => !b.seats && b.refused >= o.maxTries).length,
    overtakenBuyers: overtaken,
    seatsSoldTwice: heldTwice,
    seatsNamedByTwo201s: soldTwice.length,
    holdsEndedSince: endedAfterHold,
    soldOut: soldOut(),
    secondsToSellOut: soldOutAt ? (soldOutAt - started) / 1000 : undefined,
    seconds: (done - started) / 1000,
  };
}
