// The fan-out behind the `inventory` change feed (functions/inventory-changes.ts): turns changed
// sections into one public seat diff per show (group `show.<showId>`) and private `holds`
// messages for the holders whose own seats changed (their user channel). Pure diffing lives in
// shared/domain/seat-diff.ts; this class owns memory, coalescing and sending.
//
// Memory: per show, the view last announced. It is valid because the change feed gives each
// partition (one show) to one instance at a time, in order. A show this instance has no view of
// (start, eviction, a lease that moved) is read in full and announced with `full: true`.
// The view is committed only after every send succeeded, so a failed push is recomputed — and a
// retried batch that was already announced produces nothing (versions not newer are ignored).
import {
  advanceShow,
  fullShow,
  mergeSnapshots,
  type Advance,
  type SectionSnapshot,
  type ShowView,
} from '../domain/seat-diff.js';
import type { RealtimePublisher } from '../ports/realtime.js';
import { Coalescer } from './coalescer.js';

/** Every section document of a show that exists (one single-partition query). */
export type SectionSource = (showId: string) => Promise<SectionSnapshot[]>;

export interface SeatFanoutOptions {
  publisher: RealtimePublisher;
  sections: SectionSource;
  clock: () => number;
  coalesceMs: number;
  /** Shows remembered at most (least recently changed are forgotten first). */
  maxShows?: number;
}

export interface FanoutStats {
  diffs: number;
  fulls: number;
  holds: number;
}

/** A section document from the feed, reduced to what a diff needs; others are skipped. */
export function snapshotOf(doc: unknown): { showId: string; snapshot: SectionSnapshot } | undefined {
  const d = doc as {
    showId?: unknown;
    sectionId?: unknown;
    version?: unknown;
    seats?: unknown;
    _etag?: unknown;
  } | null;
  if (
    !d ||
    typeof d.showId !== 'string' ||
    typeof d.sectionId !== 'string' ||
    typeof d.version !== 'number' ||
    typeof d.seats !== 'object' ||
    d.seats === null
  )
    return undefined;
  return {
    showId: d.showId,
    snapshot: {
      sectionId: d.sectionId,
      version: d.version,
      etag: typeof d._etag === 'string' ? d._etag : '',
      seats: d.seats as SectionSnapshot['seats'],
    },
  };
}

export class SeatFanout {
  private readonly views = new Map<string, ShowView>();
  private readonly coalescer: Coalescer<readonly SectionSnapshot[]>;
  readonly stats: FanoutStats = { diffs: 0, fulls: 0, holds: 0 };

  constructor(private readonly options: SeatFanoutOptions) {
    this.coalescer = new Coalescer({
      intervalMs: options.coalesceMs,
      merge: mergeSnapshots,
      flush: (showId, snaps) => this.publish(showId, snaps),
    });
  }

  /**
   * Handles one change-feed batch. Resolves when every show's messages were accepted by Web
   * PubSub; rejects (after trying every show) when any failed, so the trigger retries the batch.
   */
  async handle(documents: readonly unknown[]): Promise<void> {
    const byShow = new Map<string, SectionSnapshot[]>();
    for (const doc of documents) {
      const found = snapshotOf(doc);
      if (!found) continue;
      const list = byShow.get(found.showId);
      if (list) list.push(found.snapshot);
      else byShow.set(found.showId, [found.snapshot]);
    }
    const results = await Promise.allSettled(
      [...byShow].map(([showId, snaps]) => this.coalescer.submit(showId, snaps)),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length)
      throw failed.length === 1
        ? failed[0]!.reason
        : new AggregateError(
            failed.map((f) => f.reason as unknown),
            `${failed.length} of ${results.length} shows could not be pushed`,
          );
  }

  /** Forgets every view (tests of the restart path). */
  forget(): void {
    this.views.clear();
  }

  private async publish(showId: string, snaps: readonly SectionSnapshot[]): Promise<void> {
    const known = this.views.get(showId);
    let next: Advance;
    if (known) {
      next = advanceShow(known, snaps, this.options.clock());
    } else {
      // The read may be newer than the batch; the batch's older versions are then ignored.
      next = fullShow(showId, mergeSnapshots(await this.options.sections(showId), snaps), this.options.clock());
    }
    const { publisher } = this.options;
    await Promise.all([
      next.diff ? publisher.sendSeatDiff(showId, next.diff) : undefined,
      ...next.holds.map((h) => publisher.sendToUser(h.userId, { ...h.message })),
    ]);
    if (next.diff?.full) this.stats.fulls++;
    else if (next.diff) this.stats.diffs++;
    this.stats.holds += next.holds.length;
    this.remember(showId, next.view);
  }

  private remember(showId: string, view: ShowView): void {
    this.views.delete(showId); // re-insert: Map order is recency
    this.views.set(showId, view);
    const max = this.options.maxShows ?? 5000;
    while (this.views.size > max) this.views.delete(this.views.keys().next().value!);
  }
}
