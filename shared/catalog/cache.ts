// A tiny TTL cache with single-flight loading: concurrent misses for one key share one load, so a
// burst of requests for a cold key costs one Cosmos read. Bounded: the oldest key goes first.
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { at: number; value?: V; pending?: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && 'value' in entry && entry.pending === undefined && this.now() - entry.at < this.ttlMs)
      return Promise.resolve(entry.value as V);
    if (entry?.pending) return entry.pending;
    const fresh: { at: number; value?: V; pending?: Promise<V> } = entry ?? { at: 0 };
    fresh.pending = load().then(
      (value) => {
        fresh.value = value;
        fresh.at = this.now();
        fresh.pending = undefined;
        return value;
      },
      (err) => {
        fresh.pending = undefined;
        if (!('value' in fresh)) this.entries.delete(key);
        throw err;
      },
    );
    this.entries.set(key, fresh);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    return fresh.pending;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
