// The waiting room in Cosmos DB (container `waiting-room`, partition key /showId; docs/architecture.md,
// Waiting room): per show one `room` (the operator's switch), one `cursor` (the admitter's, replaced
// under its ETag), one `entry:<user>` per queued user, created once (then written only to bind its
// admission to a booking, under its ETag), and one `pressure:<instance>` per app instance that served
// the show's bookings (its running outcome totals, written by that instance alone). Entries are read in key
// order by range queries on `key` — served by the default range index, one partition.
import type { Container } from '@azure/cosmos';
import type { Cosmos } from './client.js';
import { withOutage } from './faults.js';
import { JoinBatcher } from './join-batcher.js';
import { createOnce, queryDocs, readDoc, replaceIfMatch } from './documents.js';
import {
  entryIdOf,
  type PressureDoc,
  type CursorDoc,
  type EntryDoc,
  type RoomDoc,
  type WaitingRoomStore,
} from '../../waiting-room/ports.js';

export function cosmosWaitingRoomStore(cosmos: Cosmos, options: { joinBatchMs?: number } = {}): WaitingRoomStore {
  const c: Container = cosmos.container('waiting-room');
  // Joins of one show arriving together are created in one transactional batch (join-batcher.ts).
  const joins = new JoinBatcher(c, options.joinBatchMs ?? 0);
  return {
    async room(showId) {
      return (await readDoc<RoomDoc>(c, 'room', showId))?.doc;
    },
    async putRoom(room) {
      await c.items.upsert(room);
    },
    enabledRooms() {
      // Across shows: the admitter's one cross-partition query per tick (few rooms, a small result).
      return queryDocs<RoomDoc>(c, 'SELECT * FROM c WHERE c.kind = @kind AND c.enabled = true', [
        { name: '@kind', value: 'room' },
      ]);
    },
    join(entry) {
      return joins.join(entry);
    },
    entry(showId, userId) {
      return readDoc<EntryDoc>(c, entryIdOf(userId), showId);
    },
    async replaceEntry(entry, etag) {
      return !!(await replaceIfMatch(c, entry.id, entry.showId, entry, etag));
    },
    async cursor(showId) {
      return readDoc<CursorDoc>(c, 'cursor', showId);
    },
    async saveCursor(cursor, etag) {
      if (etag === undefined) return !!(await createOnce(c, cursor));
      return !!(await replaceIfMatch(c, 'cursor', cursor.showId, cursor, etag));
    },
    entriesBetween(showId, after, below, limit) {
      // TOP takes a literal (the embedded server parses no parameter there): an integer, checked.
      const top = Math.max(1, Math.min(10_000, Math.trunc(limit)));
      return queryDocs<{ key: string; userId: string }>(
        c,
        `SELECT TOP ${top} c.key, c.userId FROM c WHERE c.showId = @show AND c.kind = @kind AND c.key > @after ` +
          'AND c.key < @below ORDER BY c.key',
        [
          { name: '@show', value: showId },
          { name: '@kind', value: 'entry' },
          { name: '@after', value: after ?? '' },
          { name: '@below', value: below },
        ],
      );
    },
    async count(showId) {
      const { resources } = await withOutage(() =>
        c.items
          .query<number>({
            query: 'SELECT VALUE COUNT(1) FROM c WHERE c.showId = @show AND c.kind = @kind',
            parameters: [
              { name: '@show', value: showId },
              { name: '@kind', value: 'entry' },
            ],
          })
          .fetchAll(),
      );
      return resources[0] ?? 0;
    },
    async putPressure(doc) {
      await c.items.upsert(doc);
    },
    pressures(showId) {
      return queryDocs<PressureDoc>(c, 'SELECT * FROM c WHERE c.showId = @show AND c.kind = @kind', [
        { name: '@show', value: showId },
        { name: '@kind', value: 'pressure' },
      ]);
    },
  };
}
