// A seat layout as GET /api/layouts/{id} serves it (docs/seat-map.md), and the index both the
// server and the browser build from it. Layout order (sections, then rows, then seats left to
// right) is the order of the availability string, so it must never change for a given layout id:
// a changed screen gets a new layout version and a new id.
// Pure and dependency-free: the browser bundle imports this module as it is.

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

/**
 * Where a stand lies around a stadium's pitch or stage, for the overview drawing: the middle of
 * the stand as an angle (degrees clockwise from the top of the drawing), how many degrees it
 * covers, and its ring (0 = the lower tier, nearest the pitch).
 */
export interface SectionPosition {
  angle: number;
  span: number;
  ring?: number;
}

export interface LayoutSection {
  id: string;
  name: string;
  rows: LayoutRow[];
  /** Stadiums: where the stand is (the overview drawing). */
  position?: SectionPosition;
  /**
   * Stadiums: the stand's view quality, 1 = best (central, near the pitch or stage). With ranks,
   * best available ranks stands first and takes rows in the front part of a stand.
   */
  rank?: number;
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
  /** Printed seat number within the row. */
  n: number;
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

/**
 * A section without its rows, as the availability answer carries it (docs/seat-map.md): enough to
 * draw a stadium's overview and count each stand's free seats before the half-megabyte layout of
 * 20,000 seats has loaded (web/src/pages/seats.tsx).
 */
export interface SectionSummary {
  id: string;
  name: string;
  /** Where the section's seats start in the availability string (layout order), and how many. */
  start: number;
  seats: number;
  /** Its rows' categories, front row first, each once. */
  categories: string[];
  position?: SectionPosition;
}

export function summarizeSections(index: LayoutIndex): SectionSummary[] {
  return index.layout.sections.map((section) => {
    const seats = index.sectionSeats.get(section.id) ?? [];
    return {
      id: section.id,
      name: section.name,
      start: seats[0]?.index ?? 0,
      seats: seats.length,
      categories: [...new Set(section.rows.map((r) => r.category))],
      ...(section.position ? { position: section.position } : {}),
    };
  });
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
          n: cell.n,
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
