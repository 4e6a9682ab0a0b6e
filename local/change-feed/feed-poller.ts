// One cosmosDBTrigger function's change feed processor (local/README.md, What each plugin follows): read the lease,
// query the monitored container for what changed since, hand the handler batches of at most
// maxItemsPerInvocation documents, checkpoint after each, wait feedPollDelay once drained.
//
// Errors, as the real trigger handles them: with a `retry` policy the same batch is
// re-invoked (with retryContext) before the checkpoint; without one the failure is logged and the
// checkpoint moves on, so those changes are lost to this function. A host that dies before the
// checkpoint redelivers the batch when it restarts: at-least-once, never at-most-once.
import { hostname } from 'node:os';
import type { Container } from '@azure/cosmos';
import type { HostContext } from '../core/plugin.js';
import type { RegisteredFunction } from '../core/registry.js';
import { describe, invokeWithRetry } from '../core/retry-policy.js';
import { advance, initialWatermark, pendingChanges, type FeedDocument, type Watermark } from './change-tracker.js';
import type { LeaseDocument, LeaseStore } from './lease-store.js';

export interface FeedOptions {
  monitored: Container;
  monitoredName: string;
  leases: LeaseStore;
  maxItemsPerInvocation: number;
  feedPollDelayMs: number;
  startFromBeginning: boolean;
  startFromTime?: string;
}

const QUERY = 'SELECT * FROM c WHERE c._ts >= @since ORDER BY c._ts';

export class FeedPoller {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private done: Promise<void> | undefined;
  private lastProblem = '';

  constructor(
    private readonly host: HostContext,
    private readonly fn: RegisteredFunction,
    private readonly options: FeedOptions,
  ) {}

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await Promise.race([this.done, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  private async run(): Promise<void> {
    let mark: Watermark | undefined;
    while (!this.stopped) {
      try {
        mark ??= await this.acquire();
        mark = await this.drain(mark);
        this.lastProblem = '';
      } catch (err) {
        // A missing container or a Cosmos hiccup: the real listener retries too. Log once per cause.
        const line = (err as Error).message ?? String(err);
        if (line !== this.lastProblem)
          this.host.log.error('cosmosDBTrigger %s on %s: %s', this.fn.name, this.options.monitoredName, line);
        this.lastProblem = line;
      }
      await this.sleep(this.options.feedPollDelayMs);
    }
  }

  /** The stored lease, or a new one at the configured start (start options apply only then). */
  private async acquire(): Promise<Watermark> {
    const lease = await this.options.leases.read();
    if (lease) return { since: lease.since, seen: lease.seen };
    const current =
      this.options.startFromBeginning || this.options.startFromTime
        ? []
        : await this.query(Math.floor(Date.now() / 1000));
    const mark = initialWatermark(
      { fromBeginning: this.options.startFromBeginning, fromTime: this.options.startFromTime },
      Math.floor(Date.now() / 1000),
      current,
    );
    await this.checkpoint(mark);
    return mark;
  }

  /** Delivers batches until nothing is pending; returns the last checkpointed watermark. */
  private async drain(mark: Watermark): Promise<Watermark> {
    while (!this.stopped) {
      const pending = pendingChanges(mark, await this.query(mark.since));
      if (pending.length === 0) return mark;
      const batch = pending.slice(0, this.options.maxItemsPerInvocation);
      const run = await invokeWithRetry(this.host, this.fn, batch, {}, () => this.stopped);
      // Stopping in the middle of a failing batch: leave the checkpoint, the next start redelivers.
      if (!run.ok && this.stopped) return mark;
      if (!run.ok)
        this.host.log.warn(
          'cosmosDBTrigger %s: skipping a batch of %d changes after %d attempt(s): %s',
          this.fn.name,
          batch.length,
          run.attempts,
          describe(run.error).split('\n')[0],
        );
      mark = advance(mark, batch);
      await this.checkpoint(mark);
    }
    return mark;
  }

  private async query(since: number): Promise<FeedDocument[]> {
    const { resources } = await this.options.monitored.items
      .query<FeedDocument>({ query: QUERY, parameters: [{ name: '@since', value: since }] })
      .fetchAll();
    return resources;
  }

  private async checkpoint(mark: Watermark): Promise<void> {
    const lease: LeaseDocument = {
      id: this.options.leases.leaseId,
      functionName: this.fn.name,
      monitored: this.options.monitoredName,
      owner: `${hostname()}:${process.pid}`,
      checkpointedAt: '',
      since: mark.since,
      seen: mark.seen,
    };
    await this.options.leases.checkpoint(lease);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
