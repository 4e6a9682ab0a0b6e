// The waiting room's store port (docs/architecture.md, Waiting room). Its adapter is
// shared/adapters/cosmos/waiting-room-store.ts: container `waiting-room`, partition key /showId —
// one show's room, cursor and queue entries in one logical partition.
import type { Stored } from '../ports/documents.js';
import type { Cursor } from '../domain/waiting-room/index.js';

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
}

export interface CursorDoc extends Cursor {
  id: 'cursor';
  kind: 'cursor';
  showId: string;
}

export const entryIdOf = (userId: string) => `entry:${encodeURIComponent(userId)}`;

export interface WaitingRoomStore {
  room(showId: string): Promise<RoomDoc | undefined>;
  putRoom(room: RoomDoc): Promise<void>;
  /** Rooms switched on, every show. */
  enabledRooms(): Promise<RoomDoc[]>;
  /** Creates the entry; when the user has one already, that one (created: false). */
  join(entry: EntryDoc): Promise<{ entry: Stored<EntryDoc>; created: boolean }>;
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
}
