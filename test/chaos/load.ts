// The load of a chaos run, over real HTTP as users would make it: virtual users book seats (named
// or best available, contended on purpose), pay on the provider's checkout page (its HTML form),
// decline, walk away or pay at the last second, and cancel some confirmed bookings in whole or in
// part. Every request a fault or a host crash breaks is retried the way a client would: the same
// Idempotency-Key, after Retry-After or a growing pause. Deterministic choices per user from the seed.
import { randomUUID } from 'node:crypto';

export interface Answer {
  /** 0 when the host could not be reached or did not answer in time. */
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
}

export interface LoadStats {
  requests: number;
  bookingRequests: number;
  held: number;
  refused: number;
  bookingErrors: number;
  /** The booking errors by answer ("status CODE"), so a run dominated by one cause says which. */
  bookingErrorsBy: Record<string, number>;
  /**
   * Every 5xx answer of any request, retried or not, by "status CODE METHOD route": a fault must
   * answer 503 problem+json with Retry-After (docs/architecture.md, Errors), never 500.
   */
  serverErrorsBy: Record<string, number>;
  /** 5xx answers that were not problem+json, or a 503 without Retry-After, by the same key. */
  malformedErrorsBy: Record<string, number>;
  payments: number;
  declines: number;
  walkedAway: number;
  cancellations: number;
  confirmedSeen: number;
  retries: number;
}

/** What users were told happened: it must survive any fault and any crash. */
export interface Acknowledged {
  /** Bookings a user saw confirmed. */
  confirmed: Set<string>;
  /** Payment sessions whose checkout answered "paid" (303 back to the booking). */
  paidSessions: Set<string>;
}

export const emptyStats = (): LoadStats => ({
  requests: 0,
  bookingRequests: 0,
  held: 0,
  refused: 0,
  bookingErrors: 0,
  bookingErrorsBy: {},
  serverErrorsBy: {},
  malformedErrorsBy: {},
  payments: 0,
  declines: 0,
  walkedAway: 0,
  cancellations: 0,
  confirmedSeen: 0,
  retries: 0,
});

/** A small deterministic generator per user (mulberry32), so a seed replays the same choices. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Client {
  constructor(
    private readonly origin: () => string,
    readonly stats: LoadStats,
  ) {}

  async once(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; form?: boolean } = {},
  ): Promise<Answer> {
    this.stats.requests++;
    const url = path.startsWith('http') ? path : this.origin() + path;
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = options.form ? 'application/x-www-form-urlencoded' : 'application/json';
      body = options.form
        ? new URLSearchParams(options.body as Record<string, string>).toString()
        : JSON.stringify(options.body);
    }
    try {
      const res = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        json = { text };
      }
      if (res.status >= 500) this.countServerError(method, url, res, json);
      return { status: res.status, headers: res.headers, body: json };
    } catch {
      return { status: 0, headers: new Headers(), body: {} };
    }
  }

  private countServerError(method: string, url: string, res: Response, body: Record<string, unknown>): void {
    const key = `${res.status} ${typeof body.code === 'string' ? body.code : '-'} ${method} ${routeOf(url)}`;
    const add = (to: Record<string, number>) => (to[key] = (to[key] ?? 0) + 1);
    add(this.stats.serverErrorsBy);
    const problem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json');
    if (!problem || (res.status === 503 && !res.headers.get('retry-after'))) add(this.stats.malformedErrorsBy);
  }

  /** Retries what a fault or a crash broke (no answer, 5xx, 429) until `until`, as a patient client. */
  async retrying(
    method: string,
    path: string,
    options: Parameters<Client['once']>[2] = {},
    until = Date.now() + 30_000,
  ): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.once(method, path, options);
      const transient = r.status === 0 || r.status === 429 || r.status >= 500;
      if (!transient || Date.now() > until) return r;
      this.stats.retries++;
      const after = Number(r.headers.get('retry-after'));
      await sleep(after > 0 ? Math.min(after, 3) * 1000 : Math.min(3000, 200 * 2 ** attempt));
    }
  }
}

/** The path with its ids left out (a segment that is not all lower-case letters, dots and dashes): a route to count by. */
export function routeOf(url: string): string {
  const path = new URL(url).pathname;
  return path
    .split('/')
    .map((seg) => (seg === '' || /^[a-z.-]+$/.test(seg) ? seg : ':id'))
    .join('/');
}

export interface LoadShow {
  showId: string;
  seats: string[];
}

