// Positions without a count query per poll (docs/architecture.md, Waiting room). Once a show's
// room is open, every key below `admissibleBelow(now)` is final: the early group's keys were all
// written before opening, and later arrivals only ever add keys above. So each instance keeps the
// show's keys below that line as a sorted array, grown by appends (one range query for what is
// new), and a place in the queue is a binary search. 50,000 keys are ~3 MB of strings; the
// 1M-person plan is in docs/capacity.md.
import { compareKeys } from '../domain/waiting-room/index.js';

const PAGE = 5_000;
/** An instance re-reads the new keys at most this often per show. */
const REFRESH_MS = 500;

type Fetch = (after: string | undefined, below: string, limit: number) => Promise<{ key: string }[]>;

export class RankIndex {
  private keys: string[] = [];
  private loadedBelow = '';
  private refreshedAt = -Infinity;
  private pending?: Promise<void>;

  constructor(private readonly fetch: Fetch) {}

  get size(): number {
    return this.keys.length;
  }

  /** Brings the index up to `below` (coalescing concurrent callers; at most every REFRESH_MS). */
  async refresh(below: string, now: number): Promise<void> {
    if (below <= this.loadedBelow) return;
    if (this.pending) return this.pending;
    if (now - this.refreshedAt < REFRESH_MS && this.keys.length) return;
    this.pending = this.load(below).finally(() => (this.pending = undefined));
    this.refreshedAt = now;
    return this.pending;
  }

  private async load(below: string): Promise<void> {
    for (;;) {
      const page = await this.fetch(this.keys[this.keys.length - 1], below, PAGE);
      for (const { key } of page) this.keys.push(key);
      if (page.length < PAGE) break;
    }
    this.loadedBelow = below;
  }

  /** 1-based place among all entries ever in the queue, or undefined when the key is not indexed (yet). */
  rank(key: string): number | undefined {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return this.keys[lo] === key ? lo + 1 : undefined;
  }
}
