// When a failed webhook delivery is tried again (docs/webhooks.md, Retries). The schedule is a list
// of pauses (PARTNER_WEBHOOK_RETRY_SCHEDULE): the pause before attempt n+1 is the n-th entry, spread
// by ±20 % jitter so that the deliveries of one partner outage do not all come back in the same
// second. The jitter is a function of the delivery id and attempt number, not of a random source:
// the retry orchestrator replays it and must compute the same instant every time.

/** The default pauses: 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h until about 3 days have passed. */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h,10h,10h,10h,10h';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "5s,5m,2h" → pauses in ms; undefined when an entry is not `<number><ms|s|m|h>`. */
export function parseRetrySchedule(text: string): number[] | undefined {
  const entries = text.split(',').map((e) => e.trim());
  const pauses: number[] = [];
  for (const entry of entries) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(entry);
    if (!m) return undefined;
    pauses.push(Math.round(Number(m[1]) * UNIT_MS[m[2]!]!));
  }
  return pauses.length > 0 ? pauses : undefined;
}

/**
 * The pause before attempt `attempt` (2 is the first retry), or undefined when the schedule is
 * used up and the delivery has failed.
 */
export function retryDelayMs(schedule: readonly number[], attempt: number, deliveryId: string): number | undefined {
  const base = schedule[attempt - 2];
  if (base === undefined) return undefined;
  const spread = unitInterval(`${deliveryId}#${attempt}`) * 0.4 - 0.2;
  return Math.max(0, Math.round(base * (1 + spread)));
}

/** A number in [0, 1) from a string (FNV-1a): deterministic, evenly spread, not secret. */
function unitInterval(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}
