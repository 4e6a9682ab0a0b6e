// The seat codes, the seat limit and the show group are read by clients of the API
// (docs/seat-map.md, docs/realtime.md): changing one breaks every client, so they are pinned here.
import { describe, expect, it } from 'vitest';
import { showGroup } from '../../../shared/contracts/realtime.js';
import { BLOCKED, FREE, isSeatCode, MAX_SEATS_PER_HOLD, UNAVAILABLE } from '../../../shared/contracts/seats.js';

describe('the seat vocabulary of the API', () => {
  it('codes seats 0 free, 1 unavailable, 2 blocked, and nothing else', () => {
    expect([FREE, UNAVAILABLE, BLOCKED]).toEqual(['0', '1', '2']);
    expect(['0', '1', '2'].every(isSeatCode)).toBe(true);
    expect(['3', '', '00', 'free'].some(isSeatCode)).toBe(false);
  });

  it('allows ten seats in one booking', () => {
    expect(MAX_SEATS_PER_HOLD).toBe(10);
  });

  it('names a show’s seat group show.<showId>', () => {
    expect(showGroup('shw-1')).toBe('show.shw-1');
  });
});
