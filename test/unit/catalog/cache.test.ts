// TtlCache (shared/catalog/cache.ts): single-flight loading, and with a stale window the old value
// is answered at once while one reload runs, so an expiry never holds requests up.
import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../shared/catalog/cache.js';

/** A load the test resolves or rejects by hand, counting how often it was started. */
function loads<V>() {
  const started: { resolve: (v: V) => void; reject: (e: Error) => void }[] = [];
  const load = () =>
    new Promise<V>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { load, started };
}

describe('TtlCache', () => {
  it('shares one load between concurrent misses and serves the value until the TTL runs out', async () => {
    let now = 0;
    const cache = new TtlCache<string, number>(1_000, 10, () => now);
    const { load, started } = loads<number>();
    const a = cache.get('k', load);
    const b = cache.get('k', load);
    expect(started).toHaveLength(1);
    started[0]!.resolve(1);
    expect([await a, await b]).toEqual([1, 1]);
    now = 999;
    expect(await cache.get('k', load)).toBe(1);
    now = 1_000;
    const c = cache.get('k', load);
    expect(started).toHaveLength(2);
    started[1]!.resolve(2);
    expect(await c).toBe(2);
  });

  it('without a stale window, callers wait for the reload after expiry', async () => {
    let now = 0;
    const cache = new TtlCache<string, number>(1_000, 10, () => now);
    const { load, started } = loads<number>();
    const first = cache.get('k', load);
    started[0]!.resolve(1);
    await first;
    now = 1_500;
    let settled = false;
    const waiting = cache.get('k', load).then((v) => ((settled = true), v));
    await Promise.resolve();
    expect(settled).toBe(false);
    started[1]!.resolve(2);
    expect(await waiting).toBe(2);
  });

  it('with a stale window, answers the old value at once while exactly one reload runs', async () => {
    let now = 0;
    const cache = new TtlCache<string, number>(1_000, 10, () => now, 5_000);
    const { load, started } = loads<number>();
    const first = cache.get('k', load);
    started[0]!.resolve(1);
    await first;
    now = 2_000;
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(1);
    expect(started).toHaveLength(2);
    started[1]!.resolve(2);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('k', load)).toBe(2);
    expect(started).toHaveLength(2);
  });

  it('keeps the old value when a background reload fails, and the next caller tries again', async () => {
    let now = 0;
    const cache = new TtlCache<string, number>(1_000, 10, () => now, 5_000);
    const { load, started } = loads<number>();
    const first = cache.get('k', load);
    started[0]!.resolve(1);
    await first;
    now = 1_500;
    expect(await cache.get('k', load)).toBe(1);
    started[1]!.reject(new Error('Cosmos is away'));
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('k', load)).toBe(1);
    expect(started).toHaveLength(3);
    started[2]!.resolve(3);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('k', load)).toBe(3);
  });

  it('past the stale window, callers wait as on a miss; a deleted key is loaded afresh', async () => {
    let now = 0;
    const cache = new TtlCache<string, number>(1_000, 10, () => now, 5_000);
    const { load, started } = loads<number>();
    const first = cache.get('k', load);
    started[0]!.resolve(1);
    await first;
    now = 6_000;
    const late = cache.get('k', load);
    started[1]!.resolve(2);
    expect(await late).toBe(2);
    cache.delete('k');
    const afresh = cache.get('k', load);
    expect(started).toHaveLength(3);
    started[2]!.resolve(3);
    expect(await afresh).toBe(3);
  });
});
