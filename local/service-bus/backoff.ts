// Polling delay for an entity's receive loop: 0 while messages keep coming, then doubling from
// `min` to `max` while the queue stays empty. An idle host then makes about one request per entity
// per second, yet a message that arrives while busy is picked up at once. A local publish also
// wakes the loop directly (see receiver.ts), so the back-off only bounds cross-process latency.
export class Backoff {
  private current = 0;

  constructor(
    private readonly min = 50,
    private readonly max = 1000,
  ) {}

  /** Delay after a receive that returned `received` messages. */
  next(received: number): number {
    if (received > 0) this.current = 0;
    else this.current = this.current === 0 ? this.min : Math.min(this.max, this.current * 2);
    return this.current;
  }

  reset(): void {
    this.current = 0;
  }
}
