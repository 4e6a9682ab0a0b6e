// A tiny TTL cache with single-flight loading: concurrent misses for one key share one load, so a
// burst of requests for a cold key costs one Cosmos read. Bounded: the oldest key goes first.
//
// Optionally stale-while-revalidate (`staleMs`): for that long after an entry's TTL ran out, callers
// get the old value at once while one load replaces it in the background, so a hot key's expiry
// never makes every request wait for the reload (a latency spike each TTL); a failed refresh keeps
// the old value, and the next caller tries again. Past the stale window, callers wait as on a miss.
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { at: number; value?: V; pending?: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
    private readonly staleMs = 0,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && 'value' in entry) {
      const age = this.now() - entry.at;
      if (age < this.ttlMs && entry.pending === undefined) return Promise.resolve(entry.value as V);
      if (age < this.ttlMs + this.staleMs) {
        // Stale but usable: answer now; one refresh at a time (its failure is the next caller's retry).
        if (entry.pending === undefined) this.refresh(key, entry, load).catch(() => undefined);
        return Promise.resolve(entry.value as V);
      }
    }
    if (entry?.pending) return entry.pending;
    return this.refresh(key, entry ?? { at: 0 }, load);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private refresh(key: K, fresh: { at: number; value?: V; pending?: Promise<V> }, load: () => Promise<V>): Promise<V> {
    fresh.pending = load().then(
      (value) => {
        fresh.value = value;
        fresh.at = this.now();
        fresh.pending = undefined;
        return value;
      },
      (err) => {
        fresh.pending = undefined;
        if (!('value' in fresh) && this.entries.get(key) === fresh) this.entries.delete(key);
        throw err;
      },
    );
    if (this.entries.get(key) !== fresh) {
      this.entries.set(key, fresh);
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    }
    return fresh.pending;
  }
}
