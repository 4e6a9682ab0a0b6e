// The waiting room's store port (docs/architecture.md, Waiting room). Its adapter is
// shared/adapters/cosmos/waiting-room-store.ts: container `waiting-room`, partition key /showId —
// one show's room, cursor and queue entries in one logical partition.
import type { Stored } from '../ports/documents.js';
import type { AdmissionUse, Cursor, Ledger, PressureReport } from '../domain/waiting-room/index.js';

/** The operator's switch for one show. */
export interface RoomDoc {
  id: 'room';
  kind: 'room';
  showId: string;
  enabled: boolean;
  opensAt: string;
  admitPerMinute: number;
  admissionMinutes: number;
  maxTicketsPerUser?: number;
  /** The shows switched together (one event's); the ticket cap counts bookings across them. */
  groupShowIds: string[];
  updatedAt: string;
  updatedBy: string;
}

/** One user's place in one show's queue: created once (id from the user), never moved except by rejoining after expiry. */
export interface EntryDoc {
  id: string;
  kind: 'entry';
  showId: string;
  userId: string;
  /** The queue order (shared/domain/waiting-room/order.ts). */
  key: string;
  joinedAt: string;
  /** Times the user came back after their admission expired (each one to the back). */
  rejoins: number;
  /** The booking the admission was used for (shared/domain/waiting-room/use.ts); set under the entry's ETag. */
  use?: AdmissionUse;
}

export interface CursorDoc extends Cursor {
  id: 'cursor';
  kind: 'cursor';
  showId: string;
}

/** One instance's booking-outcome totals for the show (pressure.ts): one writer per document. */
export interface PressureDoc extends PressureReport {
  id: string;
  kind: 'pressure';
  showId: string;
}

export const pressureIdOf = (instance: string) => `pressure:${instance}`;

export const entryIdOf = (userId: string) => `entry:${encodeURIComponent(userId)}`;

export interface WaitingRoomStore {
  room(showId: string): Promise<RoomDoc | undefined>;
  putRoom(room: RoomDoc): Promise<void>;
  /** Rooms switched on, every show. */
  enabledRooms(): Promise<RoomDoc[]>;
  /** Creates the entry; when the user has one already, that one (created: false). */
  join(entry: EntryDoc): Promise<{ entry: Stored<EntryDoc>; created: boolean }>;
  entry(showId: string, userId: string): Promise<Stored<EntryDoc> | undefined>;
  /** Replaces the entry if unchanged since `etag`; false when another write came first. */
  replaceEntry(entry: EntryDoc, etag: string): Promise<boolean>;
  cursor(showId: string): Promise<Stored<CursorDoc> | undefined>;
  /** Creates (etag undefined) or replaces the cursor under its version; false when another tick won. */
  saveCursor(cursor: CursorDoc, etag: string | undefined): Promise<boolean>;
  /** Entries with after < key < below, in key order, at most `limit`. */
  entriesBetween(
    showId: string,
    after: string | undefined,
    below: string,
    limit: number,
  ): Promise<{ key: string; userId: string }[]>;
  /** Entries in the show's queue. */
  count(showId: string): Promise<number>;
  /** Writes this instance's totals (its own document: no other writer). */
  putPressure(doc: PressureDoc): Promise<void>;
  /** Every instance's totals for the show. */
  pressures(showId: string): Promise<PressureDoc[]>;
}

/** One user's ticket ledger for one sale (a group of shows switched together). */
export interface LedgerDoc extends Ledger {
  id: string;
  userId: string;
  saleId: string;
  showIds: string[];
  updatedAt: string;
}

export const ledgerIdOf = (saleId: string) => `ticket-ledger:${saleId}`;

/** The ticket ledgers (Cosmos: container `idempotency`, partition /userId, beside the user's active-booking claims). */
export interface TicketLedgers {
  read(userId: string, saleId: string): Promise<Stored<LedgerDoc> | undefined>;
  /** Creates (etag undefined) or replaces the ledger under its version; false when another write came first. */
  save(doc: LedgerDoc, etag: string | undefined): Promise<boolean>;
}
