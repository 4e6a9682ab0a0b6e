// The plugin's settings: task hub (host.json, overridable per run so tests can share one Azurite),
// caps, and the long-timer durations announced to the library.
import type { HostContext } from '../core/plugin.js';
import { timeSpanMs } from '../core/host-json.js';
import type { TimerSettings } from './replay.js';

/** Azure Storage provider values: timers over 6 days are split into 3-day sub-timers. */
const MAX_SHORT = '6.00:00:00';
const INTERVAL = '3.00:00:00';

export interface DurableSettings {
  hub: string;
  timers: TimerSettings;
}

export function readSettings(host: HostContext): DurableSettings {
  const hub = host.env.MARQUEE_TASK_HUB || host.hostJson.durableTask.hubName;
  // Overridable so the split itself can be exercised in seconds rather than days (tests only).
  const maxShort = host.env.MARQUEE_DURABLE_MAX_SHORT_TIMER || MAX_SHORT;
  const interval = host.env.MARQUEE_DURABLE_LONG_TIMER_INTERVAL || INTERVAL;
  const maxShortMs = timeSpanMs(maxShort, NaN);
  const intervalMs = timeSpanMs(interval, NaN);
  if (!(maxShortMs > 0) || !(intervalMs > 0) || intervalMs > maxShortMs) {
    throw new Error(
      `durable timers: MARQUEE_DURABLE_MAX_SHORT_TIMER (${maxShort}) and MARQUEE_DURABLE_LONG_TIMER_INTERVAL (${interval}) must be TimeSpans with interval <= maximum`,
    );
  }
  return {
    hub,
    timers: { maximumShortTimerDuration: maxShort, longRunningTimerIntervalDuration: interval, maxShortMs, intervalMs },
  };
}
