// The admitter's slow-down, fed by every instance (docs/architecture.md, Waiting room: pacing
// across instances). Each instance that serves bookings counts their hold outcomes per show and
// writes its running totals to a document of its own; the admitter's tick — whichever instance wins
// it — reads them all, takes what is new since the totals its cursor last saw, and paces on that.
// The outcomes gather over ticks until there are enough to judge (at 60–120 admissions a minute a
// one-second tick sees one or two bookings, never MIN_ATTEMPTS), or a busy store answers, which
// slows at once.
import { adjustFactor, MIN_ATTEMPTS, type Pressure } from './admission.js';

/** One instance's running totals for one show (they only grow). */
export interface PressureTotals {
  attempts: number;
  conflicts: number;
  busy: number;
  /** Holds made with an admission: the operator's conversion. */
  held: number;
}

export const noPressure = (): PressureTotals => ({ attempts: 0, conflicts: 0, busy: 0, held: 0 });

/** An instance's report: its totals and when it wrote them (ms). */
export interface PressureReport extends PressureTotals {
  instance: string;
  at: number;
}

/** Outcomes gathered since the last judgement, and since when (ms). */
export interface PressureWindow extends Pressure {
  since: number;
}

/** Outcomes are judged at the latest this long after the first one gathered (too few to judge: dropped). */
export const PRESSURE_WINDOW_MS = 30_000;

/**
 * What the reports add to the totals last seen, and the totals to remember. An instance not heard
 * from for `forgetMs` is forgotten (its document stays; its totals count again only if it writes).
 */
export function newPressure(
  seen: Readonly<Record<string, PressureTotals>>,
  reports: readonly PressureReport[],
  now: number,
  forgetMs: number,
): { delta: Pressure; seen: Record<string, PressureTotals> } {
  const delta: Pressure = { attempts: 0, conflicts: 0, busy: 0 };
  const next: Record<string, PressureTotals> = {};
  for (const r of reports) {
    if (now - r.at > forgetMs) continue;
    const before = seen[r.instance] ?? noPressure();
    // Totals only grow; a restarted instance has a new id, so a smaller total is a stale read.
    delta.attempts += Math.max(0, r.attempts - before.attempts);
    delta.conflicts += Math.max(0, r.conflicts - before.conflicts);
    delta.busy += Math.max(0, r.busy - before.busy);
    next[r.instance] = {
      attempts: Math.max(r.attempts, before.attempts),
      conflicts: Math.max(r.conflicts, before.conflicts),
      busy: Math.max(r.busy, before.busy),
      held: Math.max(r.held, before.held),
    };
  }
  return { delta, seen: next };
}

/**
 * The slow-down factor after a tick that saw `delta`. A busy store, or enough attempts gathered,
 * is judged by adjustFactor (AIMD) and starts a new window; too few to judge: the factor creeps up
 * only while no conflict is pending, and the window is kept (dropped after PRESSURE_WINDOW_MS).
 */
export function pace(
  factor: number,
  window: PressureWindow | undefined,
  delta: Pressure,
  now: number,
): { factor: number; window?: PressureWindow; slowedDown: boolean } {
  const fresh = window && now - window.since <= PRESSURE_WINDOW_MS ? window : undefined;
  const gathered = {
    attempts: (fresh?.attempts ?? 0) + delta.attempts,
    conflicts: (fresh?.conflicts ?? 0) + delta.conflicts,
    busy: (fresh?.busy ?? 0) + delta.busy,
  };
  if (gathered.busy > 0 || gathered.attempts >= MIN_ATTEMPTS) {
    const next = adjustFactor(factor, gathered);
    return { factor: next, slowedDown: next < factor };
  }
  const keep = gathered.attempts > 0 ? { ...gathered, since: fresh?.since ?? now } : undefined;
  const next = gathered.conflicts > 0 ? factor : adjustFactor(factor, { attempts: 0, conflicts: 0, busy: 0 });
  return { factor: next, ...(keep ? { window: keep } : {}), slowedDown: false };
}
