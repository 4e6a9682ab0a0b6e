// Seat diffs for live seat maps (docs/architecture.md, Realtime; docs/realtime.md). The change feed hands the
// fan-out the latest version of each changed section; these pure functions compare it with the
// view the fan-out last announced and produce:
// - one public message per show: seat id → code ('0' free, '1' unavailable, '2' blocked, the
//   seat-state-v1 codes of GET /api/shows/{id}/seats), with no user, hold or booking ids;
// - one private message per holder whose own held seats changed (sent to that user's channel).
//
// Versions: a section's `version` goes up by one per write, and the show's version is the sum over
// its sections — the `version` of GET /api/shows/{id}/seats. A message carries `base` (the show
// version of the previous message) and `version` (after it); clients chain them and refetch on a
// gap. Writes that change no public code (a confirm turns '1' into '1') send nothing: the next
// message simply spans them, which clients accept because its states are absolute.
//
// Expired holds read as free (docs/architecture.md, Seats and holds): codes are computed at `now`,
// so a hold that expired without a write shows up as '0' in the next diff of its section, and the
// release write that the saga's timer (or the sweeper) makes produces that diff on time.
import { BLOCKED, FREE, UNAVAILABLE, type SeatCode } from '../contracts/seats.js';
import { effective, type SeatMap } from './section.js';

/** A section document as the change feed (or a read) delivers it. */
export interface SectionSnapshot {
  sectionId: string;
  version: number;
  etag: string;
  seats: SeatMap;
}

export interface HeldBy {
  userId: string;
  holdId: string;
  expiresAt: string;
}

/** What the fan-out remembers of one section: the non-free codes it announced, and active holds. */
export interface SectionView {
  version: number;
  etag: string;
  codes: ReadonlyMap<string, typeof UNAVAILABLE | typeof BLOCKED>;
  holds: ReadonlyMap<string, HeldBy>;
}

export interface ShowView {
  showId: string;
  sections: ReadonlyMap<string, SectionView>;
}

export interface SectionDiff {
  sectionId: string;
  /** Section version this entry brings the client to. */
  version: number;
  /** Section version of the previous announcement (null in a full message). */
  from: number | null;
  /** The section document's `_etag` at `version`. */
  etag: string;
  /** Full state: every seat of the section not listed is free. */
  full?: true;
  /** Seat id → code; in a diff only seats whose code changed, in a full state only non-free seats. */
  seats: Record<string, SeatCode>;
}

export interface SeatDiffMessage {
  type: 'seats';
  showId: string;
  /** Show version after this message (sum of section versions). */
  version: number;
  /** Show version of the previous message; null when `full`. */
  base: number | null;
  /** True after a fan-out restart or a gap: every existing section is listed in full. */
  full: boolean;
  sections: SectionDiff[];
  /** When the fan-out built the message (ISO-8601 UTC). */
  at: string;
}

/** Private: the seats `userId` holds for this show right now (empty once released or booked). */
export interface HoldsMessage {
  type: 'holds';
  showId: string;
  seatIds: string[];
  /** Earliest expiry among those holds, or null. */
  expiresAt: string | null;
  version: number;
}

export interface UserHolds {
  userId: string;
  message: HoldsMessage;
}

export interface Advance {
  view: ShowView;
  /** Undefined when no public code changed. */
  diff?: SeatDiffMessage;
  holds: UserHolds[];
}

/** The view of one section at `now`: expired holds are free and forgotten. */
export function viewSection(snap: SectionSnapshot, now: number): SectionView {
  const codes = new Map<string, typeof UNAVAILABLE | typeof BLOCKED>();
  const holds = new Map<string, HeldBy>();
  for (const [seatId, state] of Object.entries(snap.seats)) {
    const e = effective(state, now);
    if (e === 'free') continue;
    codes.set(seatId, e === 'blocked' ? BLOCKED : UNAVAILABLE);
    if (state.s === 'held')
      holds.set(seatId, { userId: state.userId, holdId: state.holdId, expiresAt: state.expiresAt });
  }
  return { version: snap.version, etag: snap.etag, codes, holds };
}

export function showVersion(view: ShowView): number {
  let v = 0;
  for (const s of view.sections.values()) v += s.version;
  return v;
}

/** Seats whose code differs between two views of a section (absent = free). */
export function diffCodes(prev: SectionView | undefined, next: SectionView): Record<string, SeatCode> {
  const out: Record<string, SeatCode> = {};
  for (const [id, code] of next.codes) if (prev?.codes.get(id) !== code) out[id] = code;
  if (prev) for (const id of prev.codes.keys()) if (!next.codes.has(id)) out[id] = FREE;
  return out;
}

