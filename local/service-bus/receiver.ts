// One trigger function's message pump, in peek-lock mode, as the real trigger receives:
// - receiving a message locks it: the Azurite message becomes invisible for the lock duration;
// - the lock is renewed while the handler runs, up to maxAutoLockRenewalDuration, as the host does;
// - success completes it (delete); a throw abandons it (visible again at once), and the next
//   receive raises its delivery count; past maxDeliveryCount it goes to the dead-letter queue with
//   MaxDeliveryCountExceeded and the last error;
// - at most maxConcurrentCalls handler calls run at once, and we only receive what we can start,
//   so no message sits locked while waiting for a slot.
import { randomUUID } from 'node:crypto';
import type { QueueClient, ReceivedMessageItem } from '@azure/storage-queue';
import type { HostContext } from '../core/plugin.js';
import type { RegisteredFunction } from '../core/registry.js';
import { usage } from '../core/usage.js';
import { Backoff } from './backoff.js';
import type { LocalServiceBus } from './broker.js';
import { bodyForHandler, decode, metadataForMany, metadataForOne, type Delivery } from './envelope.js';
import { entityPath, type EntityRef } from './names.js';

export interface ReceiverOptions {
  maxConcurrentCalls: number;
  maxDeliveryCount: number;
  lockDurationMs: number;
  maxAutoLockRenewalMs: number;
  /** "many": one invocation per received batch (Azure Queue hands out at most 32 at a time). */
  cardinality: 'one' | 'many';
}

interface Locked {
  item: ReceivedMessageItem;
  popReceipt: string;
  delivery: Delivery;
}

