// The durable retry of a partner webhook delivery run: its orchestration and its one activity
// (orchestrations/partner-webhooks.ts), typed like the booking sagas' descriptors
// (shared/booking/saga-contracts.ts). The names are stored state: never rename one.
import type { SagaClient } from '../booking/ports.js';
import type { ActivityContract, OrchestrationContract } from '../booking/saga-contracts.js';
import type { AttemptOutcome } from './dispatcher.js';
import type { RetryBatchInput, RetryInput, RetryStarter } from './ports.js';

export const PartnerWebhookRetry: OrchestrationContract<RetryInput, AttemptOutcome> = {
  kind: 'orchestration',
  name: 'partnerWebhookRetry',
};

export const PartnerWebhookAttempt: ActivityContract<RetryInput, AttemptOutcome> = {
  kind: 'activity',
  name: 'partnerWebhookAttempt',
};

/** Several delivery runs to one endpoint (shared/partners/retry-batches.ts); ends when none is left to retry. */
export const PartnerWebhookRetryBatch: OrchestrationContract<RetryBatchInput, void> = {
  kind: 'orchestration',
  name: 'partnerWebhookRetryBatch',
};

/** One attempt of each run still to retry; answers those to retry again. */
export const PartnerWebhookAttemptBatch: ActivityContract<RetryBatchInput, RetryBatchInput['deliveries']> = {
  kind: 'activity',
  name: 'partnerWebhookAttemptBatch',
};

/** One instance per delivery run: starting it twice starts it once. */
export const retryInstanceId = (deliveryId: string, run: number) => `${deliveryId}:${run}`;

export function retryStarter(client: SagaClient): RetryStarter {
  return {
    async start(input) {
      await client.start(PartnerWebhookRetry, retryInstanceId(input.deliveryId, input.run), input);
    },
    async startBatch(input) {
      // A new random id each batch: nothing to look up before starting it.
      await client.start(PartnerWebhookRetryBatch, input.batchId, input, { fresh: true });
    },
  };
}
