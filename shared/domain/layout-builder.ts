// Builds layouts from compact specs: a cinema screen from its rows (blocks of seats between
// aisles, an indent for curved or narrow front rows, wheelchair spaces each with a companion seat),
// and a stadium from its sections. Rows are given nearest the screen first. Sections follow the
// categories (a screen's category block), split further so none exceeds MAX_SECTION_SEATS.
import type { Category, Layout, LayoutRow, LayoutSeat, LayoutSection, SectionPosition } from '../contracts/layout.js';
import { MAX_SECTION_SEATS } from './layout.js';

export interface RowSpec {
  label: string;
  category: string;
  /** Seats per block, left to right; blocks are separated by an aisle of `aisleWidth` cells. */
  blocks: number[];
  /** Empty cells before the first seat (narrower rows are centred this way). */
  indent?: number;
  /** Wheelchair spaces at the start of the row, each followed by its companion seat. */
  wheelchairPairs?: number;
}

export interface ScreenSpec {
  id: string;
  version: number;
  name: string;
  categories: Category[];
  rows: RowSpec[];
  aisleWidth?: number;
}

export function buildScreenLayout(spec: ScreenSpec): Layout {
  const aisle = spec.aisleWidth ?? 1;
  const sections: LayoutSection[] = [];
  let current: LayoutSection | undefined;
  let currentCount = 0;
  for (const row of spec.rows) {
    const built = buildRow(row, aisle, '');
    const seats = built.cells.filter(Boolean).length;
    const sameCategory = current && current.rows[0]!.category === row.category;
    if (!current || !sameCategory || currentCount + seats > MAX_SECTION_SEATS) {
      const base = row.category;
      const taken = sections.filter((s) => s.id === base || s.id.startsWith(`${base}-`)).length;
      const name = spec.categories.find((c) => c.id === row.category)?.name ?? row.category;
      current = { id: taken ? `${base}-${taken + 1}` : base, name: taken ? `${name} ${taken + 1}` : name, rows: [] };
      currentCount = 0;
      sections.push(current);
    }
    current.rows.push(built);
    currentCount += seats;
  }
  return finish(spec.id, spec.version, spec.name, spec.categories, sections);
}

export interface StadiumSectionSpec {
  id: string;
  name: string;
  category: string;
  rows: number;
  seatsPerRow: number;
  /** Wheelchair pairs on the front row. */
  wheelchairPairs?: number;
  position?: SectionPosition;
  rank?: number;
}

export interface StadiumSpec {
  id: string;
  version: number;
  name: string;
  categories: Category[];
  sections: StadiumSectionSpec[];
}

export function buildStadiumLayout(spec: StadiumSpec): Layout {
  const sections = spec.sections.map((s): LayoutSection => {
    const rows: LayoutRow[] = [];
    for (let r = 0; r < s.rows; r++) {
      const half = Math.floor(s.seatsPerRow / 2);
      const rowSpec: RowSpec = {
        label: rowLabel(r),
        category: s.category,
        blocks: [half, s.seatsPerRow - half],
        wheelchairPairs: r === 0 ? s.wheelchairPairs : 0,
      };
      rows.push(buildRow(rowSpec, 1, `${s.id}-`));
    }
    return {
      id: s.id,
      name: s.name,
      ...(s.position ? { position: s.position } : {}),
      ...(s.rank !== undefined ? { rank: s.rank } : {}),
      rows,
    };
  });
  return finish(spec.id, spec.version, spec.name, spec.categories, sections);
}

/** A, B, … Z, AA, AB, … (I and O are kept: this is a simple, reversible scheme). */
export function rowLabel(index: number): string {
  let label = '';
  let n = index;
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

function buildRow(spec: RowSpec, aisle: number, prefix: string): LayoutRow {
  const cells: (LayoutSeat | null)[] = [];
  for (let i = 0; i < (spec.indent ?? 0); i++) cells.push(null);
  let n = 0;
  let pairsLeft = spec.wheelchairPairs ?? 0;
  let companionNext = false;
  spec.blocks.forEach((count, b) => {
    if (b > 0) for (let i = 0; i < aisle; i++) cells.push(null);
    for (let i = 0; i < count; i++) {
      n++;
      const seat: LayoutSeat = { id: `${prefix}${spec.label}${n}`, n };
      if (companionNext) {
        seat.kind = 'companion';
        companionNext = false;
      } else if (pairsLeft > 0 && i + 1 < count) {
        seat.kind = 'wheelchair';
        pairsLeft--;
        companionNext = true;
      }
      cells.push(seat);
    }
  });
  return { label: spec.label, category: spec.category, cells };
}

function finish(id: string, version: number, name: string, categories: Category[], sections: LayoutSection[]): Layout {
  const seatCount = sections.reduce(
    (sum, s) => sum + s.rows.reduce((r, row) => r + row.cells.filter(Boolean).length, 0),
    0,
  );
  return { id, version, name, categories, sections, seatCount };
}
