// The local Service Bus namespace: entities from the topology, each backed by an Azurite queue
// (names.ts) plus a dead-letter queue. Sending to a topic copies the message into every
// subscription's queue. Receivers (receiver.ts) lock with the queue's visibility timeout.
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { Logger } from '../core/log.js';
import { usage } from '../core/usage.js';
import { decode, encode, toStored, type OutgoingMessage, type StoredMessage } from './envelope.js';
import { entityPath, storageQueueName, type EntityRef } from './names.js';
import type { Topology } from './topology.js';

export class EntityNotFoundError extends Error {
  override name = 'EntityNotFoundError';
}

export interface EntityInfo {
  path: string;
  ref: EntityRef;
  storageQueue: string;
  deadLetterStorageQueue: string;
  activeMessageCount: number;
  deadLetterMessageCount: number;
}

export interface DeadLetteredMessage extends StoredMessage {
  deadLetterDeliveryCount: number;
}

// Azure queue messages live 7 days by default; Service Bus messages do not expire by default.
const FOREVER = -1;

export class LocalServiceBus {
  private readonly service: QueueServiceClient;
  private readonly clients = new Map<string, QueueClient>();
  private readonly wakers = new Map<string, Set<() => void>>();
  private lastSequence = 0;

  constructor(
    connectionString: string,
    readonly prefix: string,
    readonly topology: Topology,
    private readonly log: Logger,
  ) {
    this.service = QueueServiceClient.fromConnectionString(connectionString);
  }

  /** Every entity: the queues and each topic subscription. */
  entities(): EntityRef[] {
    const refs: EntityRef[] = [...this.topology.queues].map((queue) => ({ kind: 'queue', queue }));
    for (const [topic, subs] of this.topology.topics)
      for (const subscription of subs) refs.push({ kind: 'subscription', topic, subscription });
    return refs;
  }

  /** Creates the backing queues; idempotent, so a restart keeps what was in them. */
  async ensure(): Promise<void> {
    await Promise.all(
      this.entities().flatMap((ref) => [
        this.queue(ref).createIfNotExists(),
        this.queue(ref, true).createIfNotExists(),
      ]),
    );
  }

  queue(ref: EntityRef, deadLetter = false): QueueClient {
    const name = storageQueueName(this.prefix, ref, deadLetter);
    let client = this.clients.get(name);
    if (!client) this.clients.set(name, (client = this.service.getQueueClient(name)));
    return client;
  }

  /** Resolves a send target by name: queues and topics share the namespace, as in Service Bus. */
  targets(name: string): EntityRef[] {
    if (this.topology.queues.has(name)) return [{ kind: 'queue', queue: name }];
    const subs = this.topology.topics.get(name);
    if (!subs)
      throw new EntityNotFoundError(`no queue or topic named "${name}" (entities come from the app's registrations)`);
    return [...subs].map((subscription) => ({ kind: 'subscription', topic: name, subscription }));
  }

  /** Sends to a queue or topic; each message gets the next sequence number. */
  async publish(name: string, messages: OutgoingMessage | OutgoingMessage[]): Promise<StoredMessage[]> {
    const targets = this.targets(name);
    const stored = (Array.isArray(messages) ? messages : [messages]).map((m) => toStored(m, this.nextSequence()));
    for (const message of stored) {
      const text = encode(message);
      await Promise.all(targets.map((ref) => this.queue(ref).sendMessage(text, { messageTimeToLive: FOREVER })));
    }
    for (const ref of targets) this.wake(ref);
    const sb = usage.c.serviceBus;
    sb.sent += stored.length;
    sb.enqueued += stored.length * targets.length;
    return stored;
  }

  /** Puts a copy into the entity's dead-letter queue (the caller then deletes the original). */
  async deadLetter(
    ref: EntityRef,
    message: StoredMessage,
    reason: string,
    description: string,
    deliveryCount: number,
  ): Promise<void> {
    const copy: StoredMessage = {
      ...message,
      deadLetterReason: reason,
      deadLetterErrorDescription: description.slice(0, 4096),
      deliveryCount,
    };
    await this.queue(ref, true).sendMessage(encode(copy), { messageTimeToLive: FOREVER });
    usage.c.serviceBus.deadLettered++;
    this.log.warn(
      'Service Bus: message %s on %s dead-lettered (%s: %s)',
      message.messageId,
      entityPath(ref),
      reason,
      description.split('\n')[0],
    );
  }

