// Rate limits at the HTTP edge, as defence in depth behind API Management's (infra/terraform/apim.tf
// holds the same numbers): a token bucket per signed-in user, one per client IP for calls without a
// verified token, and a stricter one per user for starting bookings. A caller over a limit gets 429
// problem+json with Retry-After (docs/architecture.md, Security). The buckets (token-bucket.ts) are
// synchronous and in this process's memory — each instance limits on its own, which is what a
// second line of defence needs; the shared, exact limit is the gateway's. Synchronous matters: this
// runs before every handler, and a request whose caller is known costs no promise here.
import type { HttpRequest } from '@azure/functions';
import { UserError } from '../errors.js';
import { TokenBuckets } from './token-bucket.js';

export interface RateLimitSettings {
  /** Requests per second for one signed-in user. */
  userPerSecond: number;
  /** Requests per second for one client IP without a verified token. */
  anonymousPerSecond: number;
  /** `POST /api/bookings` per minute for one user. */
  bookingsPerMinute: number;
  /** `POST /api/shows/{showId}/queue` per minute from one client address (bots joining as many users). */
  queueJoinsPerIpPerMinute: number;
  /**
   * Proxies in front of the app that append to X-Forwarded-For (API Management: 1). The client's
   * address is the entry that many places from the right; entries further left are the client's word.
   */
  proxyHops: number;
}

/** Which bucket a route draws from besides the caller's own. */
export type RouteLimit = 'bookings' | 'queue-join';

/** Burst on top of the steady rate: a full bucket holds this many seconds' worth more than one second's. */
const BURST_SECONDS = 1;

export class RateLimits {
  private readonly user: TokenBuckets;
  private readonly anonymous: TokenBuckets;
  private readonly bookings: TokenBuckets;
  private readonly queueJoins: TokenBuckets;

  constructor(
    private readonly settings: RateLimitSettings,
    /** The user of a bearer header, or undefined when it is not valid (synchronous once verified). */
    private readonly userOf: (authorization: string) => string | undefined | Promise<string | undefined>,
  ) {
    const steady = (perSecond: number) => new TokenBuckets({ capacity: perSecond * (1 + BURST_SECONDS), perSecond });
    this.user = steady(settings.userPerSecond);
    this.anonymous = steady(settings.anonymousPerSecond);
    // A minute's allowance at once, then one every 60/n s.
    this.bookings = new TokenBuckets({
      capacity: settings.bookingsPerMinute,
      perSecond: settings.bookingsPerMinute / 60,
    });
    this.queueJoins = new TokenBuckets({
      capacity: settings.queueJoinsPerIpPerMinute,
      perSecond: settings.queueJoinsPerIpPerMinute / 60,
    });
  }

  /**
   * The verdict now when the caller is known now (the usual case): undefined when admitted, the
   * RATE_LIMITED error (429, Retry-After) when not; a promise of either while a new token is verified.
   * The caller is the user of a valid token (verified once per token and instance, then
   * remembered), otherwise the client IP — so a forged token draws from its address's smaller bucket.
   * A call without a bearer header (most of them: search, seat maps) allocates nothing here.
   */
  check(
    req: HttpRequest,
    route?: RouteLimit,
  ): UserError<'RATE_LIMITED'> | undefined | Promise<UserError<'RATE_LIMITED'> | undefined> {
    const authorization = req.headers.get('authorization');
    const user = authorization ? this.userOf(authorization) : undefined;
    if (user === undefined) return this.takeAnonymous(req, route);
    if (typeof user === 'string') return this.takeUser(req, user, route);
    return user.then((userId) =>
      userId !== undefined ? this.takeUser(req, userId, route) : this.takeAnonymous(req, route),
    );
  }

  /** Resolves when the request may go on; rejects with RATE_LIMITED (429, Retry-After) when not. */
  async admit(req: HttpRequest, route?: RouteLimit): Promise<void> {
    const refusal = await this.check(req, route);
    if (refusal) throw refusal;
  }

  private takeAnonymous(req: HttpRequest, route: RouteLimit | undefined): UserError<'RATE_LIMITED'> | undefined {
    const now = Date.now();
    const ip = clientIp(req, this.settings.proxyHops);
    if (route === 'queue-join') {
      const joinWait = this.queueJoins.take(ip, now);
      if (joinWait) return limited(joinWait, false);
    }
    const wait = this.anonymous.take(ip, now);
    return wait ? limited(wait, false) : undefined;
  }

  private takeUser(
    req: HttpRequest,
    userId: string,
    route: RouteLimit | undefined,
  ): UserError<'RATE_LIMITED'> | undefined {
    const now = Date.now();
    if (route === 'queue-join') {
      // By address whoever the caller is: one machine joining the queue as many accounts.
      const joinWait = this.queueJoins.take(clientIp(req, this.settings.proxyHops), now);
      if (joinWait) return limited(joinWait, false);
    }
    const wait = this.user.take(userId, now);
    if (wait) return limited(wait, false);
    if (route !== 'bookings') return undefined;
    const bookingsWait = this.bookings.take(userId, now);
    return bookingsWait ? limited(bookingsWait, true) : undefined;
  }
}

function limited(waitMs: number, bookings: boolean): UserError<'RATE_LIMITED'> {
  return new UserError('RATE_LIMITED', {
    detail: bookings
      ? 'Too many booking requests from this account; wait a little before trying again.'
      : 'Too many requests; slow down and try again shortly.',
    retryAfter: Math.max(1, Math.ceil(waitMs / 1000)),
  });
}

/** The client's address: X-Forwarded-For's entry `hops` from the right (port dropped), or "unknown". */
export function clientIp(req: HttpRequest, hops: number): string {
  return ipOf(req.headers.get('x-forwarded-for'), hops);
}

// The last header parsed and its answer: consecutive requests from one client (or through one
// proxy chain) carry the same X-Forwarded-For, so most requests skip the split and the patterns —
// this runs before every handler (bench/http.ts measures it).
let lastForwarded: string | undefined;
let lastHops = -1;
let lastIp = 'unknown';

function ipOf(forwarded: string | null, hops: number): string {
  if (!forwarded) return 'unknown';
  if (forwarded === lastForwarded && hops === lastHops) return lastIp;
  const ip = parseForwarded(forwarded, hops);
  lastForwarded = forwarded;
  lastHops = hops;
  lastIp = ip;
  return ip;
}

function parseForwarded(forwarded: string, hops: number): string {
  const entries = forwarded.split(',');
  const entry = (entries[Math.max(0, entries.length - 1 - hops)] ?? '').trim();
  // "1.2.3.4:5678" (Azure adds the port) → "1.2.3.4"; "[::1]:5678" → "::1"; a bare IPv6 stays.
  const bracketed = /^\[([^\]]+)\]/.exec(entry);
  if (bracketed) return bracketed[1]!;
  return /^[\d.]+:\d+$/.test(entry) ? entry.slice(0, entry.lastIndexOf(':')) : entry || 'unknown';
}