/**
 * The first announcement of a show (fan-out start, eviction, lease moved): every section document
 * that exists, in full. Holders get their holds too (the message is idempotent state).
 */
export function fullShow(showId: string, snaps: readonly SectionSnapshot[], now: number): Advance {
  const sections = new Map<string, SectionView>();
  for (const snap of newestPerSection(snaps)) sections.set(snap.sectionId, viewSection(snap, now));
  const view: ShowView = { showId, sections };
  const version = showVersion(view);
  const diff: SeatDiffMessage = {
    type: 'seats',
    showId,
    version,
    base: null,
    full: true,
    sections: [...sections]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([sectionId, s]) => ({
        sectionId,
        version: s.version,
        from: null,
        etag: s.etag,
        full: true,
        seats: Object.fromEntries(s.codes),
      })),
    at: new Date(now).toISOString(),
  };
  const users = new Set<string>();
  for (const s of sections.values()) for (const h of s.holds.values()) users.add(h.userId);
  return {
    view,
    diff,
    holds: [...users].sort().map((userId) => ({ userId, message: holdsOf(view, userId, version) })),
  };
}

/**
 * Applies changed sections to the announced view. Snapshots not newer than what was announced
 * are ignored (redelivery, a retried batch, a full read that already included them), which makes
 * a retried batch harmless.
 */
export function advanceShow(prev: ShowView, snaps: readonly SectionSnapshot[], now: number): Advance {
  const sections = new Map(prev.sections);
  const base = showVersion(prev);
  const entries: SectionDiff[] = [];
  const touchedUsers = new Set<string>();
  for (const snap of newestPerSection(snaps)) {
    const before = prev.sections.get(snap.sectionId);
    if (before && snap.version <= before.version) continue;
    const after = viewSection(snap, now);
    sections.set(snap.sectionId, after);
    for (const h of before?.holds.values() ?? []) touchedUsers.add(h.userId);
    for (const h of after.holds.values()) touchedUsers.add(h.userId);
    const seats = diffCodes(before, after);
    if (Object.keys(seats).length)
      entries.push({
        sectionId: snap.sectionId,
        version: after.version,
        from: before?.version ?? 0,
        etag: after.etag,
        seats,
      });
  }
  const view: ShowView = { showId: prev.showId, sections };
  const version = showVersion(view);
  const holds: UserHolds[] = [];
  for (const userId of [...touchedUsers].sort()) {
    const was = holdsOf(prev, userId, base); // what the holder was told last
    const is = holdsOf(view, userId, version, now);
    if (was.seatIds.join(',') !== is.seatIds.join(',') || was.expiresAt !== is.expiresAt)
      holds.push({ userId, message: is });
  }
  if (!entries.length) return { view, holds };
  entries.sort((a, b) => a.sectionId.localeCompare(b.sectionId));
  return {
    view,
    holds,
    diff: {
      type: 'seats',
      showId: prev.showId,
      version,
      base,
      full: false,
      sections: entries,
      at: new Date(now).toISOString(),
    },
  };
}

/** The seats `userId` holds in the show (holds still active at `now`, when given). */
export function holdsOf(view: ShowView, userId: string, version: number, now?: number): HoldsMessage {
  const seatIds: string[] = [];
  let expiresAt: string | null = null;
  for (const s of view.sections.values()) {
    for (const [seatId, h] of s.holds) {
      if (h.userId !== userId || (now !== undefined && Date.parse(h.expiresAt) <= now)) continue;
      seatIds.push(seatId);
      if (expiresAt === null || h.expiresAt < expiresAt) expiresAt = h.expiresAt;
    }
  }
  seatIds.sort();
  return { type: 'holds', showId: view.showId, seatIds, expiresAt, version };
}

/** One snapshot per section, the highest version (a batch may carry several). */
function newestPerSection(snaps: readonly SectionSnapshot[]): SectionSnapshot[] {
  const best = new Map<string, SectionSnapshot>();
  for (const s of snaps) {
    const seen = best.get(s.sectionId);
    if (!seen || s.version > seen.version) best.set(s.sectionId, s);
  }
  return [...best.values()];
}

/** Merges two batches of snapshots for the same show, keeping the newest per section. */
export function mergeSnapshots(a: readonly SectionSnapshot[], b: readonly SectionSnapshot[]): SectionSnapshot[] {
  return newestPerSection([...a, ...b]);
}
