// The partner webhook delivery log in Cosmos DB (container `partner-deliveries`, partition key
// /endpointId): one document per (event, endpoint), id = its webhook-id, with every attempt. The
// container's default time to live (CONTAINER_TTL in client.ts) keeps 30 days. Pages are newest
// first on one indexed field, `sortKey` = createdAt|id, whose last value is the next page's cursor.
import type { SqlParameter } from '@azure/cosmos';
import type { Delivery } from '../../partners/model.js';
import type { DeliveryLog } from '../../partners/ports.js';
import type { Cosmos } from './client.js';
import { conditionalReplace } from './conditional-replace.js';
import { createOnce, queryDocs, readDoc, storedOf } from './documents.js';

type StoredDelivery = Delivery & { sortKey: string };

export function cosmosDeliveryLog(cosmos: Cosmos): DeliveryLog {
  const container = cosmos.container('partner-deliveries');
  const strip = ({ sortKey: _s, ...d }: StoredDelivery): Delivery => d;
  return {
    async createOnce(delivery) {
      const doc: StoredDelivery = { ...delivery, sortKey: `${delivery.createdAt}|${delivery.id}` };
      const written = await createOnce(container, doc);
      if (written) {
        const stored = storedOf<StoredDelivery>(written);
        return { created: true, stored: { doc: strip(stored.doc), etag: stored.etag } };
      }
      const existing = await readDoc<StoredDelivery>(container, delivery.id, delivery.endpointId);
      if (!existing) throw new Error(`delivery ${delivery.id} exists and cannot be read`);
      return { created: false, existing: { doc: strip(existing.doc), etag: existing.etag } };
    },
    async get(endpointId, id) {
      const found = await readDoc<StoredDelivery>(container, id, endpointId);
      return found && strip(found.doc);
    },
    async read(endpointId, id) {
      const found = await readDoc<StoredDelivery>(container, id, endpointId);
      return found && { doc: strip(found.doc), etag: found.etag };
    },
    async mutate(endpointId, id, fn, known) {
      const r = await conditionalReplace<StoredDelivery>(
        container,
        id,
        endpointId,
        (d) => {
          const next = fn(strip(d));
          return next && { ...next, sortKey: d.sortKey };
        },
        known && {
          known: { doc: { ...known.doc, sortKey: `${known.doc.createdAt}|${known.doc.id}` }, etag: known.etag },
        },
      );
      return r && strip(r.doc);
    },
    async list(endpointId, q) {
      const where = ['c.endpointId = @e'];
      const parameters: SqlParameter[] = [{ name: '@e', value: endpointId }];
      const add = (clause: string, name: string, value: string | undefined) => {
        if (value === undefined) return;
        where.push(clause);
        parameters.push({ name, value });
      };
      add('c.status = @status', '@status', q.status);
      add('c.eventType = @type', '@type', q.eventType);
      add('c.bookingId = @booking', '@booking', q.bookingId);
      add('c.createdAt >= @since', '@since', q.since);
      add('c.sortKey < @cursor', '@cursor', q.cursor);
      const rows = await queryDocs<StoredDelivery>(
        container,
        `SELECT TOP ${q.limit + 1} * FROM c WHERE ${where.join(' AND ')} ORDER BY c.sortKey DESC`,
        parameters,
      );
      const items = rows.slice(0, q.limit);
      const more = rows.length > q.limit;
      return { items: items.map(strip), ...(more ? { cursor: items[items.length - 1]!.sortKey } : {}) };
    },
    async mentions(endpointIds, ref) {
      if (endpointIds.length === 0) return false;
      const field = ref.bookingId !== undefined ? 'bookingId' : 'showId';
      const value = ref.bookingId ?? ref.showId;
      // One small cross-partition query per partner read: a partner has a few endpoints.
      const rows = await queryDocs<{ id: string }>(
        container,
        `SELECT TOP 1 c.id FROM c WHERE ARRAY_CONTAINS(@endpoints, c.endpointId) AND c.${field} = @value`,
        [
          { name: '@endpoints', value: endpointIds },
          { name: '@value', value: value ?? '' },
        ],
      );
      return rows.length > 0;
    },
  };
}
