// Admission at the rate one show can carry (docs/architecture.md, Waiting room). The admitter
// advances a show's cursor in ticks; each tick admits what the rate has earned since the last one
// (a fractional credit carries over, so 100/min with 1-s ticks admits 1 or 2 a tick and 100 a
// minute), and never more than `admitPerMinute` in any 60-s window — a hard ceiling the property
// tests hold, even when ticks are late, bunched or missed. A slow-down factor (AIMD) lowers the
// rate when holds conflict or the store is busy, and creeps back when they calm down.
import { compareKeys } from './order.js';
import type { PressureTotals, PressureWindow } from './pressure.js';

export const WINDOW_MS = 60_000;
/** The admitter never slows below this share of the configured rate. */
export const MIN_FACTOR = 0.25;
const DECREASE = 0.7;
const INCREASE = 0.05;
/** Conflicts per booking attempt above which the factor goes down (with at least MIN_ATTEMPTS). */
const CONFLICT_RATIO = 0.5;
export const MIN_ATTEMPTS = 10;

export interface AdmissionTick {
  /** When the tick committed (ms). */
  at: number;
  /** The last key it admitted. */
  through: string;
  count: number;
}

/** A show's admission cursor: everyone whose key is ≤ `through` has been admitted. */
export interface Cursor {
  admitted: number;
  through?: string;
  /** Admissions earned and not yet made (fractional). */
  credit: number;
  lastTickAt?: number;
  /** The recent ticks, oldest first: the rate window and each admission's start. */
  ticks: AdmissionTick[];
  /** Keys ≤ this were admitted by ticks no longer kept: their admission windows are over. */
  expiredThrough?: string;
  /** The slow-down factor, MIN_FACTOR..1. */
  factor: number;
  /** Every instance's booking-outcome totals as last seen (pressure.ts); absent on older cursors. */
  seen?: Record<string, PressureTotals>;
  /** Outcomes gathered and not judged yet (pressure.ts pace). */
  window?: PressureWindow;
  /** Times the factor went down: the operator's record of slow-downs. */
  slowdowns?: number;
}

export const emptyCursor = (): Cursor => ({ admitted: 0, credit: 0, ticks: [], factor: 1 });

export interface Rate {
  opensAt: number;
  admitPerMinute: number;
  /** Longest gap credited at once: a tick after an outage does not admit a backlog in a burst. */
  maxGapMs: number;
}

/** The rate after the slow-down factor: at least 1 a minute. */
export const effectiveRate = (admitPerMinute: number, factor: number): number =>
  Math.max(1, Math.floor(admitPerMinute * Math.min(1, Math.max(MIN_FACTOR, factor))));

/** Admissions in the 60 s up to and including `now`. */
export function admittedInWindow(ticks: readonly AdmissionTick[], now: number): number {
  let n = 0;
  for (const t of ticks) if (t.at > now - WINDOW_MS && t.at <= now) n += t.count;
  return n;
}

export interface Budget {
  count: number;
  credit: number;
}

/** How many the tick at `now` may admit. */
export function admissionBudget(cursor: Cursor, now: number, rate: Rate): Budget {
  if (now < rate.opensAt) return { count: 0, credit: cursor.credit };
  const perMinute = effectiveRate(rate.admitPerMinute, cursor.factor);
  const since = Math.max(cursor.lastTickAt ?? rate.opensAt, rate.opensAt);
  const gap = Math.min(Math.max(0, now - since), rate.maxGapMs);
  const cap = Math.max(1, (perMinute * rate.maxGapMs) / WINDOW_MS);
  const credit = Math.min(cursor.credit + (perMinute * gap) / WINDOW_MS, cap);
  const room = Math.max(0, perMinute - admittedInWindow(cursor.ticks, now));
  // The epsilon absorbs float error (0.1 + 0.2 credits must make 0.3, not 0.29999).
  return { count: Math.min(Math.floor(credit + 1e-9), room), credit };
}

/**
 * The cursor after a tick at `now` admitted `keys` (in order, at most `budget.count`). `keepMs`:
 * how long ticks are kept (the admission window plus the rate window); older ones fold into
 * `expiredThrough`.
 */
export function advance(cursor: Cursor, now: number, budget: Budget, keys: readonly string[], keepMs: number): Cursor {
  if (keys.length > budget.count) throw new Error(`admitted ${keys.length}, budget ${budget.count}`);
  // A short queue does not bank credit: only the fraction carries over.
  const credit = keys.length < budget.count ? budget.credit % 1 : Math.max(0, budget.credit - keys.length);
  const ticks = keys.length
    ? [...cursor.ticks, { at: now, through: keys[keys.length - 1]!, count: keys.length }]
    : [...cursor.ticks];
  let expiredThrough = cursor.expiredThrough;
  while (ticks.length && ticks[0]!.at < now - Math.max(keepMs, WINDOW_MS)) expiredThrough = ticks.shift()!.through;
  return {
    ...cursor,
    admitted: cursor.admitted + keys.length,
    through: keys.length ? keys[keys.length - 1] : cursor.through,
    credit,
    lastTickAt: now,
    ticks,
    ...(expiredThrough !== undefined ? { expiredThrough } : {}),
    factor: cursor.factor,
  };
}

/** What the booking path saw since the last tick, for one show. */
export interface Pressure {
  attempts: number;
  /** Holds refused because the seats were taken. */
  conflicts: number;
  /** The store was throttling or busy (429/503 on the hold). */
  busy: number;
}

/** AIMD: down by 30 % under pressure, up by 5 points when calm; always within MIN_FACTOR..1. */
export function adjustFactor(factor: number, p: Pressure): number {
  const hot = p.busy > 0 || (p.attempts >= MIN_ATTEMPTS && p.conflicts / p.attempts > CONFLICT_RATIO);
  const next = hot ? factor * DECREASE : factor + INCREASE;
  return Math.min(1, Math.max(MIN_FACTOR, next));
}

export type EntryState =
  { state: 'waiting' } | { state: 'admitted'; admittedAt: number; expiresAt: number } | { state: 'expired' };

/** Where the entry with `key` stands against the committed cursor. */
export function entryState(key: string, cursor: Cursor, now: number, admissionMs: number): EntryState {
  if (cursor.through === undefined || compareKeys(key, cursor.through) > 0) return { state: 'waiting' };
  if (cursor.expiredThrough !== undefined && compareKeys(key, cursor.expiredThrough) <= 0) return { state: 'expired' };
  const tick = cursor.ticks.find((t) => compareKeys(key, t.through) <= 0);
  if (!tick) return { state: 'expired' };
  const expiresAt = tick.at + admissionMs;
  return now < expiresAt ? { state: 'admitted', admittedAt: tick.at, expiresAt } : { state: 'expired' };
}
