// Conditional writes to one inventory section, with group commit. Requests for the same section in
// this process queue up; the writer applies a batch of them in order to one copy of the section
// (each request keeps its own all-or-nothing outcome) and commits the batch with one replace under
// IfMatch `_etag`. Another instance writing in between makes the replace fail with 412: the writer
// re-reads and re-applies the whole batch, a bounded number of times with jittered backoff, then
// answers a retryable busy error. Nothing resolves before its write is committed, and a decision
// that needs no write (a refusal, a replay) is always taken on a freshly read copy.
import { sectionDocId, type InventoryStore, type SectionDoc, type StoredSection } from './ports.js';
import { earliestHoldExpiry, type SeatMap } from '../domain/section.js';
import { SystemError } from '../errors.js';

export interface Applied<R> {
  /** The new seats, or undefined when this request changes nothing. */
  next?: SeatMap;
  result: R;
}

export type Mutation<R> = (seats: SeatMap, now: number) => Applied<R>;

export interface Committed<R> {
  result: R;
  /** Commit attempts the batch took (1 = no conflict). */
  attempts: number;
}

export interface WriterOptions {
  store: InventoryStore;
  clock: () => number;
  random?: () => number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxBatch?: number;
}

interface Pending {
  apply: Mutation<unknown>;
  resolve(value: Committed<unknown>): void;
  reject(err: unknown): void;
}

interface Queue {
  showId: string;
  sectionId: string;
  layoutId: string;
  pending: Pending[];
  running: boolean;
}

export const busyError = () =>
  new SystemError('INVENTORY_BUSY', {
    detail: 'Many people are choosing seats for this show right now. Try again in a moment.',
    retryAfter: 1,
  });

const MAX_CACHED = 5000;

export class SectionWriter {
  private readonly queues = new Map<string, Queue>();
  /** Last copy this process read or wrote, per section: the first attempt's guess. */
  private readonly cache = new Map<string, StoredSection>();
  private readonly o: Required<Omit<WriterOptions, 'store' | 'clock' | 'random'>>;

  constructor(private readonly opts: WriterOptions) {
    this.o = {
      maxAttempts: opts.maxAttempts ?? 8,
      baseDelayMs: opts.baseDelayMs ?? 4,
      maxDelayMs: opts.maxDelayMs ?? 120,
      maxBatch: opts.maxBatch ?? 64,
    };
  }

  submit<R>(showId: string, sectionId: string, layoutId: string, apply: Mutation<R>): Promise<Committed<R>> {
    const key = sectionDocId(showId, sectionId);
    let q = this.queues.get(key);
    if (!q) this.queues.set(key, (q = { showId, sectionId, layoutId, pending: [], running: false }));
    const queue = q;
    return new Promise<Committed<R>>((resolve, reject) => {
      queue.pending.push({
        apply: apply as Mutation<unknown>,
        resolve: resolve as (v: Committed<unknown>) => void,
        reject,
      });
      if (!queue.running) void this.drain(key, queue);
    });
  }

  /** Reads a section (creating it when missing), refreshing the cached copy. */
  async load(showId: string, sectionId: string, layoutId: string): Promise<StoredSection> {
    const key = sectionDocId(showId, sectionId);
    const found =
      (await this.opts.store.read(showId, sectionId)) ??
      (await this.opts.store.createIfMissing(emptySection(showId, sectionId, layoutId)));
    this.remember(key, found);
    return found;
  }

  private async drain(key: string, q: Queue): Promise<void> {
    q.running = true;
    try {
      while (q.pending.length) {
        const batch = q.pending.splice(0, this.o.maxBatch);
        try {
          await this.commit(key, q, batch);
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      q.running = false;
      if (!q.pending.length) this.queues.delete(key);
    }
  }

  private async commit(key: string, q: Queue, batch: Pending[]): Promise<void> {
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      let current = this.cache.get(key);
      let fresh = false;
      if (!current) {
        current = await this.load(q.showId, q.sectionId, q.layoutId);
        fresh = true;
      }
      const now = this.opts.clock();
      let seats = current.doc.seats;
      const results = batch.map((p) => {
        const applied = p.apply(seats, now);
        if (applied.next) seats = applied.next;
        return applied.result;
      });
      if (seats === current.doc.seats) {
        if (!fresh) {
          // A refusal or replay must not rest on a copy another instance may have changed.
          this.cache.delete(key);
          attempt--;
          continue;
        }
        batch.forEach((p, i) => p.resolve({ result: results[i], attempts: attempt }));
        return;
      }
      const doc: SectionDoc = {
        ...current.doc,
        seats,
        version: current.doc.version + 1,
        holdExpiry: earliestHoldExpiry(seats),
        booked: countBooked(seats),
      };
      const written = await this.opts.store.replace(doc, current.etag);
      if (written.ok) {
        this.remember(key, written.section);
        batch.forEach((p, i) => p.resolve({ result: results[i], attempts: attempt }));
        return;
      }
      this.cache.delete(key);
      if (attempt < this.o.maxAttempts) await sleep(this.backoff(attempt));
    }
    throw busyError();
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** attempt);
    return Math.floor((this.opts.random ?? Math.random)() * cap);
  }

  private remember(key: string, section: StoredSection): void {
    this.cache.delete(key);
    this.cache.set(key, section);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }
}

export function emptySection(showId: string, sectionId: string, layoutId: string): SectionDoc {
  return {
    id: sectionDocId(showId, sectionId),
    showId,
    sectionId,
    layoutId,
    version: 0,
    seats: {},
    holdExpiry: null,
    booked: 0,
  };
}

function countBooked(seats: SeatMap): number {
  let n = 0;
  for (const st of Object.values(seats)) if (st.s === 'booked') n++;
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
