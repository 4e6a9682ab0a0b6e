// "Best available": how many seats, which category, a wheelchair space or not; the server picks
// (POST /api/shows/{id}/best-available) and the picker takes the seats it names.
import { useState } from 'preact/hooks';
import { bestAvailable, type BestAvailable } from '../api/catalog';
import { ApiError } from '../api/client';
import type { Money } from '../api/types';
import { money } from '../format';
import { MAX_SEATS_PER_HOLD } from '../../../shared/contracts/seats.js';
import { seatName, type SeatIndex } from './model';

interface Props {
  showId: string;
  index: SeatIndex;
  prices: Record<string, Money>;
  disabled: boolean;
  onPicked(best: BestAvailable): void;
  onMessage(message: { kind: 'ok' | 'error'; text: string } | undefined): void;
}

export function BestAvailableForm({ showId, index, prices, disabled, onPicked, onMessage }: Props) {
  const [count, setCount] = useState(2);
  const [category, setCategory] = useState('');
  const [wheelchair, setWheelchair] = useState(false);
  const pickBest = async () => {
    onMessage(undefined);
    try {
      const best = await bestAvailable(showId, {
        count,
        ...(category ? { category } : {}),
        ...(wheelchair ? { wheelchair } : {}),
      });
      onPicked(best);
      onMessage({
        kind: 'ok',
        text: `We picked ${best.seatIds.map((x) => seatName(index, x)).join(', ')}${best.adjacent ? ', side by side' : ' (no block of that size is free together, so they are split over nearby rows)'}.`,
      });
    } catch (err) {
      onMessage({
        kind: 'error',
        text:
          err instanceof ApiError && err.code === 'NOT_ENOUGH_SEATS'
            ? `Not enough free seats for ${count}${category ? ` in ${index.categoryName.get(category) ?? category}` : ''}.`
            : (err as Error).message,
      });
    }
  };

  return (
    <form
      class="best"
      onSubmit={(e) => {
        e.preventDefault();
        void pickBest();
      }}
    >
      <fieldset>
        <legend>Best available</legend>
        <label>
          Seats{' '}
          <select aria-label="Number of seats" value={count} onChange={(e) => setCount(Number(e.currentTarget.value))}>
            {Array.from({ length: MAX_SEATS_PER_HOLD }, (_, i) => (
              <option key={i} value={i + 1}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category{' '}
          <select aria-label="Category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">Any</option>
            {index.layout.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {prices[c.id] ? ` (${money(prices[c.id]!)})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={wheelchair} onChange={(e) => setWheelchair(e.currentTarget.checked)} />{' '}
          Wheelchair space
        </label>
        <button class="btn" type="submit" disabled={disabled}>
          Find seats
        </button>
      </fieldset>
    </form>
  );
}
