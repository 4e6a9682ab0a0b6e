// Unit tests of per-show coalescing (shared/realtime/coalescer.ts), on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../../shared/realtime/coalescer.js';

interface Flush {
  key: string;
  value: number[];
  at: number;
}

function setup(intervalMs: number, fail?: (value: number[]) => boolean) {
  const flushes: Flush[] = [];
  const c = new Coalescer<number[]>({
    intervalMs,
    merge: (a, b) => [...a, ...b],
    flush: async (key, value) => {
      flushes.push({ key, value, at: Date.now() });
      await new Promise((r) => setTimeout(r, 5));
      if (fail?.(value)) throw new Error(`push failed for ${value.join(',')}`);
    },
  });
  return { c, flushes };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

describe('Coalescer', () => {
  it('flushes a lone submission at once, and settles when the quiet period ends', async () => {
    const { c, flushes } = setup(100);
    let settled = false;
    const done = c.submit('s1', [1]).then(() => (settled = true));
    expect(flushes).toEqual([{ key: 's1', value: [1], at: 0 }]);
    await vi.advanceTimersByTimeAsync(50);
    expect(settled).toBe(false); // the caller (the change feed) pauses until the next flush may go
    await vi.advanceTimersByTimeAsync(50);
    await done;
    expect(settled).toBe(true);
  });

  it('settles a failed flush at once, without the quiet period', async () => {
    const { c } = setup(100, () => true);
    const done = c.submit('s1', [1]);
    const seen = done.catch((err: Error) => err.message);
    await vi.advanceTimersByTimeAsync(5);
    await expect(seen).resolves.toBe('push failed for 1');
  });

  it('turns a burst into one flush per interval, merging what arrived meanwhile', async () => {
    const { c, flushes } = setup(100);
    const all: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      all.push(c.submit('s1', [i]));
      await vi.advanceTimersByTimeAsync(10); // 100 submissions/s
    }
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(flushes.map((f) => f.at)).toEqual([0, 100, 200]);
    expect(flushes.flatMap((f) => f.value)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let i = 1; i < flushes.length; i++) expect(flushes[i]!.at - flushes[i - 1]!.at).toBeGreaterThanOrEqual(100);
  });

  it('keeps shows apart: one show waiting does not delay another', async () => {
    const { c, flushes } = setup(100);
    void c.submit('s1', [1]);
    void c.submit('s1', [2]);
    void c.submit('s2', [3]);
    expect(flushes.map((f) => [f.key, f.value, f.at])).toEqual([
      ['s1', [1], 0],
      ['s2', [3], 0],
    ]);
    await vi.advanceTimersByTimeAsync(150);
    expect(flushes.map((f) => [f.key, f.value, f.at])).toContainEqual(['s1', [2], 100]);
  });

  it('rejects every submission carried by a failed flush, and the next round still runs', async () => {
    const { c, flushes } = setup(50, (v) => v.includes(2));
    const first = c.submit('s1', [1]);
    const second = c.submit('s1', [2]);
    const third = c.submit('s1', [3]);
    const seen = Promise.allSettled([first, second, third]);
    await vi.advanceTimersByTimeAsync(60);
    const [a, b, d] = await seen;
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect(d.status).toBe('rejected'); // merged with 2 into one flush
    const later = c.submit('s1', [4]);
    await vi.advanceTimersByTimeAsync(100); // next window opens at 100, quiet until 150
    await expect(later).resolves.toBeUndefined();
    expect(flushes.map((f) => f.value)).toEqual([[1], [2, 3], [4]]);
  });

  it('never overlaps two flushes of one show, even with no interval', async () => {
    let running = 0;
    let maxRunning = 0;
    const c = new Coalescer<number>({
      intervalMs: 0,
      merge: (a, b) => a + b,
      flush: async () => {
        maxRunning = Math.max(maxRunning, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
      },
    });
    const all = [c.submit('s', 1), c.submit('s', 1), c.submit('s', 1)];
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(maxRunning).toBe(1);
  });
});
