import { describe, expect, it } from 'vitest';
import { bestAvailable } from '../../../shared/domain/best-available.js';
import { FREE } from '../../../shared/contracts/seats.js';
import { encodeAvailability } from '../../../shared/domain/availability.js';
import type { SeatMap } from '../../../shared/domain/section.js';
import { screen, T0 } from './fixtures.js';
import { generateDemoCatalog } from '../../../shared/demo/generate.js';
import { indexLayout } from '../../../shared/contracts/layout.js';

const taken = (...ids: string[]): string => {
  const seats: SeatMap = Object.fromEntries(
    ids.map((id) => [id, { s: 'booked', bookingId: 'b', holdId: 'h' } as const]),
  );
  return encodeAvailability(screen, new Map([['all', seats]]), T0);
};

describe('best available', () => {
  it('finds count adjacent seats in one row near the sweet spot, centred', () => {
    const r = bestAvailable(screen, taken(), { count: 4 });
    // 7 rows: the sweet spot is row index 3.72 → row E (index 4) and the centre block's middle.
    expect(r).toEqual({ ok: true, seatIds: ['E7', 'E8', 'E9', 'E10'], sectionId: 'prime', adjacent: true });
  });

  it('is deterministic', () => {
    const a = bestAvailable(screen, taken('E8'), { count: 3 });
    const b = bestAvailable(screen, taken('E8'), { count: 3 });
    expect(a).toEqual(b);
  });

  it('never leaves a single seat stranded between taken seats', () => {
    // In row E's centre block (E5–E12) take E5 and E10: E6–E9 is a run of 4; asking for 3 must not
    // pick E6–E8 (stranding E9 next to E10) nor E7–E9 (stranding E6 next to E5).
    const availability = taken('E5', 'E10');
    const r = bestAvailable(screen, availability, { count: 3 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const picked = new Set(r.seatIds);
    expect(['E6', 'E7', 'E8'].every((s) => picked.has(s))).toBe(false);
    expect(['E7', 'E8', 'E9'].every((s) => picked.has(s))).toBe(false);
    // Check globally: no free seat sits between two taken seats of one block after the choice.
    const after = taken('E5', 'E10', ...r.seatIds);
    for (const row of screen.layout.sections.flatMap((s) => s.rows)) {
      row.cells.forEach((cell, i) => {
        if (!cell || after[screen.byId.get(cell.id)!.index] !== FREE) return;
        const l = row.cells[i - 1];
        const rr = row.cells[i + 1];
        const lTaken = l && after[screen.byId.get(l.id)!.index] !== FREE;
        const rTaken = rr && after[screen.byId.get(rr.id)!.index] !== FREE;
        const wasStrandedBefore = ['E5', 'E10'].includes(l?.id ?? '') && ['E5', 'E10'].includes(rr?.id ?? '');
        if (!wasStrandedBefore) expect(lTaken && rTaken, `${cell.id} stranded`).toBeFalsy();
      });
    }
  });

  it('keeps wheelchair spaces and companion seats for those who ask, and gives them one', () => {
    const all = screen.seats.filter((s) => s.kind !== 'standard').map((s) => s.id);
    expect(all).toEqual(['A1', 'A2', 'A3', 'A4']);
    for (let count = 1; count <= 4; count++) {
      const r = bestAvailable(screen, taken(), { count, category: 'classic' });
      expect(r.ok && r.seatIds.some((id) => all.includes(id))).toBe(false);
    }
    const w = bestAvailable(screen, taken(), { count: 2, wheelchair: true });
    // The pair nearer the row's centre: wheelchair space A3 with its companion A4.
    expect(w.ok && w.seatIds).toEqual(['A3', 'A4']);
    expect(w.ok && screen.byId.get(w.seatIds[0]!)!.kind).toBe('wheelchair');
  });

  it('respects the category and falls back to seats over several rows of one section', () => {
    const r = bestAvailable(screen, taken(), { count: 4, category: 'recliner' });
    // Recliner row G has blocks of 3: four together is impossible, so two rows… there is one row,
    // so the seats split across the aisle within row G.
    expect(r.ok && r.adjacent).toBe(false);
    expect(r.ok && r.seatIds.every((id) => id.startsWith('G'))).toBe(true);
    expect(r.ok && r.seatIds.length).toBe(4);
    const full = taken('G1', 'G2', 'G3', 'G4');
    expect(bestAvailable(screen, full, { count: 3, category: 'recliner' })).toEqual({
      ok: false,
      reason: 'NOT_ENOUGH_SEATS',
    });
  });
});

describe('best available in a stadium whose stands carry positions and view ranks', () => {
  const demo = generateDemoCatalog({ seed: 'best-available', firstDate: '2026-12-05', days: 1 });
  const stadium = indexLayout(demo.layouts.find((l) => l.sections.length > 6)!);
  const empty = FREE.repeat(stadium.seats.length);

  it('puts 2 Premium in the front half of a central stand of an empty stadium, not the back row', () => {
    const r = bestAvailable(stadium, empty, { count: 2, category: 'premium' });
    if (!r.ok) throw new Error('no seats');
    const section = stadium.layout.sections.find((s) => s.id === r.sectionId)!;
    expect(section.rank).toBe(1);
    // Central: the middle of the bottom long side (180°).
    expect(Math.abs(section.position!.angle - 180)).toBeLessThan(15);
    const row = stadium.byId.get(r.seatIds[0]!)!.row;
    expect(row).toBeLessThan(section.rows.length / 2);
    expect(row).toBeGreaterThan(0);
    expect(r.adjacent).toBe(true);
  });

  it('moves to the next best stand when the best ones are full', () => {
    const full = new Set(stadium.layout.sections.filter((s) => s.rank === 1).map((s) => s.id));
    const avail = stadium.seats.map((s) => (full.has(s.sectionId) ? 'b' : FREE)).join('');
    const r = bestAvailable(stadium, avail, { count: 2, category: 'pavilion' });
    if (!r.ok) throw new Error('no seats');
    expect(stadium.layout.sections.find((s) => s.id === r.sectionId)!.rank).toBe(2);
  });

  it('ranks every stand and places it on the ring', () => {
    for (const s of stadium.layout.sections) {
      expect(s.rank).toBeGreaterThanOrEqual(1);
      expect(s.position?.span).toBe(15);
    }
    expect(new Set(stadium.layout.sections.map((s) => s.position!.angle)).size).toBe(24);
  });
});
