// The edge's token buckets (shared/http/token-bucket.ts) on an explicit clock: a full bucket's
// burst, refill at the rate, the wait a refusal names, idle buckets dropped without changing any
// answer, memory bounded under many keys; and, for any sequence of requests, never more admitted
// than the burst plus the rate over the time elapsed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../../shared/http/token-bucket.js';

describe('a token bucket', () => {
  it('admits a full burst at once, then refuses, naming the wait until the next token', () => {
    const b = new TokenBuckets({ capacity: 4, perSecond: 2 });
    for (let i = 0; i < 4; i++) expect(b.take('k', 1000)).toBe(0);
    expect(b.take('k', 1000)).toBe(500); // one token at 2/s
    expect(b.take('k', 1200)).toBe(300);
    expect(b.take('k', 1500)).toBe(0);
    expect(b.take('k', 1500)).toBe(500);
  });

  it('refills at its rate up to its capacity, never beyond', () => {
    const b = new TokenBuckets({ capacity: 3, perSecond: 10 });
    for (let i = 0; i < 3; i++) b.take('k', 0);
    let admitted = 0;
    for (let i = 0; i < 10; i++) if (b.take('k', 250) === 0) admitted++;
    expect(admitted).toBe(2); // 250 ms at 10/s = 2.5 tokens
    admitted = 0;
    for (let i = 0; i < 10; i++) if (b.take('k', 60_000) === 0) admitted++;
    expect(admitted).toBe(3); // a minute idle: full, i.e. 3
  });

  it("keeps callers apart: one key's refusals leave another's bucket full", () => {
    const b = new TokenBuckets({ capacity: 2, perSecond: 1 });
    b.take('a', 0);
    b.take('a', 0);
    expect(b.take('a', 0)).toBeGreaterThan(0);
    expect(b.take('b', 0)).toBe(0);
    expect(b.take('b', 0)).toBe(0);
  });

  it('a slow rate names a long wait (bookings: 30 a minute → 2 s a token)', () => {
    const b = new TokenBuckets({ capacity: 30, perSecond: 0.5 });
    for (let i = 0; i < 30; i++) expect(b.take('u', 0)).toBe(0);
    expect(b.take('u', 0)).toBe(2000);
  });

  it('drops buckets idle long enough to be full, without changing any answer', () => {
    const b = new TokenBuckets({ capacity: 2, perSecond: 1 });
    for (let i = 0; i < 2000; i++) b.take(`ip-${i}`, 0);
    expect(b.size).toBeGreaterThan(1000);
    // Two seconds later all of them are full again: the next new key sweeps them away.
    expect(b.take('late', 2000)).toBe(0);
    expect(b.size).toBe(1);
    // A caller still inside its window keeps its (emptied) bucket.
    const c = new TokenBuckets({ capacity: 2, perSecond: 1 });
    c.take('busy', 0);
    c.take('busy', 0);
    for (let i = 0; i < 2000; i++) c.take(`ip-${i}`, 1000);
    expect(c.take('busy', 1000)).toBe(0); // one token back after 1 s, not a fresh bucket of 2
    expect(c.take('busy', 1000)).toBeGreaterThan(0);
  });

  it('holds at most maxKeys buckets however many callers are active at once', () => {
    const b = new TokenBuckets({ capacity: 5, perSecond: 1, maxKeys: 500 });
    for (let i = 0; i < 50_000; i++) {
      b.take(`ip-${i}`, i); // each still far from full when the next arrives
      expect(b.size).toBeLessThanOrEqual(500);
    }
  });

  it('refuses a capacity below one token or a rate of zero', () => {
    expect(() => new TokenBuckets({ capacity: 0, perSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBuckets({ capacity: 1, perSecond: 0 })).toThrow(RangeError);
  });

  it('for any requests over time, admits at most capacity + rate × elapsed per key, and names a wait of at most one token', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), gap: fc.integer({ min: 0, max: 400 }) }), {
          maxLength: 300,
        }),
        (capacity, perSecond, steps) => {
          const b = new TokenBuckets({ capacity, perSecond });
          let now = 0;
          const first = new Map<string, number>();
          const admitted = new Map<string, number>();
          for (const { key, gap } of steps) {
            now += gap;
            if (!first.has(key)) first.set(key, now);
            const wait = b.take(key, now);
            if (wait === 0) admitted.set(key, (admitted.get(key) ?? 0) + 1);
            else expect(wait).toBeLessThanOrEqual(Math.ceil(1000 / perSecond));
          }
          for (const [key, n] of admitted)
            expect(n).toBeLessThanOrEqual(capacity + (perSecond * (now - first.get(key)!)) / 1000 + 1e-6);
        },
      ),
    );
  });

  it('with room for every key, admits exactly what a simulation of the bucket admits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 200 }),
        (capacity, perSecond, gaps) => {
          const b = new TokenBuckets({ capacity, perSecond });
          // Reference: the textbook bucket in exact arithmetic (tokens in thousandths).
          let tokens = capacity * 1000;
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            tokens = Math.min(capacity * 1000, tokens + gap * perSecond);
            const expectAdmit = tokens >= 1000;
            if (expectAdmit) tokens -= 1000;
            const wait = b.take('k', now);
            expect(wait === 0).toBe(expectAdmit);
            // The wait, to the millisecond (floating point may round the last one either way).
            if (!expectAdmit) expect(Math.abs(wait - Math.ceil((1000 - tokens) / perSecond))).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});
