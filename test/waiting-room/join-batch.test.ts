// Group-committed joins (shared/adapters/cosmos/join-batcher.ts) through the real @azure/cosmos SDK
// against the embedded Cosmos DB server: joins of one show arriving together are written as one
// transactional batch, and a batch that meets someone joining again (409 in the batch: the
// embedded server keeps the operations before the failure, real Cosmos DB none) still gives every
// caller exactly one entry — a new one for the new users, the stored one for the returning user.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createCosmos, type Cosmos } from '../../shared/adapters/cosmos/client.js';
import { cosmosWaitingRoomStore } from '../../shared/adapters/cosmos/waiting-room-store.js';
import { JoinBatcher } from '../../shared/adapters/cosmos/join-batcher.js';
import { entryIdOf, type EntryDoc, type WaitingRoomStore } from '../../shared/waiting-room/ports.js';

let cosmos: Cosmos;
let store: WaitingRoomStore;
let joins: JoinBatcher;
const database = `joins${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  cosmos = createCosmos({ endpoint: inject('cosmosEndpoint'), key: inject('cosmosKey'), database, timeoutMs: 10_000 });
  await cosmos.ensureSchema();
  // The store reads back; the joins go through a batcher with a wide window, so every burst below
  // lands in one batch on a busy machine too.
  store = cosmosWaitingRoomStore(cosmos);
  joins = new JoinBatcher(cosmos.container('waiting-room'), 50);
}, 60_000);

const entry = (showId: string, userId: string): EntryDoc => ({
  id: entryIdOf(userId),
  kind: 'entry',
  showId,
  userId,
  key: `k-${randomBytes(6).toString('hex')}`,
  joinedAt: new Date().toISOString(),
  rejoins: 0,
});

describe('group-committed joins', () => {
  it('creates every entry of a burst, each readable with its own key', async () => {
    const show = `show-${randomBytes(3).toString('hex')}`;
    const sent = Array.from({ length: 30 }, (_, i) => entry(show, `u${i}`));
    const before = { ...joins.counts };
    const joined = await Promise.all(sent.map((e) => joins.join(e)));
    expect(joins.counts).toEqual({ batches: before.batches + 1, redone: before.redone });
    joined.forEach((j, i) => {
      expect(j.created).toBe(true);
      expect(j.entry.doc.key).toBe(sent[i]!.key);
      expect(j.entry.etag).toBeTruthy();
    });
    for (const e of sent) expect((await store.entry(show, e.userId))?.doc.key).toBe(e.key);
    expect(await store.count(show)).toBe(30);
  });

  it('keeps the returning user their place when their join shares a batch with new users', async () => {
    const show = `show-${randomBytes(3).toString('hex')}`;
    const first = await joins.join(entry(show, 'back'));
    expect(first.created).toBe(true);
    // The returning user in the middle of the burst: the batch fails at that operation.
    const sent = [entry(show, 'n1'), entry(show, 'n2'), entry(show, 'back'), entry(show, 'n3'), entry(show, 'n4')];
    const before = { ...joins.counts };
    const joined = await Promise.all(sent.map((e) => joins.join(e)));
    // The two kept before the failure and the returning user are read back; the two not attempted
    // go again together as one batch (real Cosmos DB would keep none: four in that batch).
    expect(joins.counts).toEqual({ batches: before.batches + 1, redone: before.redone + 3 });
    expect(joined.map((j) => j.created)).toEqual([true, true, false, true, true]);
    expect(joined[2]!.entry.doc.key).toBe(first.entry.doc.key);
    for (const i of [0, 1, 3, 4]) expect(joined[i]!.entry.doc.key).toBe(sent[i]!.key);
    expect(await store.count(show)).toBe(5);
  });

  it('answers the same user twice in one burst with one entry', async () => {
    const show = `show-${randomBytes(3).toString('hex')}`;
    const [a, b] = await Promise.all([joins.join(entry(show, 'twice')), joins.join(entry(show, 'twice'))]);
    expect([a!.created, b!.created].sort()).toEqual([false, true]);
    expect(b!.entry.doc.key).toBe(a!.entry.doc.key);
    expect(await store.count(show)).toBe(1);
  });
});
