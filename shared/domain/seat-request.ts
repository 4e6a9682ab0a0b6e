// Checks a request for seats against a layout before any write: known seats, no duplicates,
// 1–10 seats, all in one section, so one conditional write makes the hold atomic
// (docs/architecture.md, Seats and holds).
import type { LayoutIndex } from '../contracts/layout.js';
import { MAX_SEATS_PER_HOLD } from '../contracts/seats.js';

export type SeatRequestProblem =
  'NO_SEATS' | 'TOO_MANY_SEATS' | 'DUPLICATE_SEATS' | 'UNKNOWN_SEATS' | 'MULTIPLE_SECTIONS';

export type SeatRequestCheck =
  { ok: true; sectionId: string } | { ok: false; problem: SeatRequestProblem; seats: string[]; message: string };

export function checkSeatRequest(
  index: LayoutIndex,
  seatIds: readonly string[],
  max = MAX_SEATS_PER_HOLD,
): SeatRequestCheck {
  if (seatIds.length === 0)
    return { ok: false, problem: 'NO_SEATS', seats: [], message: 'at least one seat is required' };
  const seen = new Set<string>();
  const dupes = seatIds.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (dupes.length)
    return {
      ok: false,
      problem: 'DUPLICATE_SEATS',
      seats: [...new Set(dupes)],
      message: `duplicate seats: ${[...new Set(dupes)].join(', ')}`,
    };
  if (seatIds.length > max)
    return {
      ok: false,
      problem: 'TOO_MANY_SEATS',
      seats: [],
      message: `at most ${max} seats per request (got ${seatIds.length})`,
    };
  const unknown = seatIds.filter((id) => !index.byId.has(id));
  if (unknown.length)
    return {
      ok: false,
      problem: 'UNKNOWN_SEATS',
      seats: unknown,
      message: `not seats of this show: ${unknown.join(', ')}`,
    };
  const sections = new Set(seatIds.map((id) => index.byId.get(id)!.sectionId));
  if (sections.size > 1)
    return {
      ok: false,
      problem: 'MULTIPLE_SECTIONS',
      seats: [...seatIds],
      message: `seats must lie in one section (got ${[...sections].join(', ')})`,
    };
  return { ok: true, sectionId: [...sections][0]! };
}