  async info(): Promise<EntityInfo[]> {
    return Promise.all(
      this.entities().map(async (ref) => {
        const [active, dead] = await Promise.all([
          this.queue(ref).getProperties(),
          this.queue(ref, true).getProperties(),
        ]);
        return {
          path: entityPath(ref),
          ref,
          storageQueue: this.queue(ref).name,
          deadLetterStorageQueue: this.queue(ref, true).name,
          activeMessageCount: active.approximateMessagesCount ?? 0,
          deadLetterMessageCount: dead.approximateMessagesCount ?? 0,
        };
      }),
    );
  }

  /** Peeks the dead-letter queue (at most 32, Azure Queue's peek limit). */
  async deadLetters(ref: EntityRef): Promise<DeadLetteredMessage[]> {
    this.assertKnown(ref);
    const peeked = await this.queue(ref, true).peekMessages({ numberOfMessages: 32 });
    return peeked.peekedMessageItems.map((item) => {
      const message = decode(item.messageText);
      return { ...message, deadLetterDeliveryCount: message.deliveryCount ?? 0 };
    });
  }

  /**
   * Moves a dead-lettered message back to its entity as a new message: same messageId and body, a
   * new sequence number, delivery count starting again (it is a new queue message). Returns false
   * when no dead-lettered message has that id.
   */
  async resubmit(ref: EntityRef, messageId: string): Promise<boolean> {
    this.assertKnown(ref);
    const dlq = this.queue(ref, true);
    // Azure Queue can only delete what it received: receive in rounds (the others stay hidden so
    // each round sees new ones), keep the match, then release the rest at once.
    const held: { messageId: string; popReceipt: string; messageText: string }[] = [];
    let found = false;
    try {
      for (let round = 0; round < 32 && !found; round++) {
        const got = await dlq.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 });
        if (got.receivedMessageItems.length === 0) break;
        for (const item of got.receivedMessageItems) {
          const message = decode(item.messageText);
          if (found || message.messageId !== messageId) {
            held.push(item);
            continue;
          }
          found = true;
          const { deadLetterReason: _r, deadLetterErrorDescription: _d, deliveryCount: _c, ...clean } = message;
          const fresh: StoredMessage = {
            ...clean,
            sequenceNumber: this.nextSequence(),
            enqueuedTimeUtc: new Date().toISOString(),
          };
          await this.queue(ref).sendMessage(encode(fresh), { messageTimeToLive: FOREVER });
          await dlq.deleteMessage(item.messageId, item.popReceipt);
          this.wake(ref);
        }
      }
    } finally {
      await Promise.all(held.map((item) => dlq.updateMessage(item.messageId, item.popReceipt, item.messageText, 0)));
    }
    return found;
  }

  onWake(ref: EntityRef, wake: () => void): () => void {
    const name = this.queue(ref).name;
    let set = this.wakers.get(name);
    if (!set) this.wakers.set(name, (set = new Set()));
    set.add(wake);
    return () => set.delete(wake);
  }

  private wake(ref: EntityRef): void {
    for (const wake of this.wakers.get(this.queue(ref).name) ?? []) wake();
  }

  private assertKnown(ref: EntityRef): void {
    const known =
      ref.kind === 'queue'
        ? this.topology.queues.has(ref.queue)
        : this.topology.topics.get(ref.topic)?.has(ref.subscription);
    if (!known) throw new EntityNotFoundError(`no entity "${entityPath(ref)}"`);
  }

  /**
   * Sequence numbers grow within a host and, being derived from the clock (µs since 1970, still
   * below 2^53), across restarts too, without a shared counter.
   */
  private nextSequence(): number {
    this.lastSequence = Math.max(this.lastSequence + 1, Date.now() * 1000);
    return this.lastSequence;
  }
}
