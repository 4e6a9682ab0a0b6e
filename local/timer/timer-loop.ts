// One timer function's schedule, played the way the host's TimerListener plays it:
// invocations never overlap because the loop awaits each one; the next
// occurrence is computed from "now" after the invocation finished, so occurrences missed while it
// ran are skipped, not queued; a failure is logged (after the retry policy) and the schedule goes on.
import type { HostContext } from '../core/plugin.js';
import type { RegisteredFunction } from '../core/registry.js';
import { invokeWithRetry } from '../core/retry-policy.js';
import type { Schedule } from './schedule.js';

/** .NET's DateTime.MinValue, what the host reports as `last` before the first occurrence. */
const NEVER = '0001-01-01T00:00:00.000Z';
// setTimeout overflows above 2^31-1 ms (~24.8 days); longer waits are taken in steps.
const MAX_WAIT_MS = 2 ** 31 - 1;

export interface TimerInfo {
  schedule: { adjustForDST: boolean };
  scheduleStatus: { last: string; next: string; lastUpdated: string } | null;
  isPastDue: boolean;
}

export class TimerLoop {
  private stopped = false;
  private timeout: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private last = NEVER;
  private lastUpdated = new Date().toISOString();

  constructor(
    private readonly host: HostContext,
    private readonly fn: RegisteredFunction,
    private readonly schedule: Schedule,
    private readonly runOnStartup: boolean,
  ) {}

  start(): void {
    this.running = this.loop().catch((err) => this.host.log.error('timer %s stopped: %s', this.fn.name, err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timeout);
    this.wake?.();
    // A handler that never returns must not hang shutdown; the real host also cancels after a grace period.
    await Promise.race([this.running, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  // What the host's TimerListener passes: the status as of the previous invocation, so `next` is
  // the occurrence now firing and `last` the one before (DateTime.MinValue at first).
  private async loop(): Promise<void> {
    let next = this.schedule.next(new Date());
    if (this.runOnStartup) await this.fire(new Date(), next ?? new Date());
    while (!this.stopped) {
      // Computed after the previous invocation finished: occurrences missed meanwhile are skipped.
      next = this.schedule.next(new Date());
      if (!next) {
        this.host.log.warn('timer %s: the schedule has no further occurrence', this.fn.name);
        return;
      }
      await this.sleepUntil(next);
      if (this.stopped) return;
      await this.fire(next, next);
    }
  }

  /** Invokes once for the occurrence `occurrence`, reporting `next` as the scheduled one. */
  private async fire(occurrence: Date, next: Date): Promise<void> {
    const info: TimerInfo = {
      schedule: { adjustForDST: true },
      scheduleStatus: { last: this.last, next: next.toISOString(), lastUpdated: this.lastUpdated },
      // Only a catch-up for an occurrence missed while the host was down is past due (useMonitor);
      // the local host keeps no schedule status across restarts, so it never sends one.
      isPastDue: false,
    };
    await invokeWithRetry(this.host, this.fn, info, {}, () => this.stopped);
    this.last = occurrence.toISOString();
    this.lastUpdated = new Date().toISOString();
  }

  private sleepUntil(due: Date): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      const step = () => {
        const left = due.getTime() - Date.now();
        if (left <= 0 || this.stopped) return resolve();
        this.timeout = setTimeout(step, Math.min(left, MAX_WAIT_MS));
      };
      step();
    });
  }
}
