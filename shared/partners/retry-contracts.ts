// The durable retry of a partner webhook delivery run: its orchestration and its one activity
// (orchestrations/partner-webhooks.ts), typed like the booking sagas' descriptors
// (shared/booking/saga-contracts.ts), and the queue on which the fan-out hands deliveries over to
// them (functions/partner-webhooks.ts). The names are stored state: never rename one.
import { z } from 'zod';
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

/**
 * The Service Bus queue of handed-over deliveries, one RetryInput per message (infra/terraform/servicebus.tf).
 * Not a setting: the name is the app's, like its subscriptions'.
 */
export const RETRY_QUEUE = 'partner-webhook-retries';

/** A handed-over delivery as read from the queue: a message is checked before it is acted on. */
export const RetryInputSchema = z.object({
  endpointId: z.string().min(1),
  deliveryId: z.string().min(1),
  run: z.number().int().min(1),
  attempt: z.number().int().min(1),
  schedule: z.array(z.number().int().min(0)),
}) satisfies z.ZodType<RetryInput>;

/** One instance per delivery run: starting it twice starts it once. */
export const retryInstanceId = (deliveryId: string, run: number) => `${deliveryId}:${run}`;

export function retryStarter(client: SagaClient): RetryStarter {
  return {
    async start(input) {
      await client.start(PartnerWebhookRetry, retryInstanceId(input.deliveryId, input.run), input);
    },
  };
}
