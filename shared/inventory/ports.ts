// What the inventory needs from storage: one document per (show, section), read and replaced
// under its version, so a concurrent writer makes ours fail instead of being overwritten. The
// Cosmos adapter is shared/adapters/cosmos/inventory-store.ts, wired in shared/services.ts.
import type { SeatMap } from '../domain/section.js';
import type { Stored } from '../ports/documents.js';

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

export type StoredSection = Stored<SectionDoc>;

export type ReplaceResult = { ok: true; section: StoredSection } | { ok: false; conflict: true };

export interface InventoryStore {
  read(showId: string, sectionId: string): Promise<StoredSection | undefined>;
  /**
   * The show's sections among `sectionIds` that exist (in no particular order): the availability
   * snapshot reads a whole show at once, and a stadium has dozens of sections.
   */
  readSections(showId: string, sectionIds: readonly string[]): Promise<StoredSection[]>;
  /** Creates the section if missing; returns whichever version exists afterwards. */
  createIfMissing(doc: SectionDoc): Promise<StoredSection>;
  /** Replaces the section if it is still at `etag`; a conflict when another write came first. */
  replace(doc: SectionDoc, etag: string): Promise<ReplaceResult>;
  /** Sections holding a hold that expired before `cutoff`, across all shows. */
  withExpiredHolds(cutoff: string, limit: number): Promise<StoredSection[]>;
}

export const sectionDocId = (showId: string, sectionId: string) => `${showId}:${sectionId}`;
