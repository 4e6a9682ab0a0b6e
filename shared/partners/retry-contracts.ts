// The durable retry of a partner webhook delivery run: its orchestration and its one activity
// (orchestrations/partner-webhooks.ts), typed like the booking sagas' descriptors
// (shared/booking/saga-contracts.ts). The names are stored state: never rename one.
import type { SagaClient } from '../booking/ports.js';
import type { ActivityContract, OrchestrationContract } from '../booking/saga-contracts.js';
import type { AttemptOutcome } from './dispatcher.js';
import type { RetryInput, RetryStarter } from './ports.js';

export const PartnerWebhookRetry: OrchestrationContract<RetryInput, AttemptOutcome> = {
  kind: 'orchestration',
  name: 'partnerWebhookRetry',
};

export const PartnerWebhookAttempt: ActivityContract<RetryInput, AttemptOutcome> = {
  kind: 'activity',
  name: 'partnerWebhookAttempt',
};

/** One instance per delivery run: starting it twice starts it once. */
export const retryInstanceId = (deliveryId: string, run: number) => `${deliveryId}:${run}`;

export function retryStarter(client: SagaClient): RetryStarter {
  return {
    async start(input) {
      await client.start(PartnerWebhookRetry, retryInstanceId(input.deliveryId, input.run), input);
    },
  };
}
