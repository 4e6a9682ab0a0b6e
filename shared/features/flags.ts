// Feature flags (docs/feature-flags.md): a flag's value comes from the flag store when one is
// configured (Azure App Configuration, shared/adapters/appconfig/feature-flags.ts), cached per flag
// for a short time, and from the app setting FEATURE_<NAME> otherwise — and whenever the store does
// not answer in time, fails, or does not know the flag. A flag read never fails a request.

/** Every flag the app reads, with the app setting that is its fallback (shared/config.ts). */
export const FLAGS = {
  /** The recommendation rails (functions/recommendations.ts): off, the rails answer no items. */
  'recommendations-rail': 'FEATURE_RECOMMENDATIONS_RAIL',
} as const;

export type FlagName = keyof typeof FLAGS;

/** The store's answer: the flag's state, or undefined when the store does not know the flag. */
export type FlagStore = (name: FlagName, signal: AbortSignal) => Promise<boolean | undefined>;

export interface FeatureFlagsOptions {
  /** The settings' values, used when there is no store or it cannot answer. */
  fallback: Record<FlagName, boolean>;
  store?: FlagStore;
  timeoutMs: number;
  cacheMs: number;
  clock: () => number;
  /** Told when the store failed and the fallback answered (a warning in the log). */
  onStoreError?: (name: FlagName, err: unknown) => void;
}

interface Cached {
  value: boolean;
  until: number;
  /** The read in flight, so a burst of requests makes one call. */
  pending?: Promise<boolean>;
}

export class FeatureFlags {
  private readonly cache = new Map<FlagName, Cached>();

  constructor(private readonly o: FeatureFlagsOptions) {}

  isEnabled(name: FlagName): Promise<boolean> {
    const store = this.o.store;
    if (!store) return Promise.resolve(this.o.fallback[name]);
    const now = this.o.clock();
    const cached = this.cache.get(name);
    if (cached && (cached.until > now || cached.pending)) return cached.pending ?? Promise.resolve(cached.value);
    // Until the first answer (or while a refresh is on its way), the last known value or the setting.
    const entry: Cached = cached ?? { value: this.o.fallback[name], until: 0 };
    entry.pending = store(name, AbortSignal.timeout(this.o.timeoutMs))
      .then(
        (value) => value ?? this.o.fallback[name],
        (err: unknown) => {
          this.o.onStoreError?.(name, err);
          return entry.value;
        },
      )
      .then((value) => {
        entry.value = value;
        entry.until = this.o.clock() + this.o.cacheMs;
        entry.pending = undefined;
        return value;
      });
    this.cache.set(name, entry);
    return entry.pending;
  }
}
