// Token buckets by key, synchronous and in this process's memory: the edge's rate limits
// (rate-limit.ts) take one token per request, so this runs on every request and is kept to a map
// lookup and a little arithmetic. (rate-limiter-flexible's BurstyRateLimiter, used before, answered
// through promises and two limiters per call: +15 µs per request, 22.7 % of a trivial function in
// bench/http.ts; none of the libraries on npm we looked at offers a synchronous keyed bucket.)
//
// A bucket holds up to `capacity` tokens and gains `perSecond` tokens a second, counted lazily
// when it is next used (no timers). A request is admitted when a whole token is there.
//
// Memory is bounded: a bucket left alone until it is full again is the same as no bucket (a new
// key starts full), so such idle buckets are dropped when a new key arrives and either the map has
// grown to twice its size after the last sweep or a refill time has passed since it (amortised O(1)
// a take; a map that gains no keys does not grow). Past `maxKeys` buckets still in use (many callers at
// once, e.g. one per address in an attack), the longest-known are dropped too: their callers start
// over with a full bucket, which lets them burst once more — bounded memory matters more there.
export interface TokenBucketOptions {
  /** Tokens a full bucket holds: the burst a caller may make after being idle. */
  capacity: number;
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
  /** Most buckets kept (default 100,000; about 100 bytes each). */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was counted, in ms. */
  at: number;
}

const EPSILON = 1e-9;
/** The fewest buckets before a sweep is worth it. */
const MIN_SWEEP_AT = 1024;

export class TokenBuckets {
  readonly capacity: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  /** Idle this long, a bucket is full again. */
  private readonly refillMs: number;
  private readonly maxKeys: number;
  private sweepAt: number;
  private sweptAt = -Infinity;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity >= 1) || !(options.perSecond > 0))
      throw new RangeError('a token bucket needs capacity ≥ 1 and perSecond > 0');
    this.capacity = options.capacity;
    this.perMs = options.perSecond / 1000;
    this.refillMs = options.capacity / this.perMs;
    this.maxKeys = Math.max(1, options.maxKeys ?? 100_000);
    this.sweepAt = Math.min(MIN_SWEEP_AT, this.maxKeys);
  }

  /**
   * Takes one token from `key`'s bucket: 0 when it was there (admitted), otherwise the milliseconds
   * until one will be (nothing is taken then, so a refused caller does not dig itself deeper).
   */
  take(key: string, now: number = Date.now()): number {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.sweepAt || now - this.sweptAt >= this.refillMs) this.sweep(now);
      bucket = { tokens: this.capacity, at: now };
      this.buckets.set(key, bucket);
    } else if (now > bucket.at) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    }
    // EPSILON: refill sums fractions, so a bucket that is exactly one token on paper may hold 0.9999999999.
    if (bucket.tokens >= 1 - EPSILON) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs - EPSILON);
  }

  /** Buckets held now (tests, diagnostics). */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets idle long enough to be full; then, if still at the cap, the longest-known. */
  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= this.refillMs) this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) {
      // Map order is insertion order: the first keys are the longest-known. Keep room for a tenth more.
      let excess = this.buckets.size - Math.floor(this.maxKeys * 0.9);
      for (const key of this.buckets.keys()) {
        if (excess-- <= 0) break;
        this.buckets.delete(key);
      }
    }
    this.sweepAt = Math.min(this.maxKeys, Math.max(MIN_SWEEP_AT, this.buckets.size * 2));
  }
}
