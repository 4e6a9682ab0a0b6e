// What the booking store keeps in process memory: the watchers of each booking (woken by this
// process's commits) and the last version of each booking it wrote or read. Both are only hints
// (see BookingStore.watch and BookingStore.lastSeen in shared/booking/store.ts): another process
// may have changed a booking since, which a conditional write or a later read finds out.
import type { BookingDoc } from '../../booking/model.js';
import type { BookingWatch } from '../../booking/store.js';
import type { Stored } from '../../ports/documents.js';

/** How many bookings' last versions a process keeps. */
const SEEN_LIMIT = 5000;

class CommitWatch implements BookingWatch {
  private latest?: BookingDoc;
  private wake?: () => void;

  constructor(private readonly off: () => void) {}

  push(doc: BookingDoc): void {
    this.latest = doc;
    this.wake?.();
  }

  async next(ms: number): Promise<BookingDoc | undefined> {
    if (!this.latest && ms > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.wake = undefined;
    const doc = this.latest;
    this.latest = undefined;
    return doc;
  }

  close(): void {
    this.off();
  }
}

export class BookingCommits {
  private readonly watchers = new Map<string, Set<CommitWatch>>();
  private readonly seen = new Map<string, Stored<BookingDoc>>();

  watch(id: string): BookingWatch {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    const w: CommitWatch = new CommitWatch(() => {
      set.delete(w);
      if (!set.size && this.watchers.get(id) === set) this.watchers.delete(id);
    });
    set.add(w);
    return w;
  }

  /** Wakes the watchers of a booking this process has just committed. */
  committed(doc: BookingDoc | undefined): void {
    if (!doc) return;
    for (const w of this.watchers.get(doc.id) ?? []) w.push(doc);
  }

  lastSeen(id: string): Stored<BookingDoc> | undefined {
    return this.seen.get(id);
  }

  /** Keeps `stored` as the booking's last seen version, unless a newer one is known; answers `stored`. */
  remember(stored: Stored<BookingDoc> | undefined): Stored<BookingDoc> | undefined {
    if (!stored) return stored;
    // A read that raced a commit may answer the older version: every change appends to the
    // history, so the longer one is the newer.
    const known = this.seen.get(stored.doc.id);
    if (known && known.doc.history.length > stored.doc.history.length) return stored;
    this.seen.delete(stored.doc.id);
    this.seen.set(stored.doc.id, stored);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.keys().next().value!);
    return stored;
  }
}
