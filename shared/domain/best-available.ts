// Best-available seat choice. Rules, in order:
// 1. all seats in one section (a hold is one conditional write);
// 2. `count` adjacent seats in one row when any row has them (adjacent = neighbouring cells,
//    no aisle or gap between);
// 3. never leave a single free seat stranded between two taken seats;
// 4. wheelchair spaces and their companion seats are offered only to those who ask for them, and
//    those who ask get at least one wheelchair space;
// 5. nearest the sweet spot: about 62% of the way back from the screen, centred in the row — or,
//    in a stadium whose stands carry a view-quality `rank` (shared/contracts/layout.ts), the best
//    ranked stand first (one rank is worth RANK_ROWS rows) and, within a stand, a fifth of the way
//    back from the pitch: a cinema's sweet spot applied across 24 stands would pick the back row of
//    a middling one;
// 6. deterministic: ties go to the lowest seat index in layout order.
// When no row has `count` adjacent seats, the seats are split over rows of one section, largest
// blocks nearest the sweet spot first, still never stranding a single seat where avoidable.
import type { LayoutIndex, SeatInfo } from '../contracts/layout.js';
import { FREE } from '../contracts/seats.js';

export interface BestAvailableRequest {
  count: number;
  category?: string;
  wheelchair?: boolean;
  /** Only seats of this section (the inventory picks inside one section's conditional write). */
  sectionId?: string;
}

export type BestAvailableResult =
  { ok: true; seatIds: string[]; sectionId: string; adjacent: boolean } | { ok: false; reason: 'NOT_ENOUGH_SEATS' };

const SWEET_DEPTH = 0.62;
const STAND_SWEET_DEPTH = 0.2;
const RANK_ROWS = 10;
const ROW_WEIGHT = 2;

interface Row {
  sectionId: string;
  /** What being in this row costs: distance from the sweet spot, plus the stand's rank. */
  score: number;
  center: number;
  /** Cell col → seat (undefined for gaps and aisles). */
  cells: (SeatInfo | undefined)[];
}

const rowCache = new WeakMap<LayoutIndex, Row[]>();

function rowsOf(index: LayoutIndex): Row[] {
  const cached = rowCache.get(index);
  if (cached) return cached;
  const sections = index.layout.sections;
  const ranked = sections.some((s) => s.rank !== undefined);
  const worst = Math.max(0, ...sections.map((s) => s.rank ?? 0)) + 1;
  const total = sections.reduce((n, s) => n + s.rows.length, 0);
  const rows: Row[] = [];
  let depth = 0;
  for (const section of sections) {
    section.rows.forEach((row, r) => {
      const cells: (SeatInfo | undefined)[] = row.cells.map((c) => (c ? index.byId.get(c.id) : undefined));
      const cols = cells.flatMap((c, i) => (c ? [i] : []));
      const score = ranked
        ? ((section.rank ?? worst) - 1) * RANK_ROWS * ROW_WEIGHT +
          Math.abs(r - (section.rows.length - 1) * STAND_SWEET_DEPTH) * ROW_WEIGHT
        : Math.abs(depth - (total - 1) * SWEET_DEPTH) * ROW_WEIGHT;
      rows.push({
        sectionId: section.id,
        score,
        center: ((cols[0] ?? 0) + (cols[cols.length - 1] ?? 0)) / 2,
        cells,
      });
      depth++;
    });
  }
  rowCache.set(index, rows);
  return rows;
}

