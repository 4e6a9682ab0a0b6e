// Inventory sections in Cosmos DB (container `inventory`, partition key /showId): one document per
// (show, section). Writes are conditional on the `_etag` read (IfMatch): a concurrent writer makes
// ours fail with 412 instead of overwriting it (ARCHITECTURE §3). A missing section is created
// from nothing on first use; a create conflict means another writer made it first, which is fine.
import type { Container } from '@azure/cosmos';
import type { SeatMap } from '../../domain/section.js';

export interface SectionDoc {
  id: string;
  showId: string;
  sectionId: string;
  layoutId: string;
  /** Increments on every write; the show's availability version is the sum over its sections. */
  version: number;
  seats: SeatMap;
  /** Earliest hold expiry (ISO) or null: lets the sweeper find sections worth visiting. */
  holdExpiry: string | null;
  /** Number of booked seats, for "does this show have bookings". */
  booked: number;
}

export interface StoredSection {
  doc: SectionDoc;
  etag: string;
}

export type ReplaceResult = { ok: true; section: StoredSection } | { ok: false; conflict: true };

export interface InventoryStore {
  read(showId: string, sectionId: string): Promise<StoredSection | undefined>;
  /** Creates the section if missing; returns whichever version exists afterwards. */
  createIfMissing(doc: SectionDoc): Promise<StoredSection>;
  replace(doc: SectionDoc, etag: string): Promise<ReplaceResult>;
  /** Sections holding a hold that expired before `cutoff`, across all shows. */
  withExpiredHolds(cutoff: string, limit: number): Promise<StoredSection[]>;
}

export const sectionDocId = (showId: string, sectionId: string) => `${showId}:${sectionId}`;

interface CosmosError {
  code?: number | string;
  statusCode?: number;
}
const statusOf = (err: unknown) => Number((err as CosmosError).code ?? (err as CosmosError).statusCode);

function strip(resource: SectionDoc & { _etag?: string }): StoredSection {
  const { id, showId, sectionId, layoutId, version, seats, holdExpiry, booked } = resource;
  return { doc: { id, showId, sectionId, layoutId, version, seats, holdExpiry, booked }, etag: resource._etag! };
}

export function cosmosInventoryStore(container: Container): InventoryStore {
  return {
    async read(showId, sectionId) {
      const res = await container.item(sectionDocId(showId, sectionId), showId).read<SectionDoc & { _etag: string }>();
      return res.resource ? strip(res.resource) : undefined;
    },
    async createIfMissing(doc) {
      try {
        const res = await container.items.create<SectionDoc>(doc);
        return strip(res.resource as SectionDoc & { _etag: string });
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
        const existing = await this.read(doc.showId, doc.sectionId);
        if (!existing) throw err;
        return existing;
      }
    },
    async replace(doc, etag) {
      try {
        const res = await container
          .item(doc.id, doc.showId)
          .replace<SectionDoc>(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
        return { ok: true, section: strip(res.resource as SectionDoc & { _etag: string }) };
      } catch (err) {
        if (statusOf(err) === 412) return { ok: false, conflict: true };
        throw err;
      }
    },
    async withExpiredHolds(cutoff, limit) {
      const { resources } = await container.items
        .query<SectionDoc & { _etag: string }>(
          {
            query: 'SELECT * FROM c WHERE c.holdExpiry != null AND c.holdExpiry < @cutoff',
            parameters: [{ name: '@cutoff', value: cutoff }],
          },
          { maxItemCount: limit },
        )
        .fetchNext();
      return resources.slice(0, limit).map(strip);
    },
  };
}
