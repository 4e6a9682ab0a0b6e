// The seat map in the browser: the layout indexed once (seat → section, row, category, position in
// the availability string) and the availability string kept as the one source of seat state.
// Updates replace characters; a change whose version does not follow the one we have means a
// message was missed, and the caller refetches the whole string.
import type { Layout } from '../api/types';
import { indexLayout, type LayoutIndex, type SeatInfo } from '../../../shared/contracts/layout.js';
import { FREE, isSeatCode, MAX_SEATS_PER_HOLD } from '../../../shared/contracts/seats.js';

/** The shared layout index (shared/contracts/layout.ts) plus what the picker shows: category names. */
export interface SeatIndex extends LayoutIndex {
  categoryName: Map<string, string>;
}

export function indexSeats(layout: Layout): SeatIndex {
  return { ...indexLayout(layout), categoryName: new Map(layout.categories.map((c) => [c.id, c.name])) };
}

/** Applies seat-id → code changes to an availability string; unknown seats and codes are ignored. */
export function applyChanges(index: SeatIndex, encoded: string, changes: Record<string, string>): string {
  const chars = encoded.split('');
  for (const [id, code] of Object.entries(changes)) {
    const ref = index.byId.get(id);
    if (ref && isSeatCode(code)) chars[ref.index] = code;
  }
  return chars.join('');
}

export function freeCount(index: SeatIndex, encoded: string, filter?: (s: SeatInfo) => boolean): number {
  let n = 0;
  for (const s of index.seats) if (encoded[s.index] === FREE && (!filter || filter(s))) n++;
  return n;
}

export type SelectOutcome = { ok: true; selection: string[]; note?: string } | { ok: false; reason: string };

/**
 * Toggles a seat in the selection. A booking's seats lie in one section (one atomic hold), so a
 * seat from another section starts a new selection and says so.
 */
export function toggleSeat(
  index: SeatIndex,
  encoded: string,
  selection: readonly string[],
  seatId: string,
): SelectOutcome {
  const ref = index.byId.get(seatId);
  if (!ref) return { ok: false, reason: 'That seat is not part of this show.' };
  if (selection.includes(seatId)) return { ok: true, selection: selection.filter((s) => s !== seatId) };
  if (encoded[ref.index] !== FREE) return { ok: false, reason: `Seat ${label(ref)} is not available.` };
  const first = selection[0] ? index.byId.get(selection[0]) : undefined;
  if (first && first.sectionId !== ref.sectionId) {
    const section = index.layout.sections.find((s) => s.id === ref.sectionId)?.name ?? ref.sectionId;
    return {
      ok: true,
      selection: [seatId],
      note: `Seats in one booking must be in one block, so your selection now starts in ${section}.`,
    };
  }
  if (selection.length >= MAX_SEATS_PER_HOLD)
    return { ok: false, reason: `You can choose up to ${MAX_SEATS_PER_HOLD} seats in one booking.` };
  return { ok: true, selection: [...selection, seatId] };
}

/** Seats of the selection that are no longer free in `encoded`. */
export function lostSeats(index: SeatIndex, encoded: string, selection: readonly string[]): string[] {
  return selection.filter((id) => {
    const ref = index.byId.get(id);
    return !ref || encoded[ref.index] !== FREE;
  });
}

export const label = (ref: Pick<SeatInfo, 'rowLabel' | 'n'>) => `${ref.rowLabel}${ref.n}`;

export function seatName(index: SeatIndex, id: string): string {
  const ref = index.byId.get(id);
  if (!ref) return id;
  const multi = index.layout.sections.length > 12;
  const section = multi ? `${index.layout.sections.find((s) => s.id === ref.sectionId)?.name ?? ref.sectionId} · ` : '';
  return `${section}${label(ref)}`;
}
