// The durable retry of a partner webhook delivery (docs/webhooks.md, Retries): wait on a Durable
// timer for the schedule's next pause, make one attempt (an activity), and go on until one succeeds,
// the endpoint is gone or disabled, or the schedule is used up (the activity then marks the
// delivery failed). Time is the orchestration's; the jitter is a function of the delivery id, so
// every replay computes the same instants.
import { retryDelayMs } from '../shared/domain/partner-webhooks/retry-schedule.js';
import { PartnerWebhookAttempt, PartnerWebhookRetry } from '../shared/partners/retry-contracts.js';
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

registerOrchestration(PartnerWebhookRetry, partnerWebhookRetryFlow);
registerActivity(PartnerWebhookAttempt, (input) => services().webhooks.retryAttempt(input));
