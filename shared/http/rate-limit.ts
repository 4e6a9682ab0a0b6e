// Rate limits at the HTTP edge, as defence in depth behind API Management's (infra/terraform/apim.tf
// holds the same numbers): a token bucket per signed-in user, one per client IP for calls without a
// verified token, and a stricter one per user for starting bookings. A caller over a limit gets 429
// problem+json with Retry-After (docs/architecture.md, Security). The buckets are
// rate-limiter-flexible's: a steady limiter refilled every second with a burst allowance behind it
// (BurstyRateLimiter), in this process's memory — each instance limits on its own, which is what a
// second line of defence needs; the shared, exact limit is the gateway's.
import type { HttpRequest } from '@azure/functions';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { UserError } from '../errors.js';

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

/** Who is calling: the user of a valid bearer token, otherwise the client's address. */
export type Caller = { userId: string } | { ip: string };

/** Extra burst on top of the steady rate: this many seconds' worth, spread over BURST_WINDOW_SECONDS. */
const BURST_SECONDS = 1;
const BURST_WINDOW_SECONDS = 10;

function bucket(prefix: string, perSecond: number): BurstyRateLimiter {
  return new BurstyRateLimiter(
    new RateLimiterMemory({ keyPrefix: prefix, points: perSecond, duration: 1 }),
    new RateLimiterMemory({
      keyPrefix: `${prefix}-burst`,
      points: perSecond * BURST_SECONDS,
      duration: BURST_WINDOW_SECONDS,
    }),
  );
}

export class RateLimits {
  private readonly user: BurstyRateLimiter;
  private readonly anonymous: BurstyRateLimiter;
  private readonly bookings: RateLimiterMemory;
  private readonly queueJoins: RateLimiterMemory;

  constructor(
    private readonly settings: RateLimitSettings,
    /** The user of a bearer header, or undefined when it is not valid (synchronous once verified). */
    private readonly userOf: (authorization: string) => string | undefined | Promise<string | undefined>,
  ) {
    this.user = bucket('user', settings.userPerSecond);
    this.anonymous = bucket('ip', settings.anonymousPerSecond);
    this.bookings = new RateLimiterMemory({ keyPrefix: 'bookings', points: settings.bookingsPerMinute, duration: 60 });
    this.queueJoins = new RateLimiterMemory({
      keyPrefix: 'queue-join',
      points: settings.queueJoinsPerIpPerMinute,
      duration: 60,
    });
  }

  /**
   * The caller: the user of a valid token (verified once per token and instance, then remembered),
   * otherwise the client IP — so a forged token draws from its address's smaller bucket.
   */
  callerOf(req: HttpRequest): Caller | Promise<Caller> {
    const authorization = req.headers.get('authorization');
    const user = authorization ? this.userOf(authorization) : undefined;
    if (typeof user === 'string') return { userId: user };
    if (user === undefined) return { ip: clientIp(req, this.settings.proxyHops) };
    return user.then((userId) => (userId !== undefined ? { userId } : { ip: clientIp(req, this.settings.proxyHops) }));
  }

  /** Resolves when the request may go on; rejects with RATE_LIMITED (429, Retry-After) when not. */
  async admit(req: HttpRequest, route?: RouteLimit): Promise<void> {
    const caller = await this.callerOf(req);
    try {
      // By address whoever the caller is: one machine joining the queue as many accounts.
      if (route === 'queue-join') await this.queueJoins.consume(clientIp(req, this.settings.proxyHops));
      if ('userId' in caller) {
        await this.user.consume(caller.userId);
        if (route === 'bookings') await this.bookings.consume(caller.userId);
      } else {
        await this.anonymous.consume(caller.ip);
      }
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw limited(rejection, route === 'bookings' && 'userId' in caller);
    }
  }
}

function limited(res: RateLimiterRes, bookings: boolean): UserError<'RATE_LIMITED'> {
  return new UserError('RATE_LIMITED', {
    detail: bookings
      ? 'Too many booking requests from this account; wait a little before trying again.'
      : 'Too many requests; slow down and try again shortly.',
    retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });
}

/** The client's address: X-Forwarded-For's entry `hops` from the right (port dropped), or "unknown". */
export function clientIp(req: HttpRequest, hops: number): string {
  const forwarded = req.headers.get('x-forwarded-for');
  if (!forwarded) return 'unknown';
  const entries = forwarded.split(',');
  const entry = (entries[Math.max(0, entries.length - 1 - hops)] ?? '').trim();
  // "1.2.3.4:5678" (Azure adds the port) → "1.2.3.4"; "[::1]:5678" → "::1"; a bare IPv6 stays.
  const bracketed = /^\[([^\]]+)\]/.exec(entry);
  if (bracketed) return bracketed[1]!;
  return /^[\d.]+:\d+$/.test(entry) ? entry.slice(0, entry.lastIndexOf(':')) : entry || 'unknown';
}
