// A plain v4 app using the storage bindings (test/fidelity/apps/storage-app), run by the local host
// from a temporary folder without local.settings.json, against the run's Azurite: a queue output, a
// queue trigger writing a blob and a table entity, HTTP reading them back through input bindings; a
// failing queue trigger whose message ends in the poison queue; a blob trigger that runs once per
// blob, also across a host restart (its receipts live in Azurite). Checked over HTTP and with the
// storage SDKs, as a user would look at their account.
import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { odata, TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { poll, prepareApp, startApp } from './harness.js';

const storage = inject('storageConnectionString');
const queues = QueueServiceClient.fromConnectionString(storage);
const blobs = BlobServiceClient.fromConnectionString(storage);
const table = (name: string) => TableClient.fromConnectionString(storage, name, { allowInsecureConnection: true });
const unique = () => randomBytes(4).toString('hex');
/** What the Storage Queues extension writes and reads by default: base64 of the UTF-8 text. */
const base64 = (text: string) => Buffer.from(text).toString('base64');

let host: TestHost;

beforeAll(async () => {
  host = await startApp(prepareApp('storage-app'));
});
afterAll(() => host?.stop());

interface Order {
  receipt: { id: string; item: string; processed: boolean };
  receiptIsBuffer: boolean;
  entity: Record<string, unknown>;
  listed: string[];
}

const readOrder = (id: string) =>
  poll(
    async () => {
      const res = await fetch(host.url(`/api/orders/${id}`));
      return res.status === 200 ? ((await res.json()) as Order) : undefined;
    },
    (o) => o !== undefined,
  ) as Promise<Order>;

async function runsOf(name: string): Promise<Record<string, unknown>[]> {
  const runs: Record<string, unknown>[] = [];
  const query = { queryOptions: { filter: odata`PartitionKey eq ${name}` } };
  try {
    for await (const run of table('BlobRuns').listEntities<Record<string, unknown>>(query)) runs.push(run);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err; // no run yet: no table yet
  }
  return runs;
}

describe('a foreign app with storage bindings', () => {
  it('queues through an output, processes with a queue trigger into a blob and a table, reads both back', async () => {
    const id = `o-${unique()}`;
    const res = await fetch(host.url('/api/orders'), { method: 'POST', body: JSON.stringify({ id, item: 'popcorn' }) });
    expect(res.status).toBe(202);
    const order = await readOrder(id);
    expect(order.receipt).toEqual({ id, item: 'popcorn', processed: true });
    expect(order.receiptIsBuffer).toBe(true);
    expect(order.entity).toMatchObject({
      PartitionKey: 'orders',
      RowKey: id,
      item: 'popcorn',
      payloadWasObject: true,
      dequeueCount: 1,
      hasPopReceipt: true,
      queueTrigger: JSON.stringify({ id, item: 'popcorn' }),
    });
    expect(order.entity.messageId).toMatch(/^[0-9a-f-]{36}$/);
    for (const time of ['insertionTime', 'expirationTime', 'nextVisibleTime', 'Timestamp'])
      expect(Number.isNaN(Date.parse(String(order.entity[time])))).toBe(false);
    expect(order.listed).toContain(id);

    // The same account through the SDKs: the blob and the entity are there, the queue is empty.
    const blob = await blobs.getContainerClient('receipts').getBlockBlobClient(`${id}.json`).downloadToBuffer();
    expect(JSON.parse(blob.toString())).toEqual({ id, item: 'popcorn', processed: true });
    expect(await table('Orders').getEntity('orders', id)).toMatchObject({ item: 'popcorn' });
    expect((await queues.getQueueClient('orders').peekMessages()).peekedMessageItems).toEqual([]);

    // A message another program puts on the queue, base64-encoded as the extension expects.
    const other = `o-${unique()}`;
    await queues.getQueueClient('orders').sendMessage(base64(JSON.stringify({ id: other, item: 'nachos' })));
    expect((await readOrder(other)).entity).toMatchObject({ RowKey: other, item: 'nachos', dequeueCount: 1 });
    expect((await fetch(host.url(`/api/orders/missing-${unique()}`))).status).toBe(404);
  });

  it('moves a message that keeps failing to <queue>-poison after maxDequeueCount (3 in host.json)', async () => {
    const text = `doom-${unique()}`;
    const doomed = queues.getQueueClient('doomed');
    await doomed.createIfNotExists();
    await doomed.sendMessage(base64(text));
    const poisoned = await poll(
      async () =>
        (
          await queues
            .getQueueClient('doomed-poison')
            .peekMessages({ numberOfMessages: 32 })
            .catch(() => undefined)
        )?.peekedMessageItems.map((m) => Buffer.from(m.messageText, 'base64').toString()) ?? [],
      (texts) => texts.includes(text),
    );
    expect(poisoned).toContain(text);
    expect((await doomed.peekMessages()).peekedMessageItems).toEqual([]);
    const attempts = (await (await fetch(host.url('/api/doomedAttempts'))).json()) as {
      message: string;
      dequeueCount: number;
    }[];
    expect(attempts.filter((a) => a.message === text).map((a) => a.dequeueCount)).toEqual([1, 2, 3]);
    expect(host.output()).toMatch(/Executed 'alwaysFails' \(Failed, Id=[0-9a-f-]{36}, queue doomed/);
  });

  it('runs a blob trigger once per blob, also across a host restart (receipts in Azurite)', async () => {
    const uploads = blobs.getContainerClient('uploads');
    // One blob written by the app's own HTTP function (a blob output named by the route)...
    const first = `a-${unique()}.txt`;
    const put = await fetch(host.url(`/api/uploads/${first}`), { method: 'PUT', body: 'hello' });
    expect(put.status).toBe(201);
    await poll(
      () => runsOf(first),
      (runs) => runs.length >= 1,
    );
    // Its blob receipt, where the extension keeps them, in the same storage account.
    const receipts = blobs.getContainerClient('azure-webjobs-hosts');
    const receipt = await poll(
      async () => {
        for await (const r of receipts.listBlobsFlat({ prefix: 'blobreceipts/', includeMetadata: true }))
          if (r.name.includes('/Host.Functions.uploadWatcher/') && r.name.endsWith(`/uploads/${first}`)) return r;
        return undefined;
      },
      (r) => r !== undefined,
    );
    expect(receipt?.metadata).toMatchObject({ Completed: 'true' });

    await host.stop();
    await host.restart();
    // ...one by another program after a restart. Blobs of one scan run in listing order, so once
    // the later one ran, the earlier one had been seen again.
    const second = `b-${unique()}.txt`;
    await uploads.getBlockBlobClient(second).upload('hello again', 11);
    await poll(
      () => runsOf(second),
      (runs) => runs.length >= 1,
    );
    expect(await runsOf(first)).toHaveLength(1);
    const runs = await runsOf(second);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ size: 11, isBuffer: true, blobTrigger: `uploads/${second}` });
  });
});
