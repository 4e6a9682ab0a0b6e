// One `queueTrigger` function's pump, as the Storage Queues extension's listener behaves:
// - it receives up to `batchSize` messages with a 10-minute visibility timeout (renewed at half of it
//   while a handler runs) and runs them at once; the next batch is fetched when the batch is done;
// - success deletes the message; a throw makes it visible again after `visibilityTimeout` (0 by
//   default), and the next receive raises its dequeue count; a failure on dequeue `maxDequeueCount`
//   (5) moves it to `<queue>-poison` — so does a message whose text is not the encoding's
//   (base64 by default, host.json `extensions.queues.messageEncoding`);
// - an empty (or missing) queue is polled again after a delay doubling from 100 ms up to
//   `maxPollingInterval` (1 minute); a message this host writes through an output binding wakes the
//   pump at once, as the extension's shared queue watcher does.
import type { QueueClient, DequeuedMessageItem } from '@azure/storage-queue';
import type { HostContext } from '../core/plugin.js';
import type { RegisteredFunction } from '../core/registry.js';
import { Poller } from './poller.js';
import type { QueueSettings } from './settings.js';

const RECEIVE_VISIBILITY_SECONDS = 600;

export class QueuePump extends Poller {
  private poisonReady: Promise<unknown> | undefined;

  constructor(
    private readonly host: HostContext,
    private readonly fn: RegisteredFunction,
    readonly queue: QueueClient,
    private readonly poison: QueueClient,
    private readonly settings: QueueSettings,
  ) {
    super(100, settings.maxPollingIntervalMs);
  }

  // A batch in flight when the host stops finishes; on a kill its messages come back after the timeout.
  protected async poll(): Promise<number> {
    let items: DequeuedMessageItem[] = [];
    try {
      items = (
        await this.queue.receiveMessages({
          numberOfMessages: this.settings.batchSize,
          visibilityTimeout: RECEIVE_VISIBILITY_SECONDS,
        })
      ).receivedMessageItems;
    } catch (err) {
      // A queue nobody created yet is an empty one, as for the extension.
      if ((err as { statusCode?: number }).statusCode !== 404 && !this.stopped)
        this.host.log.warn('Storage queue %s: receive failed: %s', this.queue.name, (err as Error).message);
    }
    await Promise.all(items.map((item) => this.process(item)));
    return items.length;
  }

  private async process(item: DequeuedMessageItem): Promise<void> {
    const text = decodeText(item.messageText, this.settings.encoding);
    if (text === undefined) {
      this.host.log.warn(
        "Storage queue %s: message %s is not %s-encoded; moving it to queue '%s'",
        this.queue.name,
        item.messageId,
        this.settings.encoding,
        this.poison.name,
      );
      return this.toPoison(item, item.popReceipt);
    }
    const receipt = { popReceipt: item.popReceipt };
    const renewal = setInterval(
      () => {
        this.queue
          .updateMessage(item.messageId, receipt.popReceipt, item.messageText, RECEIVE_VISIBILITY_SECONDS)
          .then((r) => (receipt.popReceipt = r.popReceipt ?? receipt.popReceipt))
          .catch(() => undefined);
      },
      (RECEIVE_VISIBILITY_SECONDS * 1000) / 2,
    );
    renewal.unref();
    let failed = false;
    try {
      await this.host.invoker.invoke(this.fn, payload(text), {
        triggerMetadata: triggerMetadata(item, text),
        logDetail: `queue ${this.queue.name}, message ${item.messageId}, dequeue count ${item.dequeueCount}`,
      });
    } catch {
      failed = true; // logged by the invoker with the function name and invocation id
    } finally {
      clearInterval(renewal);
    }
    try {
      if (!failed) await this.queue.deleteMessage(item.messageId, receipt.popReceipt);
      else if (item.dequeueCount >= this.settings.maxDequeueCount) {
        this.host.log.warn(
          "Message has reached MaxDequeueCount of %d. Moving message to queue '%s'.",
          this.settings.maxDequeueCount,
          this.poison.name,
        );
        await this.toPoison(item, receipt.popReceipt);
      } else
        await this.queue.updateMessage(
          item.messageId,
          receipt.popReceipt,
          item.messageText,
          this.settings.visibilityTimeoutSeconds,
        );
    } catch (err) {
      this.host.log.warn(
        'Storage queue %s: could not settle message %s: %s',
        this.queue.name,
        item.messageId,
        (err as Error).message,
      );
    }
  }

  /** Copies the message, as it was stored, to the poison queue, then deletes it. */
  private async toPoison(item: DequeuedMessageItem, popReceipt: string): Promise<void> {
    this.poisonReady ??= this.poison.createIfNotExists();
    await this.poisonReady;
    await this.poison.sendMessage(item.messageText);
    await this.queue.deleteMessage(item.messageId, popReceipt);
  }
}

/** The message's text, or undefined when it is not in the binding's encoding. */
export function decodeText(stored: string, encoding: 'base64' | 'none'): string | undefined {
  if (encoding === 'none') return stored;
  if (stored.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(stored)) return undefined;
  return Buffer.from(stored, 'base64').toString('utf8');
}

/** What the handler receives: the worker parses a payload that is a JSON object or array. */
export function payload(text: string): unknown {
  const t = text.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** context.triggerMetadata as the worker delivers it for a queue message (camelCased). */
function triggerMetadata(item: DequeuedMessageItem, text: string): Record<string, unknown> {
  return {
    queueTrigger: text,
    id: item.messageId,
    dequeueCount: item.dequeueCount,
    insertionTime: item.insertedOn.toISOString(),
    expirationTime: item.expiresOn.toISOString(),
    nextVisibleTime: item.nextVisibleOn.toISOString(),
    popReceipt: item.popReceipt,
  };
}
