// Seat layouts: the immutable shape of a screen or stadium (docs/architecture.md, Seats and holds). A layout is split
// into sections of at most 1,000 seats; each section becomes one inventory document per show.
// Layout order (sections, then rows, then seats left to right) is the order of the compact
// availability string, so it must never change for a given layout id — a changed screen gets a
// new layout version and a new id.

export const MAX_SECTION_SEATS = 1000;

export type SeatKind = 'standard' | 'wheelchair' | 'companion';

export interface Category {
  /** Stable key used in price tables, e.g. "recliner". */
  id: string;
  name: string;
}

/** A seat in a row; `null` cells in `LayoutRow.cells` are gaps or aisles. */
export interface LayoutSeat {
  id: string;
  /** Printed seat number within the row. */
  n: number;
  kind?: SeatKind;
}

export interface LayoutRow {
  label: string;
  category: string;
  cells: (LayoutSeat | null)[];
}

export interface LayoutSection {
  id: string;
  name: string;
  rows: LayoutRow[];
}

export interface Layout {
  id: string;
  version: number;
  name: string;
  categories: Category[];
  sections: LayoutSection[];
  seatCount: number;
}

/** Where a seat lies, computed once per layout. */
export interface SeatInfo {
  id: string;
  sectionId: string;
  /** Position in layout order (index into the availability string). */
  index: number;
  /** Row index inside its section (0 = nearest the screen or stage). */
  row: number;
  rowLabel: string;
  /** Cell index inside the row (gaps count), for adjacency and distance. */
  col: number;
  category: string;
  kind: SeatKind;
}

export interface LayoutIndex {
  layout: Layout;
  seats: SeatInfo[];
  byId: Map<string, SeatInfo>;
  sectionSeats: Map<string, SeatInfo[]>;
}

export function indexLayout(layout: Layout): LayoutIndex {
  const seats: SeatInfo[] = [];
  const byId = new Map<string, SeatInfo>();
  const sectionSeats = new Map<string, SeatInfo[]>();
  for (const section of layout.sections) {
    const list: SeatInfo[] = [];
    section.rows.forEach((row, r) => {
      row.cells.forEach((cell, col) => {
        if (!cell) return;
        const info: SeatInfo = {
          id: cell.id,
          sectionId: section.id,
          index: seats.length,
          row: r,
          rowLabel: row.label,
          col,
          category: row.category,
          kind: cell.kind ?? 'standard',
        };
        seats.push(info);
        list.push(info);
        byId.set(cell.id, info);
      });
    });
    sectionSeats.set(section.id, list);
  }
  return { layout, seats, byId, sectionSeats };
}

/** Structural rules every layout obeys; returns the problems found (empty when valid). */
export function layoutProblems(layout: Layout): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const categories = new Set(layout.categories.map((c) => c.id));
  let count = 0;
  for (const section of layout.sections) {
    let inSection = 0;
    for (const row of section.rows) {
      if (!categories.has(row.category))
        problems.push(`row ${section.id}/${row.label}: unknown category ${row.category}`);
      for (const cell of row.cells) {
        if (!cell) continue;
        if (ids.has(cell.id)) problems.push(`seat ${cell.id} appears twice`);
        ids.add(cell.id);
        inSection++;
      }
    }
    if (inSection > MAX_SECTION_SEATS)
      problems.push(`section ${section.id} has ${inSection} seats (max ${MAX_SECTION_SEATS})`);
    if (inSection === 0) problems.push(`section ${section.id} has no seats`);
    count += inSection;
  }
  if (count !== layout.seatCount) problems.push(`seatCount ${layout.seatCount} but ${count} seats`);
  return problems;
}
