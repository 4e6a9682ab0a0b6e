// The layout index the server and the browser both build (shared/contracts/layout.ts): seats in
// layout order, which is the order of the availability string.
import { describe, expect, it } from 'vitest';
import { indexLayout, type Layout } from '../../../shared/contracts/layout.js';

const layout: Layout = {
  id: 'lay-two-stands-v1',
  version: 1,
  name: 'Two stands',
  categories: [
    { id: 'lower', name: 'Lower' },
    { id: 'upper', name: 'Upper' },
  ],
  sections: [
    {
      id: 'N',
      name: 'North',
      rows: [
        {
          label: 'A',
          category: 'lower',
          cells: [
            { id: 'N-A1', n: 1, kind: 'wheelchair' },
            { id: 'N-A2', n: 2, kind: 'companion' },
            null,
            { id: 'N-A3', n: 3 },
          ],
        },
        { label: 'B', category: 'upper', cells: [null, { id: 'N-B1', n: 1 }] },
      ],
    },
    { id: 'S', name: 'South', rows: [{ label: 'A', category: 'lower', cells: [{ id: 'S-A7', n: 7 }] }] },
  ],
  seatCount: 5,
};

describe('indexLayout', () => {
  const index = indexLayout(layout);

  it('numbers seats in layout order: sections, then rows, then cells left to right, skipping gaps', () => {
    expect(index.seats.map((s) => [s.id, s.index])).toEqual([
      ['N-A1', 0],
      ['N-A2', 1],
      ['N-A3', 2],
      ['N-B1', 3],
      ['S-A7', 4],
    ]);
    expect(index.layout).toBe(layout);
  });

  it('records where each seat lies: section, row, cell (gaps count), label, number, category and kind', () => {
    expect(index.byId.get('N-A3')).toEqual({
      id: 'N-A3',
      n: 3,
      sectionId: 'N',
      index: 2,
      row: 0,
      rowLabel: 'A',
      col: 3,
      category: 'lower',
      kind: 'standard',
    });
    expect(index.byId.get('N-B1')).toMatchObject({ row: 1, rowLabel: 'B', col: 1, category: 'upper' });
    expect(index.byId.get('N-A1')!.kind).toBe('wheelchair');
    expect(index.byId.get('N-A2')!.kind).toBe('companion');
    expect(index.byId.get('S-A7')).toMatchObject({ n: 7, sectionId: 'S', row: 0, col: 0 });
  });

  it('lists each section’s seats, sharing the objects of the flat list', () => {
    expect([...index.sectionSeats.keys()]).toEqual(['N', 'S']);
    expect(index.sectionSeats.get('N')!.map((s) => s.id)).toEqual(['N-A1', 'N-A2', 'N-A3', 'N-B1']);
    expect(index.sectionSeats.get('S')![0]).toBe(index.seats[4]);
    expect(index.byId.size).toBe(layout.seatCount);
  });
});
