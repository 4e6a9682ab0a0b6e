// The grouping of a failing endpoint's retries into one durable start (shared/partners/retry-batches.ts).
import { describe, expect, it } from 'vitest';
import { RetryBatches } from '../../../shared/partners/retry-batches.js';
import type { RetryBatchInput, RetryStarter } from '../../../shared/partners/ports.js';

function starter(fail = false) {
  const started: RetryBatchInput[] = [];
  const s: RetryStarter = {
    start: () => Promise.reject(new Error('not used')),
    startBatch: async (input) => {
      if (fail) throw new Error('engine down');
      started.push(structuredClone(input));
    },
  };
  return { s, started };
}

const member = (i: number) => ({ deliveryId: `msg_${i}`, run: 1 });

describe('retry batches', () => {
  it('starts one retry per endpoint for the failures of a window, and each caller waits for its start', async () => {
    const { s, started } = starter();
    const batches = new RetryBatches({ windowMs: 50, max: 100 });
    const a = [1, 2, 3].map((i) => batches.join('ep-a', 2, [5000], member(i), s));
    const b = batches.join('ep-b', 2, [5000], member(4), s);
    expect(new Set(a.map((t) => t.key)).size).toBe(1);
    expect(b.key).not.toBe(a[0]!.key);
    expect(started).toHaveLength(0);
    await Promise.all([...a, b].map((t) => t.started));
    expect(started).toHaveLength(2);
    const ofA = started.find((x) => x.endpointId === 'ep-a')!;
    expect(ofA).toMatchObject({ batchId: a[0]!.key, attempt: 2, schedule: [5000] });
    expect(ofA.deliveries).toEqual([member(1), member(2), member(3)]);

    // The window closed: a later failure opens another batch.
    const later = batches.join('ep-a', 2, [5000], member(5), s);
    expect(later.key).not.toBe(a[0]!.key);
    await later.started;
    expect(started).toHaveLength(3);
  });

  it('starts a full batch at once', async () => {
    const { s, started } = starter();
    const batches = new RetryBatches({ windowMs: 60_000, max: 2 });
    const t = [1, 2].map((i) => batches.join('ep', 2, [5000], member(i), s));
    await Promise.all(t.map((x) => x.started));
    expect(started.map((x) => x.deliveries.length)).toEqual([2]);
    const third = batches.join('ep', 2, [5000], member(3), s);
    expect(third.key).not.toBe(t[0]!.key);
  });

  it("keeps an endpoint's next batch open while its previous one is still starting", async () => {
    const started: RetryBatchInput[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s: RetryStarter = {
      start: () => Promise.reject(new Error('not used')),
      startBatch: async (input) => {
        if (started.push(structuredClone(input)) === 1) await gate;
      },
    };
    const batches = new RetryBatches({ windowMs: 20, max: 100 });
    const first = batches.join('ep', 2, [5000], member(1), s);
    await new Promise((r) => setTimeout(r, 60));
    expect(started).toHaveLength(1);
    // The first start hangs: failures meanwhile gather in one batch however long it takes.
    const second = batches.join('ep', 2, [5000], member(2), s);
    await new Promise((r) => setTimeout(r, 60));
    const third = batches.join('ep', 2, [5000], member(3), s);
    expect(third.key).toBe(second.key);
    expect(started).toHaveLength(1);
    release();
    await Promise.all([first.started, second.started, third.started]);
    expect(started.map((x) => x.deliveries.map((m) => m.deliveryId))).toEqual([['msg_1'], ['msg_2', 'msg_3']]);
  });

  it('fails every caller of a batch whose start failed (their messages go back to Service Bus)', async () => {
    const { s } = starter(true);
    const batches = new RetryBatches({ windowMs: 10, max: 100 });
    const t = [1, 2].map((i) => batches.join('ep', 2, [5000], member(i), s));
    for (const x of t) await expect(x.started).rejects.toThrow('engine down');
  });
});
