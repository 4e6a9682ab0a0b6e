// The Cosmos DB trigger through the local host: order per partition key, the batch cap, retries
// with and without a policy, and at-least-once delivery across a crash before the checkpoint.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { flagDir, testDatabase, type TestDatabase } from './observations.js';

type Summary = { id: string; pk: string; v: number; ts: number };
type Batch = { docs: Summary[] };

const containers = ['orders', 'retry', 'skip', 'crash'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startFeedHost(db: TestDatabase, flags: string, leasePrefix: string): Promise<TestHost> {
  return startHost({
    main: 'dist/test/fixtures/triggers-change-feed.js',
    env: {
      COSMOS_DATABASE: db.name,
      TRIGGERS_FLAG_DIR: flags,
      MARQUEE_LEASE_PREFIX: leasePrefix,
      // The trigger's `connection` as a connection string, as in Azure app settings.
      CosmosFeedConnection: `AccountEndpoint=${inject('cosmosEndpoint')};AccountKey=${inject('cosmosKey')};`,
    },
  });
}

describe('Cosmos DB trigger (change feed by polling)', () => {
  let host: TestHost;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await testDatabase(containers);
    host = await startFeedHost(db, flagDir(), 'feed');
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('delivers inserts and updates in order per partition key, latest versions, in batches of at most maxItemsPerInvocation', async () => {
    const orders = db.database.container('orders');
    // Two partitions written in turns, slower than the 100 ms poll, then a burst of ten at once.
    for (let i = 1; i <= 6; i++) {
      await orders.items.create({ id: `a${i}`, pk: 'A', v: 1 });
      await orders.items.create({ id: `b${i}`, pk: 'B', v: 1 });
      if (i === 3) await orders.items.upsert({ id: 'a1', pk: 'A', v: 2 });
      await sleep(150);
    }
    await Promise.all(Array.from({ length: 10 }, (_, i) => orders.items.create({ id: `c${i}`, pk: 'C', v: 1 })));

    // Every document, a1 at its latest version (its first version may be collapsed into the update
    // when both land between two polls, as the real change feed does).
    const complete = (xs: Batch[]) => {
      const docs = xs.flatMap((x) => x.docs);
      return new Set(docs.map((d) => d.id)).size >= 22 && docs.some((d) => d.id === 'a1' && d.v === 2);
    };
    const batches = await db.waitFor<Batch>('ordered', complete);
    const delivered = batches.flatMap((b) => b.docs);
    for (const b of batches) expect(b.docs.length).toBeLessThanOrEqual(3);
    expect(batches.filter((b) => b.docs.some((d) => d.pk === 'C')).length).toBeGreaterThanOrEqual(4);

    // Per partition: first deliveries in write order; a document's versions never go backwards.
    const firstSeen = (pk: string) => [...new Set(delivered.filter((d) => d.pk === pk).map((d) => d.id))];
    expect(firstSeen('A').filter((id) => id !== 'a1')).toEqual(['a2', 'a3', 'a4', 'a5', 'a6']);
    // a1 comes first when its insert was seen on its own; collapsed into its update, it comes where the update was written.
    if (delivered.some((d) => d.id === 'a1' && d.v === 1)) expect(firstSeen('A')[0]).toBe('a1');
    expect(firstSeen('B')).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6']);
    expect(firstSeen('C').sort()).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`).sort());
    const a1 = delivered.filter((d) => d.id === 'a1').map((d) => d.v);
    expect([[1, 2], [2]]).toContainEqual(a1);
    // _ts never decreases along the feed.
    const ts = delivered.map((d) => d.ts);
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
    // Nothing delivered twice.
    expect(delivered.length).toBe(new Set(delivered.map((d) => `${d.id}@${d.v}`)).size);
  });

  it('with a retry policy re-invokes the same batch with retryContext before moving on', async () => {
    await db.database.container('retry').items.create({ id: 'r1', pk: 'R', v: 1 });
    const tries = await db.waitFor<Batch & { retryCount: number; maxRetryCount: number }>(
      'retried',
      (xs) => xs.length >= 3,
    );
    expect(tries.map((t) => t.retryCount)).toEqual([0, 1, 2]);
    expect(tries.every((t) => t.docs.map((d) => d.id).join() === 'r1')).toBe(true);
    expect(tries[0]!.maxRetryCount).toBe(5);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(900); // delayInterval 1 s
    await sleep(1500);
    expect(await db.list('retried')).toHaveLength(3); // succeeded, checkpointed: not delivered again
  });

  it('without a retry policy logs a failing batch and moves on: those changes are not redelivered', async () => {
    const skip = db.database.container('skip');
    await skip.items.create({ id: 's1', pk: 'S', fail: true });
    await db.waitFor<Batch>('skipper', (xs) => xs.length >= 1);
    await skip.items.create({ id: 's2', pk: 'S' });
    const items = await db.waitFor<Batch & { retryContext: unknown }>('skipper', (xs) =>
      xs.some((x) => x.docs.some((d) => d.id === 's2')),
    );
    await sleep(500);
    const all = await db.list<Batch>('skipper');
    expect(all.map((x) => x.docs.map((d) => d.id).join())).toEqual(['s1', 's2']);
    expect(items[0]!.retryContext).toBeNull();
  });
});

describe('Cosmos DB trigger leases', () => {
  it('redelivers a batch after the host was killed before its checkpoint, and not after one', async () => {
    const db = await testDatabase(containers);
    const flags = flagDir();
    writeFileSync(join(flags, 'block'), '');
    const host = await startFeedHost(db, flags, 'crash');
    try {
      await db.database.container('crash').items.create({ id: 'k1', pk: 'K', v: 1 });
      const first = await db.waitFor<Batch>('crashy', (xs) => xs.length >= 1);
      expect(first[0]!.docs.map((d) => d.id)).toEqual(['k1']);

      await host.kill(); // SIGKILL while the handler hangs: no checkpoint was written
      rmSync(join(flags, 'block'));
      await host.restart();
      const again = await db.waitFor<Batch>('crashy', (xs) => xs.length >= 2);
      expect(again[1]!.docs.map((d) => d.id)).toEqual(['k1']);
      expect(again[1]!.pid).not.toBe(again[0]!.pid);

      // This time the batch completed and was checkpointed: a clean restart does not deliver it again,
      // and startFromBeginning does not apply because the lease exists.
      await sleep(500);
      await host.stop();
      await host.restart();
      await db.database.container('crash').items.create({ id: 'k2', pk: 'K', v: 1 });
      const later = await db.waitFor<Batch>('crashy', (xs) => xs.some((x) => x.docs.some((d) => d.id === 'k2')));
      expect(later.map((x) => x.docs.map((d) => d.id).join())).toEqual(['k1', 'k1', 'k2']);

      // The lease lives in the lease container under the documented id.
      const { resource } = await db.database
        .container('leases')
        .item(`crashy-crash.${db.name}.crash.crashy`, `crashy-crash.${db.name}.crash.crashy`)
        .read();
      expect(resource).toMatchObject({ functionName: 'crashy', monitored: `${db.name}/crash` });
    } finally {
      await host.stop();
    }
  });
});
