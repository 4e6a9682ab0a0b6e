// What the local host "sent": every email and SMS the Communication Services emulator accepted and
// every web push the local push service received, in memory, newest last (local/README.md,
// Communication). Like MailHog or Maildev, nothing leaves the machine.
import { randomUUID } from 'node:crypto';

export interface OutboxAttachment {
  name: string;
  contentType: string;
  contentId?: string;
  content: Buffer;
}

export interface OutboxEntry {
  id: string;
  channel: 'email' | 'sms' | 'push';
  at: string;
  from?: string;
  to: string[];
  subject?: string;
  text?: string;
  html?: string;
  attachments: OutboxAttachment[];
  /** The provider's id (email operation, SMS message id, push subscription). */
  ref?: string;
}

export interface OutboxFilter {
  channel?: string;
  to?: string;
  since?: string;
}

export class Outbox {
  private readonly entries: OutboxEntry[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly limit = 10_000) {}

  add(entry: Omit<OutboxEntry, 'id' | 'at'>): OutboxEntry {
    const stored = { id: randomUUID(), at: new Date().toISOString(), ...entry };
    this.entries.push(stored);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    for (const wake of this.waiters) wake();
    return stored;
  }

  list(filter: OutboxFilter = {}): OutboxEntry[] {
    return this.entries.filter(
      (e) =>
        (!filter.channel || e.channel === filter.channel) &&
        (!filter.to || e.to.includes(filter.to)) &&
        (!filter.since || e.at >= filter.since),
    );
  }

  get(id: string): OutboxEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  clear(): void {
    this.entries.length = 0;
  }

  get size(): number {
    return this.entries.length;
  }
}
