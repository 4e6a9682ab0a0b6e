// Group commit for the aggregate documents (docs/architecture.md, Recommendations): every booking
// changes its city's shard and the co-booking documents of its titles, and many bookings land at
// once. Within one process, changes of one document are queued while a write of it is in flight and
// then go together in the next write — the mutators applied in order to the freshest copy, one
// conditional replace for all of them — instead of each racing the others to a 412 and a re-read.
// Each caller's promise settles when the write carrying its change did: a failed write fails every
// change in it, and each caller's own retry (the broker's redelivery) applies it again. The
// mutators de-duplicate on the event id, so a change applied twice still counts once.
import type { Mutator } from '../ports/documents.js';

interface Waiting<T> {
  fn: Mutator<T>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T> {
  private readonly queues = new Map<string, Waiting<T>[]>();

  /**
   * Applies `fn` to document `id` through `write` (which applies the mutator it is given to the
   * freshest copy, e.g. RecommendationStore.mutateCity), together with the changes queued with it.
   */
  apply(id: string, fn: Mutator<T>, write: (fn: Mutator<T>) => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queued = this.queues.get(id);
      if (queued) {
        queued.push({ fn, resolve, reject });
        return;
      }
      const queue: Waiting<T>[] = [{ fn, resolve, reject }];
      this.queues.set(id, queue);
      void this.drain(id, queue, write);
    });
  }

  private async drain(id: string, queue: Waiting<T>[], write: (fn: Mutator<T>) => Promise<void>): Promise<void> {
    while (queue.length) {
      const batch = queue.splice(0);
      try {
        await write((doc) => {
          let current = doc;
          let changed = false;
          for (const w of batch) {
            const next = w.fn(current);
            if (next !== undefined) [current, changed] = [next, true];
          }
          return changed ? current : undefined;
        });
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.queues.delete(id);
  }
}
