// Delivers signed webhooks to the app like a real provider: POST with Marquee-Signature
// (t=…,v1=…, re-signed at every attempt) and Marquee-Event-Id, redelivered with exponential backoff
// while the app answers non-2xx or cannot be reached. The switches delay, duplicate (same event id)
// or suppress deliveries. Every attempt is recorded so tests and developers can see what was sent.
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from '../../shared/adapters/payments/signature.js';
import type { WebhookEventWire } from '../../shared/adapters/payments/wire.js';
import type { Faults } from '../../local/core/faults.js';
import type { Behaviour } from './settings.js';

export interface DeliveryRecord {
  eventId: string;
  type: string;
  sessionId: string;
  attempt: number;
  /** The app's status code, or 0 when it could not be reached. */
  status: number;
  at: string;
}

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  retries: number;
  retryBaseMs: number;
  warn: (message: string) => void;
  /** Chaos faults: an event lost for good, delivered twice, or late (core/faults.ts). */
  faults: Faults;
}

export class WebhookSender {
  readonly deliveries: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controller = new AbortController();
  private stopped = false;

  constructor(private readonly options: WebhookSenderOptions) {}

  send(event: WebhookEventWire, behaviour: Behaviour): void {
    const { faults } = this.options;
    if (behaviour.webhook === 'never' || faults.roll('webhook.loss')) return;
    const times = behaviour.duplicateWebhook || faults.roll('webhook.duplicate') ? 2 : 1;
    const late = faults.roll('webhook.delay')
      ? Math.floor(faults.uniform('webhook.delay') * faults.settings.LOCAL_FAULTS_WEBHOOK_DELAY_MS)
      : 0;
    this.later(behaviour.webhookDelayMs + late, async () => {
      for (let copy = 0; copy < times && !this.stopped; copy++) await this.deliver(event);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.controller.abort();
  }

  private async deliver(event: WebhookEventWire): Promise<void> {
    const body = JSON.stringify(event);
    for (let attempt = 1; attempt <= this.options.retries + 1 && !this.stopped; attempt++) {
      const status = await this.post(event.id, body);
      this.deliveries.push({
        eventId: event.id,
        type: event.type,
        sessionId: event.data.sessionId,
        attempt,
        status,
        at: new Date().toISOString(),
      });
      if (status >= 200 && status < 300) return;
      if (attempt <= this.options.retries) await this.pause(this.options.retryBaseMs * 2 ** (attempt - 1));
    }
    if (!this.stopped)
      this.options.warn(
        `payments simulator: webhook ${event.id} (${event.type}) not accepted by ${this.options.url} after ${this.options.retries + 1} attempts`,
      );
  }

  private async post(eventId: string, body: string): Promise<number> {
    try {
      const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(10_000)]);
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureHeader(this.options.secret, body, Math.floor(Date.now() / 1000)),
          [EVENT_ID_HEADER]: eventId,
          'user-agent': 'marquee-payments-simulator',
        },
        body,
        signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return 0;
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.later(ms, async () => resolve()));
  }

  private later(ms: number, fn: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn().catch((err) => this.options.warn(`payments simulator: webhook delivery failed: ${String(err)}`));
    }, ms);
    this.timers.add(timer);
  }
}
