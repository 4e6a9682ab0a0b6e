// Feature flags (shared/features/flags.ts): the store's answer when it gives one, cached for the TTL;
// the setting when there is no store, the store does not know the flag, or it fails or is too slow;
// one store call for a burst of reads.
import { describe, expect, it } from 'vitest';
import { FeatureFlags, type FlagStore } from '../../shared/features/flags.js';

function flags(store: FlagStore | undefined, now: { t: number }, fallback = true, errors: unknown[] = []) {
  return new FeatureFlags({
    fallback: { 'recommendations-rail': fallback },
    store,
    timeoutMs: 50,
    cacheMs: 30_000,
    clock: () => now.t,
    onStoreError: (_name, err) => errors.push(err),
  });
}

describe('feature flags', () => {
  it('answers the setting when no store is configured', async () => {
    expect(await flags(undefined, { t: 0 }, false).isEnabled('recommendations-rail')).toBe(false);
    expect(await flags(undefined, { t: 0 }, true).isEnabled('recommendations-rail')).toBe(true);
  });

  it("answers the store's value, caches it for the TTL, and asks once for a burst", async () => {
    let calls = 0;
    let value = false;
    const now = { t: 0 };
    const f = flags(async () => (calls++, value), now);
    expect(await Promise.all([1, 2, 3].map(() => f.isEnabled('recommendations-rail')))).toEqual([false, false, false]);
    expect(calls).toBe(1);
    value = true;
    now.t = 29_999;
    expect(await f.isEnabled('recommendations-rail')).toBe(false);
    now.t = 30_001;
    expect(await f.isEnabled('recommendations-rail')).toBe(true);
    expect(calls).toBe(2);
  });

  it('falls back to the setting for a flag the store does not know', async () => {
    expect(await flags(async () => undefined, { t: 0 }, true).isEnabled('recommendations-rail')).toBe(true);
  });

  it('keeps the last known value (the setting at first) when the store fails or does not answer in time', async () => {
    const errors: unknown[] = [];
    const now = { t: 0 };
    let mode: 'ok' | 'fail' | 'hang' = 'fail';
    const store: FlagStore = (_name, signal) =>
      mode === 'ok'
        ? Promise.resolve(false)
        : mode === 'fail'
          ? Promise.reject(new Error('503'))
          : new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    const f = flags(store, now, true, errors);
    expect(await f.isEnabled('recommendations-rail')).toBe(true);
    mode = 'ok';
    now.t += 31_000;
    expect(await f.isEnabled('recommendations-rail')).toBe(false);
    mode = 'hang';
    now.t += 31_000;
    expect(await f.isEnabled('recommendations-rail')).toBe(false);
    expect(errors).toHaveLength(2);
    expect((errors[1] as Error).name).toBe('TimeoutError');
  });
});