export interface UserContext {
  client: Client;
  token: string;
  shows: LoadShow[];
  rng: () => number;
  /** Stop starting new bookings after this time. */
  end: number;
  holdTtlMs: number;
  acknowledged: Acknowledged;
}

const FINAL_OR_CONFIRMED = ['confirmed', 'failed', 'expired', 'cancelled'];

/** One user's session: book, then pay / decline / walk away / pay at the last second, maybe cancel. */
export async function userLoop(u: UserContext): Promise<void> {
  const { client, rng, stats } = { ...u, stats: u.client.stats };
  while (Date.now() < u.end) {
    const show = u.shows[Math.floor(rng() * u.shows.length)]!;
    const count = 1 + Math.floor(rng() * 3);
    const start = Math.floor(rng() * (show.seats.length - count));
    const body =
      rng() < 0.2
        ? { showId: show.showId, quantity: count, category: 'classic' }
        : { showId: show.showId, seatIds: show.seats.slice(start, start + count) };
    stats.bookingRequests++;
    const key = randomUUID();
    let r = await client.retrying('POST', '/api/bookings', {
      token: u.token,
      body,
      headers: { 'idempotency-key': key },
    });
    if (r.status === 202) r = await waitFor(u, r.body.bookingId as string, (s) => s !== 'pending');
    if (r.status === 409 || r.body.status === 'failed') {
      stats.refused++;
      continue;
    }
    if ((r.status !== 201 && r.status !== 200) || !r.body.paymentUrl) {
      stats.bookingErrors++;
      const why = `${r.status} ${String(r.body.code ?? (r.body.paymentUrl ? '' : 'no paymentUrl'))}`.trim();
      stats.bookingErrorsBy[why] = (stats.bookingErrorsBy[why] ?? 0) + 1;
      await sleep(200);
      continue;
    }
    stats.held++;
    const booking = r.body;
    const choice = rng();
    if (choice < 0.15) {
      stats.walkedAway++;
      continue;
    }
    if (choice < 0.25) {
      stats.declines++;
      await pay(u, booking.paymentUrl as string, 'decline');
      continue;
    }
    if (choice < 0.35) await sleep(Math.max(0, Date.parse(booking.holdExpiresAt as string) - Date.now() - 1000));
    if (!(await pay(u, booking.paymentUrl as string, 'pay'))) continue;
    stats.payments++;
    const settled = await waitFor(u, booking.bookingId as string, (s) => FINAL_OR_CONFIRMED.includes(s));
    if (settled.body.status !== 'confirmed') continue;
    stats.confirmedSeen++;
    u.acknowledged.confirmed.add(booking.bookingId as string);
    if (rng() < 0.35) {
      const seats = settled.body.seatIds as string[];
      const part = seats.length > 1 && rng() < 0.5 ? { seatIds: [seats[0]] } : {};
      const c = await client.retrying('POST', `/api/bookings/${booking.bookingId}/cancel`, {
        token: u.token,
        body: part,
        headers: { 'idempotency-key': randomUUID() },
      });
      if (c.status < 300) stats.cancellations++;
    }
  }
}

/** Follows the booking's payment link to the provider's checkout page and submits its form. */
async function pay(u: UserContext, paymentUrl: string, action: 'pay' | 'decline'): Promise<boolean> {
  const until = Date.now() + u.holdTtlMs;
  for (;;) {
    const link = await u.client.once('GET', paymentUrl);
    const location = link.headers.get('location');
    if (link.status === 303 && location) {
      const page = new URL(location, paymentUrl).toString();
      const submitted = await u.client.retrying('POST', page, { body: { action }, form: true }, until);
      const session = /\/checkout\/([\w-]+)/.exec(page)?.[1];
      if (submitted.status === 303 && action === 'pay' && session) u.acknowledged.paidSessions.add(session);
      return submitted.status === 303;
    }
    // The session is still being created, or the provider is having a bad moment: try again.
    if (Date.now() > until || (link.status >= 400 && link.status < 500 && link.status !== 404 && link.status !== 409))
      return false;
    u.client.stats.retries++;
    await sleep(300);
  }
}

async function waitFor(u: UserContext, bookingId: string, done: (status: string) => boolean): Promise<Answer> {
  const until = Date.now() + 3 * u.holdTtlMs;
  for (;;) {
    const r = await u.client.retrying('GET', `/api/bookings/${bookingId}`, { token: u.token }, until);
    if ((r.status === 200 && done(String(r.body.status))) || Date.now() > until)
      return { ...r, status: r.body.status === 'failed' ? 409 : r.status };
    await sleep(250);
  }
}
