// The seat grid of one or more sections: one button per seat in a row-by-row grid, aisles and gaps
// as empty cells, the screen (or stage) at the top. Keyboard: a single tab stop (roving tabindex),
// arrow keys move between seats (up/down keep the column), Home/End go to the row's ends,
// Enter/Space toggle. Taken seats stay focusable (aria-disabled) so moving through them is smooth.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Category, LayoutSection, Money } from '../api/types';
import { money } from '../format';
import type { SeatInfo } from '../../../shared/contracts/layout.js';
import { BLOCKED, FREE } from '../../../shared/contracts/seats.js';
import type { SeatIndex } from './model';

interface Props {
  index: SeatIndex;
  sections: LayoutSection[];
  encoded: string;
  selection: readonly string[];
  prices: Record<string, Money>;
  stage: string;
  onToggle(seatId: string): void;
}

interface GridRow {
  key: string;
  label: string;
  sectionId: string;
  category: string;
  cells: (SeatInfo | null)[];
  seats: SeatInfo[];
}

/** A category's colour class, by its place in the layout's categories. */
export function categoryClass(categories: readonly Category[], category: string): string {
  const i = categories.findIndex((c) => c.id === category);
  return `cat-${Math.max(0, i) % 4}`;
}

export function SeatMap({ index, sections, encoded, selection, prices, stage, onToggle }: Props) {
  const grid = useRef<HTMLDivElement>(null);
  const rows = useMemo<GridRow[]>(
    () =>
      sections.flatMap((section) =>
        section.rows.map((row) => {
          const cells = row.cells.map((c) => (c ? (index.byId.get(c.id) ?? null) : null));
          return {
            key: `${section.id}/${row.label}`,
            label: row.label,
            sectionId: section.id,
            category: row.category,
            cells,
            seats: cells.filter((c): c is SeatInfo => !!c),
          };
        }),
      ),
    [index, sections],
  );
  const width = Math.max(...rows.map((r) => r.cells.length), 1);
  const selected = new Set(selection);
  const [focusId, setFocusId] = useState<string>();
  const tabStop =
    focusId && index.byId.get(focusId) && rows.some((r) => r.seats.some((s) => s.id === focusId))
      ? focusId
      : (selection.find((id) => rows.some((r) => r.seats.some((s) => s.id === id))) ??
        rows.flatMap((r) => r.seats).find((s) => encoded[s.index] === FREE)?.id ??
        rows[0]?.seats[0]?.id);

  const focusSeat = (id: string | undefined) => {
    if (!id) return;
    setFocusId(id);
    grid.current?.querySelector<HTMLButtonElement>(`[data-seat="${CSS.escape(id)}"]`)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const id = (e.target as HTMLElement).dataset?.seat;
    if (!id) return;
    const r = rows.findIndex((row) => row.seats.some((s) => s.id === id));
    const row = rows[r];
    if (!row) return;
    const pos = row.seats.findIndex((s) => s.id === id);
    const seat = row.seats[pos]!;
    const nearest = (target: GridRow | undefined) =>
      target?.seats.reduce(
        (best, s) => (Math.abs(s.col - seat.col) < Math.abs(best.col - seat.col) ? s : best),
        target.seats[0]!,
      );
    let next: SeatInfo | undefined;
    switch (e.key) {
      case 'ArrowLeft':
        next = row.seats[pos - 1];
        break;
      case 'ArrowRight':
        next = row.seats[pos + 1];
        break;
      case 'ArrowUp':
        next = nearest(rows[r - 1]);
        break;
      case 'ArrowDown':
        next = nearest(rows[r + 1]);
        break;
      case 'Home':
        next = row.seats[0];
        break;
      case 'End':
        next = row.seats[row.seats.length - 1];
        break;
      default:
        return;
    }
    e.preventDefault();
    focusSeat(next?.id);
  };

  // A map wider than the screen (phones) opens centred, where the best seats are.
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollWidth > el.clientWidth) el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
  }, [sections]);

  let lastSection = '';
  return (
    <div class="seat-map-scroll" ref={scroller}>
      <div class="stage" aria-hidden="true">
        <span>{stage}</span>
      </div>
      <div
        class="seat-map"
        role="grid"
        aria-label={`Seats. ${stage} is at the top. Use the arrow keys to move between seats and Enter or Space to choose.`}
        ref={grid}
        onKeyDown={onKeyDown}
        style={{ '--cols': width }}
      >
        {rows.map((row) => {
          const heading = row.sectionId + row.category !== lastSection;
          lastSection = row.sectionId + row.category;
          const price = prices[row.category];
          return [
            heading && (
              <div role="row" class="section-head" key={`h-${row.key}`}>
                <span role="columnheader" aria-colspan={width + 2}>
                  <span class={`swatch ${categoryClass(index.layout.categories, row.category)}`} aria-hidden="true" />
                  {index.categoryName.get(row.category) ?? row.category}
                  {price ? ` · ${money(price)}` : ''}
                  {sections.length > 1 &&
                  sections.find((s) => s.id === row.sectionId)!.name !== (index.categoryName.get(row.category) ?? '')
                    ? ` · ${sections.find((s) => s.id === row.sectionId)!.name}`
                    : ''}
                </span>
              </div>
            ),
            <div role="row" class="seat-row" key={row.key}>
              <span role="rowheader" class="row-label">
                {row.label}
              </span>
              {row.cells.map((seat, i) => {
                if (!seat) return <span role="gridcell" class="gap" key={i} />;
                const code = encoded[seat.index];
                const isSel = selected.has(seat.id);
                const free = code === FREE;
                const state = isSel ? 'selected' : free ? 'available' : code === BLOCKED ? 'not for sale' : 'taken';
                const kind =
                  seat.kind === 'wheelchair'
                    ? ', wheelchair space'
                    : seat.kind === 'companion'
                      ? ', companion seat'
                      : '';
                return (
                  <span role="gridcell" key={i} class="cell">
                    <button
                      type="button"
                      class={`seat ${categoryClass(index.layout.categories, seat.category)} ${isSel ? 'is-selected' : free ? 'is-free' : code === BLOCKED ? 'is-blocked' : 'is-taken'} kind-${seat.kind}`}
                      data-seat={seat.id}
                      data-state={state}
                      tabIndex={seat.id === tabStop ? 0 : -1}
                      aria-pressed={isSel}
                      aria-disabled={!free && !isSel}
                      // The visible number is in the name (WCAG 2.5.3 label in name): "Seat 4, row A, …".
                      aria-label={`Seat ${seat.n}, row ${seat.rowLabel}, ${index.categoryName.get(seat.category) ?? seat.category}${price ? ` ${money(price)}` : ''}, ${state}${kind}`}
                      onFocus={() => setFocusId(seat.id)}
                      onClick={() => onToggle(seat.id)}
                    >
                      {seat.kind === 'wheelchair' ? '♿' : seat.n}
                    </button>
                  </span>
                );
              })}
              <span class="row-label row-label-end" aria-hidden="true">
                {row.label}
              </span>
            </div>,
          ];
        })}
      </div>
    </div>
  );
}

export function Legend({ index }: { index: SeatIndex }) {
  return (
    <ul class="legend" aria-label="Legend">
      {index.layout.categories.map((c) => (
        <li key={c.id}>
          <span class={`seat seat-demo is-free ${categoryClass(index.layout.categories, c.id)}`} aria-hidden="true" />
          {c.name}
        </li>
      ))}
      <li>
        <span class="seat seat-demo is-selected" aria-hidden="true" />
        Selected
      </li>
      <li>
        <span class="seat seat-demo is-taken" aria-hidden="true" />
        Taken
      </li>
      <li>
        <span class="seat seat-demo is-free kind-wheelchair" aria-hidden="true">
          ♿
        </span>
        Wheelchair space
      </li>
    </ul>
  );
}
