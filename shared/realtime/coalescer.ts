// Coalescing per key (a show): at most one flush per `intervalMs`, flushes of one key never
// overlap, and whatever is submitted while a flush waits is merged into it. The first submission
// after a quiet period flushes at once (no added latency for a lone hold); a burst then costs one
// flush per interval, which is one Web PubSub message per viewer instead of one per hold
// (the service bills per outbound message; docs/architecture.md, Realtime).
//
// submit() settles when the flush that carried the submission settles — after a success, only once
// the key's quiet period (intervalMs from the flush) is over. The change-feed handler awaits it,
// so the trigger's retry policy redelivers a batch whose push failed, and the feed is read again
// right when the next flush may go: what it finds is sent at once, not held for a window after
// the read (that would add up to a whole interval of latency to every write made meanwhile).

export interface CoalescerOptions<T> {
  intervalMs: number;
  merge(a: T, b: T): T;
  flush(key: string, value: T): Promise<void>;
  clock?: () => number;
}

interface Pending<T> {
  value: T;
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

interface KeyState<T> {
  lastFlushAt: number;
  pending?: Pending<T>;
  inflight?: Promise<void>;
}

const PRUNE_AT = 10_000;

export class Coalescer<T> {
  private readonly keys = new Map<string, KeyState<T>>();
  private readonly clock: () => number;

  constructor(private readonly options: CoalescerOptions<T>) {
    this.clock = options.clock ?? Date.now;
  }

  submit(key: string, value: T): Promise<void> {
    let state = this.keys.get(key);
    if (!state) {
      if (this.keys.size >= PRUNE_AT) this.prune();
      this.keys.set(key, (state = { lastFlushAt: -Infinity }));
    }
    if (state.pending) {
      state.pending.value = this.options.merge(state.pending.value, value);
      return state.pending.promise;
    }
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: Pending<T> = { value, promise, resolve, reject };
    state.pending = pending;
    void this.run(key, state, pending);
    return promise;
  }

  /** Keys with a flush waiting or running (for tests and diagnostics). */
  get busy(): number {
    let n = 0;
    for (const s of this.keys.values()) if (s.pending || s.inflight) n++;
    return n;
  }

  private async run(key: string, state: KeyState<T>, pending: Pending<T>): Promise<void> {
    if (state.inflight) await state.inflight.catch(() => undefined);
    const wait = state.lastFlushAt + this.options.intervalMs - this.clock();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // From here on, new submissions start the next round.
    state.pending = undefined;
    state.lastFlushAt = this.clock();
    const flight = this.options.flush(key, pending.value);
    state.inflight = flight;
    try {
      await flight;
    } catch (err) {
      pending.reject(err);
      return;
    } finally {
      if (state.inflight === flight) state.inflight = undefined;
    }
    const quiet = state.lastFlushAt + this.options.intervalMs - this.clock();
    if (quiet > 0) await new Promise((r) => setTimeout(r, quiet));
    pending.resolve();
  }

  private prune(): void {
    const cutoff = this.clock() - this.options.intervalMs;
    for (const [k, s] of this.keys) if (!s.pending && !s.inflight && s.lastFlushAt < cutoff) this.keys.delete(k);
  }
}