export function bestAvailable(
  index: LayoutIndex,
  availability: string,
  req: BestAvailableRequest,
): BestAvailableResult {
  const all = rowsOf(index);
  const rows = req.sectionId ? all.filter((r) => r.sectionId === req.sectionId) : all;
  const usable = (s: SeatInfo | undefined): s is SeatInfo =>
    !!s &&
    availability[s.index] === FREE &&
    (!req.category || s.category === req.category) &&
    (req.wheelchair || s.kind === 'standard');
  const taken = (s: SeatInfo | undefined) => !!s && availability[s.index] !== FREE;

  let best: { score: number; first: number; seats: SeatInfo[] } | undefined;
  for (const row of rows) {
    const rowScore = row.score;
    for (let start = 0; start + req.count <= row.cells.length; start++) {
      const window = row.cells.slice(start, start + req.count);
      if (!window.every(usable)) continue;
      const seats = window as SeatInfo[];
      if (req.wheelchair && !seats.some((s) => s.kind === 'wheelchair')) continue;
      if (strands(row, start, start + req.count - 1, taken)) continue;
      const score = rowScore + Math.abs(start + (req.count - 1) / 2 - row.center);
      if (!best || score < best.score || (score === best.score && seats[0]!.index < best.first))
        best = { score, first: seats[0]!.index, seats };
    }
  }
  if (best)
    return { ok: true, seatIds: best.seats.map((s) => s.id), sectionId: best.seats[0]!.sectionId, adjacent: true };
  if (req.wheelchair) return { ok: false, reason: 'NOT_ENOUGH_SEATS' };
  return splitAcrossRows(rows, req.count, usable, taken);
}

/** True when taking cells [a, b] would leave one free seat with a taken seat on its far side. */
function strands(row: Row, a: number, b: number, taken: (s: SeatInfo | undefined) => boolean): boolean {
  const left = row.cells[a - 1];
  if (left && !taken(left) && taken(row.cells[a - 2])) return true;
  const right = row.cells[b + 1];
  if (right && !taken(right) && taken(row.cells[b + 2])) return true;
  return false;
}

function splitAcrossRows(
  rows: Row[],
  count: number,
  usable: (s: SeatInfo | undefined) => s is SeatInfo,
  taken: (s: SeatInfo | undefined) => boolean,
): BestAvailableResult {
  const bySection = new Map<string, Row[]>();
  for (const r of rows) bySection.set(r.sectionId, [...(bySection.get(r.sectionId) ?? []), r]);
  let best: { score: number; first: number; seats: SeatInfo[] } | undefined;
  for (const [, sectionRows] of bySection) {
    // Runs of usable adjacent seats, best placed first.
    const runs: { seats: SeatInfo[]; row: Row; score: number }[] = [];
    for (const row of sectionRows) {
      let run: SeatInfo[] = [];
      const flush = () => {
        if (run.length) runs.push({ seats: run, row, score: row.score });
        run = [];
      };
      row.cells.forEach((c) => (usable(c) ? run.push(c) : flush()));
      flush();
    }
    if (runs.reduce((n, r) => n + r.seats.length, 0) < count) continue;
    runs.sort((x, y) => y.seats.length - x.seats.length || x.score - y.score || x.seats[0]!.index - y.seats[0]!.index);
    const chosen: SeatInfo[] = [];
    let score = 0;
    for (const run of runs) {
      if (chosen.length === count) break;
      const need = Math.min(count - chosen.length, run.seats.length);
      // Take from the run's centre-most part, avoiding a one-seat remainder on either side.
      const part = pickInRun(run.row, run.seats, need, taken);
      chosen.push(...part);
      score += run.score + 1;
    }
    if (chosen.length < count) continue;
    const first = Math.min(...chosen.map((s) => s.index));
    if (!best || score < best.score || (score === best.score && first < best.first))
      best = { score, first, seats: chosen };
  }
  if (!best) return { ok: false, reason: 'NOT_ENOUGH_SEATS' };
  return {
    ok: true,
    seatIds: best.seats.sort((a, b) => a.index - b.index).map((s) => s.id),
    sectionId: best.seats[0]!.sectionId,
    adjacent: false,
  };
}

function pickInRun(row: Row, run: SeatInfo[], need: number, taken: (s: SeatInfo | undefined) => boolean): SeatInfo[] {
  let pick: SeatInfo[] | undefined;
  let pickScore = Infinity;
  for (let i = 0; i + need <= run.length; i++) {
    const part = run.slice(i, i + need);
    const a = part[0]!.col;
    const b = part[part.length - 1]!.col;
    const penalty = strands(row, a, b, taken) || i === 1 || run.length - (i + need) === 1 ? 1000 : 0;
    const score = penalty + Math.abs((a + b) / 2 - row.center);
    if (score < pickScore) {
      pickScore = score;
      pick = part;
    }
  }
  return pick ?? run.slice(0, need);
}
