// Seat and category names as the seat map shows them ("Stand B6 · AH13", "Premium"), for pages
// that only have ids (a booking's seats and price lines): the show's layout, loaded once per layout.
import { useEffect, useState } from 'preact/hooks';
import { layout as loadLayout, show as loadShow } from '../api/catalog';
import { indexSeats, seatName, type SeatIndex } from './model';

export interface SeatLabels {
  seat(id: string): string;
  category(id: string): string;
}

/** Ids as they are until the layout is known (or if it cannot be loaded). */
const RAW: SeatLabels = { seat: (id) => id, category: (id) => id };

const indexes = new Map<string, Promise<SeatIndex | undefined>>();

function indexOfShow(showId: string): Promise<SeatIndex | undefined> {
  let p = indexes.get(showId);
  if (!p) {
    p = loadShow(showId)
      .then((s) => loadLayout(s.layoutId))
      .then(indexSeats, () => undefined);
    indexes.set(showId, p);
  }
  return p;
}

export function labelsOf(index: SeatIndex | undefined): SeatLabels {
  if (!index) return RAW;
  return {
    seat: (id) => seatName(index, id),
    category: (id) => index.categoryName.get(id) ?? id,
  };
}

export function useSeatLabels(showId: string | undefined): SeatLabels {
  const [labels, setLabels] = useState<SeatLabels>(RAW);
  useEffect(() => {
    if (!showId) return;
    let live = true;
    void indexOfShow(showId).then((index) => live && setLabels(labelsOf(index)));
    return () => {
      live = false;
    };
  }, [showId]);
  return labels;
}
