// Inventory sections in Cosmos DB (container `inventory`, partition key /showId): one document per
// (show, section). Writes are conditional on the `_etag` read (IfMatch): a concurrent writer makes
// ours fail with 412 instead of overwriting it. A missing section is created from nothing on first
// use; a create conflict means another writer made it first, which is fine.
// A whole show is read with point reads when it has few sections (1 RU each) and with one
// single-partition query when it has many: 24 point reads of a stadium took 90-280 ms of the host's
// event loop under load against 10-50 ms for the query (measured with bench/web.ts's stadium show).
import type { Container } from '@azure/cosmos';
import { sectionDocId, type InventoryStore, type SectionDoc, type StoredSection } from '../../inventory/ports.js';
import { createOnce, replaceIfMatch, type Resource } from './documents.js';
import { withOutage } from './faults.js';

function strip(resource: SectionDoc & { _etag?: string }): StoredSection {
  const { id, showId, sectionId, layoutId, version, seats, holdExpiry, booked } = resource;
  return { doc: { id, showId, sectionId, layoutId, version, seats, holdExpiry, booked }, etag: resource._etag! };
}

/** Up to this many sections are read one by one; more in one query. */
const POINT_READS_UP_TO = 4;

const asSection = (resource: Resource) => resource as unknown as SectionDoc & { _etag: string };

export function cosmosInventoryStore(container: Container): InventoryStore {
  return {
    async read(showId, sectionId) {
      const res = await container.item(sectionDocId(showId, sectionId), showId).read<SectionDoc & { _etag: string }>();
      return res.resource ? strip(res.resource) : undefined;
    },
    async readSections(showId, sectionIds) {
      if (sectionIds.length <= POINT_READS_UP_TO) {
        const read = await Promise.all(sectionIds.map((id) => this.read(showId, id)));
        return read.filter((s): s is StoredSection => !!s);
      }
      const wanted = new Set(sectionIds);
      const { resources } = await withOutage(() =>
        container.items
          .query<SectionDoc & { _etag: string }>(
            { query: 'SELECT * FROM c WHERE c.showId = @showId', parameters: [{ name: '@showId', value: showId }] },
            { partitionKey: showId },
          )
          .fetchAll(),
      );
      return resources.filter((r) => wanted.has(r.sectionId)).map(strip);
    },
    async createIfMissing(doc) {
      const created = await createOnce(container, doc);
      if (created) return strip(asSection(created));
      const existing = await this.read(doc.showId, doc.sectionId);
      if (!existing) throw new Error(`section ${doc.id} exists, yet could not be read`);
      return existing;
    },
    async replace(doc, etag) {
      const written = await replaceIfMatch(container, doc.id, doc.showId, doc, etag);
      return written ? { ok: true, section: strip(asSection(written)) } : { ok: false, conflict: true };
    },
    async withExpiredHolds(cutoff, limit) {
      const { resources } = await withOutage(() =>
        container.items
          .query<SectionDoc & { _etag: string }>(
            {
              query: 'SELECT * FROM c WHERE c.holdExpiry != null AND c.holdExpiry < @cutoff',
              parameters: [{ name: '@cutoff', value: cutoff }],
            },
            { maxItemCount: limit },
          )
          .fetchNext(),
      );
      return resources.slice(0, limit).map(strip);
    },
  };
}
