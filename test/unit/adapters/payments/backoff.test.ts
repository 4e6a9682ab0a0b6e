import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../shared/adapters/payments/resilience.js';

describe('backoff', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(200);
  });
});
