// A deploy in the middle of a show cancellation: the history a walk recorded before batches is
// replayed by today's orchestrator (orchestrations/show-cancellation.ts, Deploys) through the
// durable-functions library's replay and the local host's episode planner with its determinism
// check (test/support/durable-replay.ts).
// The fixture test/fixtures/durable-histories/show-cancellation-per-booking.json was recorded by
// running the orchestrator as it was before batches (git show bb3ed17:orchestrations/show-cancellation.ts)
// through that same driver: a page of three bookings, their three showCancellationPrepare
// activities answered (two cancellation sagas to run, one with nothing owed), both sagas started,
// the first one ended — the second still running when the new code arrives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../local/durable/history.js';
import { showCancellationFlow } from '../../../orchestrations/show-cancellation.js';
import { Saga, ShowCancellationActivity } from '../../../shared/booking/saga-contracts.js';
import { ReplayedInstance } from '../../support/durable-replay.js';

const recorded = JSON.parse(
  readFileSync('test/fixtures/durable-histories/show-cancellation-per-booking.json', 'utf8'),
) as HistoryEvent[];

const flow = showCancellationFlow as never;
const items = ['bk_1', 'bk_2', 'bk_3'].map((bookingId, i) => ({ bookingId, userId: `u${i + 1}` }));

/** The walk as the old code started it, rebuilt from its stored history (what a new worker does). */
function deployedOnto(history: HistoryEvent[]) {
  return new ReplayedInstance(flow, Saga.showCancellation.name, { history });
}

describe('show cancellation across a deploy', () => {
  it('a walk started before batches replays its history and ends its page with the sagas it started', async () => {
    const walk = deployedOnto(recorded);
    const [saga] = walk.open();
    expect(saga).toMatchObject({ kind: 'sub', name: Saga.cancellation.name });
    const plan = await walk.episode(walk.completion(saga!, { status: 'completed' }));
    expect(plan.outcome.kind).toBe('continueAsNew');
    const next = (plan.outcome as { input: Record<string, unknown> }).input;
    // No chunk: the next episode is this walk too, and keeps its steps.
    expect(next).toMatchObject({ showId: 'sh_mum_1', after: 'bk_3', pass: 1, waiting: 0, failed: 0 });
    expect(next).not.toHaveProperty('chunk');

    const second = new ReplayedInstance(flow, Saga.showCancellation.name, { input: next });
    await second.episode();
    await second.episode(second.completion(second.open()[0]!, { items: [{ bookingId: 'bk_4', userId: 'u4' }] }));
    expect(second.open().map((t) => t.name)).toEqual([ShowCancellationActivity.prepare.name]);
    const last = await second.episode(second.completion(second.open()[0]!, { action: 'none' }));
    expect(last.outcome).toEqual({ kind: 'completed', output: { passes: 1, waiting: 0, failed: 0 } });
  });

  it('the same history replayed with batches in place of its prepare steps fails as non-deterministic', async () => {
    // What the batched orchestrator did before the flag: this is the check the test above passes.
    const batched = structuredClone(recorded);
    const started = batched.find((e) => e.Name === Saga.showCancellation.name)!;
    started.Input = JSON.stringify({ ...JSON.parse(started.Input!), chunk: 20 });
    const walk = deployedOnto(batched);
    const plan = await walk.episode(walk.completion(walk.open()[0]!, { status: 'completed' }));
    expect(plan.outcome.kind).toBe('failed');
    expect((plan.outcome as { message: string }).message).toMatch(
      /^Non-Deterministic workflow detected: .*'showCancellationPrepare' with sequence ID 1.*showCancellationBatch/,
    );
  });

  it('a walk started now takes the batched path: a page in cancelBatch chunks, no step per booking', async () => {
    const input = { showId: 'sh_mum_1', batch: 3, chunk: 2, passPauseSeconds: 30, maxPasses: 120, pass: 1 };
    const walk = new ReplayedInstance(flow, Saga.showCancellation.name, { input: { ...input, waiting: 0, failed: 0 } });
    await walk.episode();
    await walk.episode(walk.completion(walk.open()[0]!, { items }));
    const batches = walk.open();
    expect(batches.map((t) => t.name)).toEqual([
      ShowCancellationActivity.cancelBatch.name,
      ShowCancellationActivity.cancelBatch.name,
    ]);
    expect(batches.map((t) => JSON.parse(t.input!).items)).toEqual([items.slice(0, 2), items.slice(2)]);
    await walk.episode(walk.completion(batches[0]!, [{ action: 'done' }, { action: 'done' }]));
    const last = await walk.episode(walk.completion(batches[1]!, [{ action: 'none' }]));
    expect(last.outcome).toEqual({ kind: 'completed', output: { passes: 1, waiting: 0, failed: 0 } });
  });
});