export class Receiver {
  private stopped = false;
  private inFlight = 0;
  private readonly running = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private readonly backoff = new Backoff(50, 1000);
  private readonly queue: QueueClient;
  private loopDone: Promise<void> | undefined;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly host: HostContext,
    private readonly bus: LocalServiceBus,
    private readonly fn: RegisteredFunction,
    private readonly ref: EntityRef,
    private readonly options: ReceiverOptions,
  ) {
    this.queue = bus.queue(ref);
  }

  start(): void {
    this.unsubscribe = this.bus.onWake(this.ref, () => this.wake());
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.wake();
    await this.loopDone;
    // Handlers still running keep their locks; what they do not settle is redelivered after the lock.
    await Promise.race([Promise.all(this.running), new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    const lockSeconds = Math.max(1, Math.round(this.options.lockDurationMs / 1000));
    while (!this.stopped) {
      const free = this.options.maxConcurrentCalls - this.inFlight;
      if (free <= 0) {
        await this.sleep(1000); // a settle wakes us earlier
        continue;
      }
      let items: ReceivedMessageItem[] = [];
      try {
        const want = this.options.cardinality === 'many' ? 32 : Math.min(32, free);
        items = (await this.queue.receiveMessages({ numberOfMessages: want, visibilityTimeout: lockSeconds }))
          .receivedMessageItems;
      } catch (err) {
        if (this.stopped) return;
        this.host.log.warn('Service Bus receive on %s failed: %s', entityPath(this.ref), (err as Error).message);
      }
      const locked = await this.accept(items, lockSeconds);
      usage.c.serviceBus.received += locked.length;
      if (locked.length > 0) {
        if (this.options.cardinality === 'many') this.track(this.handle(locked));
        else for (const one of locked) this.track(this.handle([one]));
      }
      const delay = this.backoff.next(items.length);
      if (delay > 0 && !this.stopped) await this.sleep(delay);
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight++;
    const p = work.finally(() => {
      this.inFlight--;
      this.running.delete(p);
      this.backoff.reset();
      this.wake();
    });
    this.running.add(p);
  }

  /** Decodes what was received; dead-letters what cannot be delivered. */
  private async accept(items: ReceivedMessageItem[], lockSeconds: number): Promise<Locked[]> {
    const locked: Locked[] = [];
    for (const item of items) {
      let message;
      try {
        message = decode(item.messageText);
      } catch (err) {
        this.host.log.error(
          'Service Bus: dropping unreadable message %s on %s: %s',
          item.messageId,
          entityPath(this.ref),
          (err as Error).message,
        );
        await this.queue.deleteMessage(item.messageId, item.popReceipt).catch(() => {});
        continue;
      }
      const delivery: Delivery = {
        message,
        deliveryCount: item.dequeueCount,
        lockToken: randomUUID(),
        lockedUntilUtc: new Date(Date.now() + lockSeconds * 1000).toISOString(),
      };
      // A lock that lapsed (handler too slow, host crashed) also counts as a delivery.
      if (item.dequeueCount > this.options.maxDeliveryCount) {
        await this.bus.deadLetter(
          this.ref,
          message,
          'MaxDeliveryCountExceeded',
          'the lock expired on the last delivery',
          item.dequeueCount - 1,
        );
        await this.queue.deleteMessage(item.messageId, item.popReceipt).catch(() => {});
        continue;
      }
      locked.push({ item, popReceipt: item.popReceipt, delivery });
    }
    return locked;
  }

  private async handle(batch: Locked[]): Promise<void> {
    const renewal = this.renewLocks(batch);
    const deliveries = batch.map((b) => b.delivery);
    let error: unknown;
    try {
      if (this.options.cardinality === 'many') {
        await this.host.invoker.invoke(
          this.fn,
          deliveries.map((d) => bodyForHandler(d.message)),
          { triggerMetadata: metadataForMany(deliveries) },
        );
      } else {
        const [d] = deliveries;
        await this.host.invoker.invoke(this.fn, bodyForHandler(d!.message), { triggerMetadata: metadataForOne(d!) });
      }
    } catch (err) {
      error = err;
      this.host.log.warn(
        '%s: message %s (delivery %d) is abandoned after the failure above',
        this.fn.name,
        deliveries.map((d) => d.message.messageId).join(','),
        deliveries[0]?.deliveryCount,
      );
    }
    await renewal.stop();
    await Promise.all(batch.map((b) => this.settle(b, error)));
  }

  private async settle(b: Locked, error: unknown): Promise<void> {
    const { item, delivery } = b;
    try {
      if (error === undefined) {
        await this.queue.deleteMessage(item.messageId, b.popReceipt);
        usage.c.serviceBus.completed++;
      } else if (delivery.deliveryCount >= this.options.maxDeliveryCount) {
        const description = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await this.bus.deadLetter(
          this.ref,
          delivery.message,
          'MaxDeliveryCountExceeded',
          description,
          delivery.deliveryCount,
        );
        await this.queue.deleteMessage(item.messageId, b.popReceipt);
      } else {
        // Abandon: visible again at once; the next receive is delivery count + 1.
        await this.queue.updateMessage(item.messageId, b.popReceipt, item.messageText, 0);
        usage.c.serviceBus.abandoned++;
      }
    } catch (err) {
      // 404/400 here means the lock was lost (it lapsed and someone else holds the message now).
      this.host.log.warn(
        'Service Bus: could not settle message %s on %s (lock lost?): %s',
        delivery.message.messageId,
        entityPath(this.ref),
        (err as Error).message,
      );
    }
  }

  /** Extends each lock at half its duration while the handler runs; every renewal moves the popReceipt. */
  private renewLocks(batch: Locked[]): { stop(): Promise<void> } {
    const lockSeconds = Math.max(1, Math.round(this.options.lockDurationMs / 1000));
    const until = Date.now() + this.options.maxAutoLockRenewalMs;
    let pending: Promise<unknown> = Promise.resolve();
    const timer = setInterval(
      () => {
        if (Date.now() >= until) return clearInterval(timer);
        pending = Promise.all(
          batch.map(async (b) => {
            const r = await this.queue
              .updateMessage(b.item.messageId, b.popReceipt, b.item.messageText, lockSeconds)
              .catch(() => undefined);
            if (r?.popReceipt) b.popReceipt = r.popReceipt;
          }),
        );
      },
      Math.max(500, (lockSeconds * 1000) / 2),
    );
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await pending;
      },
    };
  }
}
