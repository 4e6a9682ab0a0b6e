// The wait between two polls of a queue or container: none while polls find work, then doubling
// from `min` to `max` while they find nothing (service-bus/backoff.ts); a wake — this host wrote to
// what is polled — ends the wait at once, or skips the next one when it comes during a poll.
import { Backoff } from '../service-bus/backoff.js';

export class PollTimer {
  private readonly backoff: Backoff;
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(min: number, max: number) {
    this.backoff = new Backoff(min, max);
  }

  wake(): void {
    this.backoff.reset();
    this.rouse();
  }

  /** Waits after a poll that found `found` items. */
  after(found: number): Promise<void> {
    const ms = this.backoff.next(found);
    if (this.woken || ms <= 0) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => this.rouse(), ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private rouse(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    if (w) w();
    else this.woken = true;
  }
}

/**
 * A loop that polls until stopped, waiting by a PollTimer between polls. `poll()` answers how
 * much it found (and handles it); stopping lets the poll in flight finish, for at most 5 s.
 */
export abstract class Poller {
  protected stopped = false;
  private readonly timer: PollTimer;
  private loopDone: Promise<void> | undefined;

  constructor(minMs: number, maxMs: number) {
    this.timer = new PollTimer(minMs, maxMs);
  }

  protected abstract poll(): Promise<number>;

  start(): void {
    this.loopDone = (async () => {
      while (!this.stopped) {
        const found = await this.poll();
        if (!this.stopped) await this.timer.after(found);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.wake();
    await Promise.race([this.loopDone, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  /** This host just wrote to what is polled: poll now. */
  wake(): void {
    this.timer.wake();
  }
}
