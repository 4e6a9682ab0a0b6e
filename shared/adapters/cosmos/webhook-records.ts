// Processed payment webhook events in Cosmos DB (container `payments`, partition key /bookingId),
// one document `evt:<eventId>` per event: inserting it is what makes an event processed once.
import type { WebhookRecord, WebhookRecords } from '../../booking/store.js';
import type { Cosmos } from './client.js';
import { conditionalReplace } from './conditional-replace.js';
import { createOnce, queryDocs, readDoc } from './documents.js';

export function cosmosWebhookRecords(cosmos: Cosmos): WebhookRecords {
  const payments = cosmos.container('payments');
  return {
    async seen(bookingId, eventId) {
      return (await readDoc<WebhookRecord>(payments, `evt:${eventId}`, bookingId))?.doc;
    },
    async record(record) {
      return (await createOnce(payments, record)) !== undefined;
    },
    unsettled(receivedBefore, limit) {
      return queryDocs<WebhookRecord>(
        payments,
        `SELECT TOP ${limit} * FROM c WHERE c.kind = 'webhook' AND c.settled = false AND c.type = 'payment.succeeded' AND c.receivedAt < @before`,
        [{ name: '@before', value: receivedBefore }],
      );
    },
    async settle(bookingId, eventId) {
      const settled = await conditionalReplace<WebhookRecord>(payments, `evt:${eventId}`, bookingId, (r) =>
        r.settled ? undefined : { ...r, settled: true },
      );
      return settled?.doc;
    },
  };
}
