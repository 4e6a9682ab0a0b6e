// Small layouts for domain tests.
import { buildScreenLayout } from '../../../shared/domain/layout-builder.js';
import { indexLayout } from '../../../shared/contracts/layout.js';

export const categories = [
  { id: 'classic', name: 'Classic' },
  { id: 'prime', name: 'Prime' },
  { id: 'recliner', name: 'Recliner' },
];

/** Rows A–B classic (A has 2 wheelchair pairs), C–F prime (4+8+4), G recliner (3+3). */
export const screen = indexLayout(
  buildScreenLayout({
    id: 'lay-test-v1',
    version: 1,
    name: 'Test screen',
    categories,
    aisleWidth: 1,
    rows: [
      { label: 'A', category: 'classic', blocks: [4, 8, 4], wheelchairPairs: 2 },
      { label: 'B', category: 'classic', blocks: [4, 8, 4] },
      { label: 'C', category: 'prime', blocks: [4, 8, 4] },
      { label: 'D', category: 'prime', blocks: [4, 8, 4] },
      { label: 'E', category: 'prime', blocks: [4, 8, 4] },
      { label: 'F', category: 'prime', blocks: [4, 8, 4] },
      { label: 'G', category: 'recliner', blocks: [3, 3], indent: 4 },
    ],
  }),
);

export const T0 = Date.parse('2026-11-24T10:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString();
