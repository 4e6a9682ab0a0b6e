// showCancellation: an operator cancelled a show (POST /api/ops/shows/{showId}/cancel → show.cancelled
// → functions/show-cancellations.ts). One instance per show walks its bookings a page at a time
// (docs/architecture.md, Show cancellation):
//   page of SHOW_CANCEL_BATCH bookings → cancelBatch activities of SHOW_CANCEL_CHUNK bookings each,
//   side by side (each records the show's cancellation on its confirmed bookings, refunds them,
//   frees their seats, finishes them and publishes their events) → the cancellation sagas of what
//   a batch could not refund (a failed refund's retry, a refund refused) as sub-orchestrations →
//   continue as new with the next page (the history stays one page long: a stadium's 5,000 bookings
//   are 50 short episodes of 5 activities, never a Durable instance per booking).
// After the last page, while some booking was still in flight (held or paying when the show was
// cancelled, or a cancellation under way), a timer and another pass; at most SHOW_CANCEL_MAX_PASSES.
// Each customer is told once, by the booking.cancelled of the batch or of the cancellation saga
// (functions/notifications.ts).
// Deploys: a walk started before batches (its input has no `chunk`) keeps, for all its episodes,
// the steps its history recorded — a showCancellationPrepare activity per booking of the page, then
// the cancellation sagas it answers — since replaying that history with cancelBatch in their place
// would fail the instance as non-deterministic (the flag-in-the-input way of the booking saga's
// confirmInOneStep, orchestrations/booking-flow.ts; docs/architecture.md, Show cancellation).
import type { OrchestrationContext } from 'durable-functions';
import {
  Saga,
  ShowCancellationActivity,
  type ShowCancelOutcome,
  type ShowCancelStep,
} from '../shared/booking/saga-contracts.js';
import { stepRetry } from './booking-flow.js';
import {
  activityTask,
  callWithRetry,
  inputOf,
  registerOrchestration,
  subOrchestrationTask,
  type Flow,
} from './durable.js';

export function* showCancellationFlow(ctx: OrchestrationContext): Flow<ShowCancelOutcome> {
  const input = inputOf(ctx, Saga.showCancellation);
  const { showId } = input;
  const walkStartedAt = input.walkStartedAt ?? ctx.df.currentUtcDateTime.toISOString();
  const page = yield* callWithRetry(ctx, ShowCancellationActivity.page, stepRetry(), {
    showId,
    after: input.after,
    limit: input.batch,
  });
  // (Task.all refuses an empty list: the last page of a walk may be empty.)
  const tasks =
    input.chunk === undefined
      ? page.items.map((b) => activityTask(ctx, ShowCancellationActivity.prepare, stepRetry(), { ...b, showId }))
      : chunksOf(page.items, input.chunk).map((items) =>
          activityTask(ctx, ShowCancellationActivity.cancelBatch, stepRetry(), { showId, walkStartedAt, items }),
        );
  const steps = tasks.length ? ((yield ctx.df.Task.all(tasks)) as (ShowCancelStep | ShowCancelStep[])[]).flat() : [];
  const runs = steps.flatMap((s) => (s.action === 'cancel' ? [s] : []));
  let waiting = input.waiting + steps.filter((s) => s.action === 'wait').length;
  const failed = input.failed + steps.filter((s) => s.action === 'failed').length;
  if (runs.length) {
    try {
      const ended = (yield ctx.df.Task.all(
        runs.map((r) => subOrchestrationTask(ctx, Saga.cancellation, r.instanceId, r.input)),
      )) as { status: string }[];
      // A refund that failed is retried by the next pass (until SHOW_CANCEL_REFUND_RUNS).
      waiting += ended.filter((e) => e.status === 'refund_failed').length;
    } catch {
      // A saga that failed outright (its refund failures end refund_failed, not here) leaves its
      // booking cancelling: the reconciler marks it refund_failed and a later pass retries it.
      waiting += 1;
    }
  }
  const outcome: ShowCancelOutcome = { passes: input.pass, waiting, failed };
  ctx.df.setCustomStatus({ pass: input.pass, after: page.next ?? null, page: page.items.length, waiting, failed });
  // (What an episode that continues as new returns is dropped; the last episode's is the outcome.)
  if (page.next) {
    ctx.df.continueAsNew({ ...input, walkStartedAt, after: page.next, waiting, failed });
    return outcome;
  }
  if (waiting > 0 && input.pass < input.maxPasses) {
    yield ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + input.passPauseSeconds * 1000));
    ctx.df.continueAsNew({ ...input, walkStartedAt, pass: input.pass + 1, after: undefined, waiting: 0, failed: 0 });
    return outcome;
  }
  ctx.df.setCustomStatus({ ...outcome, done: true });
  return outcome;
}

function chunksOf<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

registerOrchestration(Saga.showCancellation, showCancellationFlow);
