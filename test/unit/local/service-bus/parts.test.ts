// Pure parts of the local Service Bus: queue-name mapping, polling back-off, message envelopes.
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../../local/service-bus/backoff.js';
import {
  bodyForHandler,
  fromOutputValue,
  metadataForMany,
  metadataForOne,
  toStored,
} from '../../../../local/service-bus/envelope.js';
import { isValidQueueName, storageQueueName, type EntityRef } from '../../../../local/service-bus/names.js';

const sub = (topic: string, subscription: string): EntityRef => ({ kind: 'subscription', topic, subscription });

describe('Service Bus entity → Azurite queue names', () => {
  it('is deterministic and readable', () => {
    const name = storageQueueName('sb', sub('booking-events', 'notifications'));
    expect(name).toBe(storageQueueName('sb', sub('booking-events', 'notifications')));
    expect(name).toMatch(/^sb-s-booking-events-notifications-[0-9a-f]{8}$/);
  });

  it('keeps names apart that only differ in case or punctuation, and the dead-letter queue', () => {
    const names = [
      storageQueueName('sb', { kind: 'queue', queue: 'Orders' }),
      storageQueueName('sb', { kind: 'queue', queue: 'orders' }),
      storageQueueName('sb', { kind: 'queue', queue: 'or.ders' }),
      storageQueueName('sb', { kind: 'queue', queue: 'or-ders' }),
      storageQueueName('sb', { kind: 'queue', queue: 'orders' }, true),
      storageQueueName('sb', sub('orders', 'x')),
      storageQueueName('sb', sub('orders', 'x'), true),
      storageQueueName('t2', { kind: 'queue', queue: 'orders' }),
    ];
    expect(new Set(names).size).toBe(names.length);
  });

  it('always yields a valid Azure queue name, even for long or odd entity names', () => {
    const odd = ['a', 'A_B.C/d', '---', '$weird$', 'x'.repeat(260), 'Événements', '1'];
    for (const a of odd) {
      for (const name of [
        storageQueueName('sb', { kind: 'queue', queue: a }),
        storageQueueName('abcdefghijklmnop', sub(a, a), true),
      ]) {
        expect(isValidQueueName(name), name).toBe(true);
      }
    }
  });
});

describe('receive back-off', () => {
  it('doubles from 50 ms to 1 s while empty and drops to 0 when messages arrive', () => {
    const b = new Backoff(50, 1000);
    expect([0, 0, 0, 0, 0, 0, 0].map(() => b.next(0))).toEqual([50, 100, 200, 400, 800, 1000, 1000]);
    expect(b.next(3)).toBe(0);
    expect(b.next(0)).toBe(50);
  });
});

describe('message envelopes', () => {
  it('stores objects as JSON, strings as text and Buffers as bytes', () => {
    expect(toStored({ body: { a: 1 } }, 1)).toMatchObject({
      bodyType: 'json',
      body: { a: 1 },
      contentType: 'application/json',
    });
    expect(toStored({ body: 'hi' }, 1)).toMatchObject({ bodyType: 'text', body: 'hi' });
    expect(toStored({ body: Buffer.from('hi') }, 1)).toMatchObject({
      bodyType: 'bytes',
      body: Buffer.from('hi').toString('base64'),
    });
  });

  it('gives every message an id and keeps one the sender chose', () => {
    expect(toStored({ body: 1 }, 1).messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(toStored({ body: 1, messageId: 'booking-7-confirmed' }, 1).messageId).toBe('booking-7-confirmed');
  });

  it('reads an output value as an envelope only when it has body and a string messageId and nothing else', () => {
    expect(fromOutputValue({ body: { a: 1 }, messageId: 'm1', subject: 's' })).toEqual({
      body: { a: 1 },
      messageId: 'm1',
      subject: 's',
    });
    expect(fromOutputValue({ body: 'x', messageId: 'm1', other: true })).toEqual({
      body: { body: 'x', messageId: 'm1', other: true },
    });
    expect(fromOutputValue({ body: 'x' })).toEqual({ body: { body: 'x' } });
    expect(fromOutputValue('plain')).toEqual({ body: 'plain' });
  });

  it('hands handlers parsed JSON, text as a string, and text that is JSON parsed like the worker does', () => {
    expect(bodyForHandler(toStored({ body: { a: 1 } }, 1))).toEqual({ a: 1 });
    expect(bodyForHandler(toStored({ body: 'hello' }, 1))).toBe('hello');
    expect(bodyForHandler(toStored({ body: '{"a":2}' }, 1))).toEqual({ a: 2 });
    expect(bodyForHandler(toStored({ body: Buffer.from([1, 2]) }, 1))).toEqual(Buffer.from([1, 2]));
  });

  it('builds camelCased trigger metadata, one value per message or one array per property', () => {
    const message = toStored(
      { body: 1, messageId: 'm', correlationId: 'c', subject: 's', applicationProperties: { k: 'v' } },
      42,
    );
    const d = { message, deliveryCount: 2, lockToken: 'lt', lockedUntilUtc: 'x' };
    expect(metadataForOne(d)).toMatchObject({
      messageId: 'm',
      deliveryCount: 2,
      correlationId: 'c',
      subject: 's',
      label: 's',
      sequenceNumber: 42,
      lockToken: 'lt',
      applicationProperties: { k: 'v' },
      contentType: 'application/json',
    });
    expect(metadataForMany([d, d])).toMatchObject({ messageIdArray: ['m', 'm'], deliveryCountArray: [2, 2] });
  });
});
