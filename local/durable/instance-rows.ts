// Instance rows written behind the episodes. A Running instance's row is only what list queries
// filter on (live status reads and list results take the record in memory, and the history is the
// record), so the Pending → Running write does not hold up the episode: it goes out after it, and
// writes that pile up for one instance meanwhile coalesce into one carrying the latest state. (A
// change of the custom status alone writes no row at all; the next status change carries it.) Terminal and control changes write at once, after any write
// still on its way, so the row ends with them. A crash can lose a behind write: recovery rebuilds
// what it carried from the history (the custom status rides on OrchestratorCompleted).
import type { DurableStore, InstanceRecord } from './store.js';

interface Pending {
  done: Promise<void>;
  again: boolean;
}

export class InstanceRows {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly store: DurableStore,
    private readonly onError: (id: string, err: unknown) => void,
  ) {}

  /** Writes `rec` soon, off the caller's path; the write serialises `rec` as it is when it goes out. */
  later(rec: InstanceRecord): void {
    const id = rec.instanceId;
    const known = this.pending.get(id);
    if (known) {
      known.again = true;
      return;
    }
    const entry: Pending = { done: Promise.resolve(), again: false };
    this.pending.set(id, entry);
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          // A failed behind write is repaired by the next write of this row (the terminal one at the latest).
          await this.store.putInstance(rec).catch((err) => this.onError(id, err));
        } while (entry.again);
      } finally {
        this.pending.delete(id);
      }
    })();
  }

  /** Writes `rec` now, after any behind write of the same row, so this one is the last. */
  async now(rec: InstanceRecord): Promise<void> {
    const known = this.pending.get(rec.instanceId);
    if (known) await known.done;
    await this.store.putInstance(rec);
  }

  /** Waits for every behind write (stop, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.pending.values()].map((p) => p.done));
  }
}
