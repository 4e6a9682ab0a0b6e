// The durable retry of a partner webhook delivery (docs/webhooks.md, Retries): wait on a Durable
// timer for the schedule's next pause, make one attempt (an activity), and go on until one succeeds,
// the endpoint is gone or disabled, or the schedule is used up (the activity then marks the
// delivery failed). Time is the orchestration's; the jitter is a function of the delivery id, so
// every replay computes the same instants. Retries asked for by failed first attempts run in
// batches per endpoint (partnerWebhookRetryBatch); one run at a time (an operator's retry or
// replay, a first attempt that could not be recorded) in partnerWebhookRetry.
import { retryDelayMs } from '../shared/domain/partner-webhooks/retry-schedule.js';
import {
  PartnerWebhookAttempt,
  PartnerWebhookAttemptBatch,
  PartnerWebhookRetry,
  PartnerWebhookRetryBatch,
} from '../shared/partners/retry-contracts.js';
import { services } from '../shared/services.js';
import { callWithRetry, inputOf, registerActivity, registerOrchestration, type Flow } from './durable.js';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { AttemptOutcome } from '../shared/partners/dispatcher.js';

// An attempt throws only when the log or the endpoint store failed (HTTP failures are outcomes).
const storeRetry = new df.RetryOptions(2000, 5);
storeRetry.backoffCoefficient = 2;

export function* partnerWebhookRetryFlow(ctx: OrchestrationContext): Flow<AttemptOutcome> {
  const input = inputOf(ctx, PartnerWebhookRetry);
  for (let attempt = input.attempt; ; attempt++) {
    const pause = attempt === 1 ? 0 : retryDelayMs(input.schedule, attempt, input.deliveryId);
    if (pause === undefined) return 'stop';
    if (pause > 0) yield ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + pause));
    const outcome = yield* callWithRetry(ctx, PartnerWebhookAttempt, storeRetry, { ...input, attempt });
    if (outcome !== 'retry') return outcome;
  }
}

/**
 * The same for the runs one endpoint's failures asked to retry within a short window
 * (shared/partners/retry-batches.ts): one timer and one activity per pause for all of them, the
 * jitter derived from the batch's id (the first attempt recorded its next time with the same).
 */
export function* partnerWebhookRetryBatchFlow(ctx: OrchestrationContext): Flow<void> {
  const input = inputOf(ctx, PartnerWebhookRetryBatch);
  let deliveries = input.deliveries;
  for (let attempt = input.attempt; deliveries.length > 0; attempt++) {
    const pause = retryDelayMs(input.schedule, attempt, input.batchId);
    if (pause === undefined) return;
    if (pause > 0) yield ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + pause));
    deliveries = yield* callWithRetry(ctx, PartnerWebhookAttemptBatch, storeRetry, { ...input, deliveries, attempt });
  }
}

registerOrchestration(PartnerWebhookRetry, partnerWebhookRetryFlow);
registerOrchestration(PartnerWebhookRetryBatch, partnerWebhookRetryBatchFlow);
registerActivity(PartnerWebhookAttemptBatch, (input) => services().webhooks.retryBatch(input));
registerActivity(PartnerWebhookAttempt, (input) => services().webhooks.retryAttempt(input));
