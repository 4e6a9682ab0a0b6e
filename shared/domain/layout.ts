// The rules every seat layout obeys. A layout is split into sections of at most 1,000 seats; each
// section becomes one inventory document per show. The layout's shape and its index are part of
// the wire protocol, shared with the browser: shared/contracts/layout.ts.
import type { Layout } from '../contracts/layout.js';

export const MAX_SECTION_SEATS = 1000;

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
