// The local Service Bus through the local host: fan-out to subscriptions, redelivery with a
// growing delivery count, dead-lettering, resubmission, output bindings, cardinality many.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { storageQueueName } from '../../local/service-bus/names.js';
import { startHost, type TestHost } from '../support/local-host.js';
import { flagDir, testDatabase, type TestDatabase } from './observations.js';

interface Seen {
  body: unknown;
  metadata: Record<string, unknown>;
}

describe('local Service Bus', () => {
  let host: TestHost;
  let db: TestDatabase;
  let flags: string;
  const prefix = `t${randomBytes(3).toString('hex')}`;

  const post = async (path: string, body: unknown) => {
    const res = await fetch(host.url(`/.local/servicebus/${path}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...host.admin },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const get = async (path: string) =>
    (await (await fetch(host.url(`/.local/servicebus/${path}`), { headers: host.admin })).json()) as Record<
      string,
      unknown
    >;

  beforeAll(async () => {
    db = await testDatabase();
    flags = flagDir();
    host = await startHost({
      main: 'dist/test/fixtures/triggers-service-bus.js',
      env: { COSMOS_DATABASE: db.name, MARQUEE_SB_PREFIX: prefix, TRIGGERS_FLAG_DIR: flags },
    });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('delivers a topic message once to every subscription, with its properties and metadata', async () => {
    const sent = await post('topics/tickets/messages', {
      body: { ticket: 1 },
      messageId: 'ticket-1',
      correlationId: 'corr-1',
      subject: 'issued',
      applicationProperties: { city: 'Pune' },
    });
    expect(sent.status).toBe(201);
    for (const kind of ['tickets-audit', 'tickets-mail']) {
      const items = await db.waitFor<Seen>(kind, (xs) => xs.some((x) => x.metadata.messageId === 'ticket-1'));
      const mine = items.filter((x) => x.metadata.messageId === 'ticket-1');
      expect(mine).toHaveLength(1);
      expect(mine[0]!.body).toEqual({ ticket: 1 });
      expect(mine[0]!.metadata).toMatchObject({
        messageId: 'ticket-1',
        deliveryCount: 1,
        correlationId: 'corr-1',
        subject: 'issued',
        contentType: 'application/json',
        applicationProperties: { city: 'Pune' },
      });
      expect(typeof mine[0]!.metadata.sequenceNumber).toBe('number');
      expect(typeof mine[0]!.metadata.lockToken).toBe('string');
      expect(Date.parse(String(mine[0]!.metadata.enqueuedTimeUtc))).not.toBeNaN();
    }
  });

  it('redelivers after a handler throws, raising the delivery count each time', async () => {
    await post('topics/flaky/messages', { body: 'again' });
    const items = await db.waitFor<{ deliveryCount: number; body: unknown }>('flaky', (xs) => xs.length >= 3);
    expect(items.map((x) => x.deliveryCount)).toEqual([1, 2, 3]);
    expect(items[0]!.body).toBe('again');
    await new Promise((r) => setTimeout(r, 500));
    expect(await db.list('flaky')).toHaveLength(3); // completed on the third delivery
  });

  it('dead-letters after maxDeliveryCount failed deliveries, then resubmits it through the local endpoint', async () => {
    const messageId = `poison-${randomBytes(3).toString('hex')}`;
    await post('queues/poison/messages', { body: { bad: true }, messageId });
    const tries = await db.waitFor<{ messageId: string; deliveryCount: number }>(
      'poison',
      (xs) => xs.filter((x) => x.messageId === messageId).length >= 10,
    );
    expect(tries.map((x) => x.deliveryCount)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // host.json maxDeliveryCount 10

    let dead: { messageId: string; deadLetterReason: string; deadLetterErrorDescription: string; body: unknown }[] = [];
    for (let i = 0; i < 50 && dead.length === 0; i++) {
      dead = (await get('queues/poison/deadletter')).messages as typeof dead;
      if (dead.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ messageId, deadLetterReason: 'MaxDeliveryCountExceeded', body: { bad: true } });
    expect(dead[0]!.deadLetterErrorDescription).toContain(`poison message ${messageId}`);

    const entities = (await get('entities')).entities as {
      path: string;
      activeMessageCount: number;
      deadLetterMessageCount: number;
    }[];
    expect(entities.find((e) => e.path === 'poison')).toMatchObject({
      activeMessageCount: 0,
      deadLetterMessageCount: 1,
    });
    expect(entities.map((e) => e.path).sort()).toEqual([
      'bulk',
      'flaky/Subscriptions/worker',
      'inbound/Subscriptions/fwd',
      'outq',
      'poison',
      'tickets/Subscriptions/audit',
      'tickets/Subscriptions/mail',
    ]);

    writeFileSync(join(flags, `heal-${messageId}`), '');
    expect((await post(`queues/poison/deadletter/${messageId}/resubmit`, {})).status).toBe(200);
    const after = await db.waitFor<{ messageId: string; deliveryCount: number; healed: boolean }>('poison', (xs) =>
      xs.some((x) => x.messageId === messageId && x.healed),
    );
    expect(after.filter((x) => x.messageId === messageId).at(-1)).toMatchObject({ healed: true, deliveryCount: 1 });
    expect((await get('queues/poison/deadletter')).messages).toEqual([]);
    expect((await post(`queues/poison/deadletter/${messageId}/resubmit`, {})).status).toBe(404);
  });

  it('publishes what a handler writes to its output bindings: $return to a topic, an array to a queue', async () => {
    await post('topics/inbound/messages', { body: { n: 7 } });
    for (const kind of ['tickets-audit', 'tickets-mail']) {
      await db.waitFor<Seen>(kind, (xs) => xs.some((x) => JSON.stringify(x.body) === JSON.stringify({ forwarded: 7 })));
    }
    const out = await db.waitFor<Seen>('outq', (xs) => xs.length >= 2);
    const text = out.find((x) => x.body === 'plain text 7');
    const envelope = out.find((x) => x.metadata.messageId === 'fixed-7');
    expect(text).toBeDefined();
    expect(envelope).toMatchObject({ body: { n: 7 }, metadata: { subject: 'envelope' } });
  });

  it('hands a cardinality "many" function the messages as arrays', async () => {
    await post(
      'queues/bulk/messages',
      [1, 2, 3, 4, 5].map((n) => ({ body: { n }, messageId: `bulk-${n}` })),
    );
    const batches = await db.waitFor<{ bodies: { n: number }[]; messageIds: string[] }>(
      'bulk',
      (xs) => xs.flatMap((x) => x.bodies).length >= 5,
    );
    expect(batches.flatMap((x) => x.bodies.map((b) => b.n)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(batches.flatMap((x) => x.messageIds).sort()).toEqual(['bulk-1', 'bulk-2', 'bulk-3', 'bulk-4', 'bulk-5']);
  });

  it('answers 404 for an entity the app does not know', async () => {
    expect((await post('topics/nowhere/messages', { body: 1 })).status).toBe(404);
  });

  it('keeps messages in Azurite queues named from MARQUEE_SB_PREFIX, so a restarted host still has them', async () => {
    const queues = QueueServiceClient.fromConnectionString(inject('storageConnectionString'));
    const name = storageQueueName(prefix, { kind: 'subscription', topic: 'tickets', subscription: 'audit' });
    expect(await queues.getQueueClient(name).exists()).toBe(true);

    await host.stop();
    // Written straight into the backing queue while no host runs: the restarted host delivers it.
    const { toStored, encode } = await import('../../local/service-bus/envelope.js');
    await queues.getQueueClient(name).sendMessage(encode(toStored({ body: 'while down', messageId: 'offline-1' }, 1)));
    await host.restart();
    const items = await db.waitFor<Seen>('tickets-audit', (xs) => xs.some((x) => x.metadata.messageId === 'offline-1'));
    expect(items.find((x) => x.metadata.messageId === 'offline-1')!.body).toBe('while down');
  });
});
