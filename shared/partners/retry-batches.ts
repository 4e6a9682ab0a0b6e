// Groups the durable retries of one endpoint's failed attempts (docs/architecture.md, Partner
// webhooks). A hanging or failing endpoint fails every delivery sent to it; one Durable
// orchestration per delivery (a start, then an episode per timer and per attempt) cost several times
// what a healthy delivery costs, and on a shared host that work came out of the healthy endpoints'
// throughput (bench/webhooks.ts: with one endpoint of ten hanging, the others' p99 grew ×5.7).
// Here the retries that one endpoint's failures ask for within a short window share one
// orchestration (orchestrations/partner-webhooks.ts, partnerWebhookRetryBatch): one start, one
// timer and one activity per pause for up to `max` deliveries. A batch closes `windowMs` after its
// first delivery, or later while the endpoint's previous batch is still starting (one start in
// flight per endpoint, like a group commit): the busier the host, the slower a start and the more
// deliveries each one carries.
//
// Durability is unchanged: a caller's promise settles when its batch's orchestration has started, so
// the Service Bus message that asked for the retry completes only after it (a start that fails fails
// every caller of that batch, and their messages are redelivered). Healthy deliveries never come
// here: nothing is added to their path.
import { randomUUID } from 'node:crypto';
import type { RetryBatchInput, RetryStarter } from './ports.js';

export interface RetryBatchLimits {
  /** How long a batch stays open for more deliveries after its first. */
  windowMs: number;
  /** Deliveries per batch at most; a full batch starts at once. */
  max: number;
}

/** A delivery's place in a batch: the batch's key (its instance id, and the pauses' jitter) and its start. */
export interface RetryTicket {
  key: string;
  started: Promise<void>;
}

interface OpenBatch {
  input: RetryBatchInput;
  starter: RetryStarter;
  timer: NodeJS.Timeout;
  started: Promise<void>;
  settle: { resolve: () => void; reject: (err: unknown) => void };
}

export class RetryBatches {
  private readonly open = new Map<string, OpenBatch>();
  /** Per slot, the start under way. */
  private readonly starting = new Map<string, Promise<unknown>>();

  constructor(private readonly limits: RetryBatchLimits) {}

  /**
   * Adds a delivery run to the endpoint's open batch for that attempt (opening one if none), and
   * answers the batch's key at once: the caller records the next attempt's time with it, then
   * awaits `started`. The first caller's starter (its invocation's Durable client) starts the batch.
   */
  join(
    endpointId: string,
    attempt: number,
    schedule: number[],
    member: { deliveryId: string; run: number },
    starter: RetryStarter,
  ): RetryTicket {
    const slot = `${endpointId}#${attempt}`;
    let batch = this.open.get(slot);
    if (!batch) {
      let settle!: OpenBatch['settle'];
      const started = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      // A caller that never awaits (its attempt's record failed) must not leave an unhandled rejection.
      started.catch(() => undefined);
      const input: RetryBatchInput = {
        batchId: `${endpointId}~${randomUUID()}`,
        endpointId,
        deliveries: [],
        attempt,
        schedule,
      };
      const timer = setTimeout(() => this.flush(slot), this.limits.windowMs);
      batch = { input, starter, timer, started, settle };
      this.open.set(slot, batch);
    }
    batch.input.deliveries.push(member);
    const ticket = { key: batch.input.batchId, started: batch.started };
    if (batch.input.deliveries.length >= this.limits.max) this.flush(slot, true);
    return ticket;
  }

  /** Starts the slot's open batch, or (a start under way; `full` not set) leaves it open until that one ends. */
  private flush(slot: string, full = false): void {
    const batch = this.open.get(slot);
    if (!batch) return;
    clearTimeout(batch.timer);
    const previous = this.starting.get(slot);
    if (previous && !full) {
      void previous.finally(() => this.flush(slot));
      return;
    }
    this.open.delete(slot);
    const start = batch.starter.startBatch(batch.input).then(batch.settle.resolve, batch.settle.reject);
    this.starting.set(slot, start);
    void start.finally(() => {
      if (this.starting.get(slot) === start) this.starting.delete(slot);
    });
  }
}
