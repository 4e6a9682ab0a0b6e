// Unit tests of the pure seat-diff functions (shared/domain/seat-diff.ts).
import { describe, expect, it } from 'vitest';
import {
  advanceShow,
  fullShow,
  holdsOf,
  mergeSnapshots,
  type SectionSnapshot,
} from '../../../shared/domain/seat-diff.js';
import type { SeatMap } from '../../../shared/domain/section.js';

const T0 = Date.parse('2030-01-01T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const held = (userId: string, holdId: string, expiresInMs: number) => ({
  s: 'held' as const,
  userId,
  holdId,
  expiresAt: at(expiresInMs),
});
const snap = (sectionId: string, version: number, seats: SeatMap): SectionSnapshot => ({
  sectionId,
  version,
  etag: `"${sectionId}${version}"`,
  seats,
});

describe('fullShow', () => {
  it('lists every non-free seat of every section, with the summed show version and no ids', () => {
    const r = fullShow(
      'shw-1',
      [
        snap('A', 3, { A1: held('u1', 'h1', 60_000), A2: { s: 'booked', bookingId: 'b1', holdId: 'h0' } }),
        snap('B', 2, { B1: { s: 'blocked' } }),
      ],
      T0,
    );
    expect(r.diff).toMatchObject({ type: 'seats', showId: 'shw-1', version: 5, base: null, full: true });
    expect(r.diff!.sections).toEqual([
      { sectionId: 'A', version: 3, from: null, etag: '"A3"', full: true, seats: { A1: '1', A2: '1' } },
      { sectionId: 'B', version: 2, from: null, etag: '"B2"', full: true, seats: { B1: '2' } },
    ]);
    const text = JSON.stringify(r.diff);
    for (const secret of ['u1', 'h1', 'b1', 'h0']) expect(text).not.toContain(`"${secret}"`);
    expect(r.holds).toEqual([
      { userId: 'u1', message: { type: 'holds', showId: 'shw-1', seatIds: ['A1'], expiresAt: at(60_000), version: 5 } },
    ]);
  });

  it('shows a hold that already expired as free', () => {
    const r = fullShow('shw-1', [snap('A', 1, { A1: held('u1', 'h1', -1) })], T0);
    expect(r.diff!.sections[0]!.seats).toEqual({});
    expect(r.holds).toEqual([]);
  });
});

describe('advanceShow', () => {
  const start = fullShow('shw-1', [snap('A', 1, {}), snap('B', 1, {})], T0).view;

  it('sends only the seats whose code changed, chained from the previous show version', () => {
    const r = advanceShow(start, [snap('A', 2, { A1: held('u1', 'h1', 60_000), A2: held('u1', 'h1', 60_000) })], T0);
    expect(r.diff).toMatchObject({
      version: 3,
      base: 2,
      full: false,
      sections: [{ sectionId: 'A', version: 2, from: 1, etag: '"A2"', seats: { A1: '1', A2: '1' } }],
    });
    const next = advanceShow(r.view, [snap('A', 3, { A2: held('u1', 'h1', 60_000) })], T0 + 10);
    expect(next.diff).toMatchObject({
      version: 4,
      base: 3,
      sections: [{ sectionId: 'A', from: 2, seats: { A1: '0' } }],
    });
  });

  it('coalesces several sections and keeps the newest snapshot of each', () => {
    const r = advanceShow(
      start,
      [
        snap('A', 2, { A1: { s: 'blocked' } }),
        snap('A', 4, { A1: { s: 'blocked' }, A3: held('u2', 'h2', 1000) }),
        snap('B', 2, { B9: held('u3', 'h3', 1000) }),
      ],
      T0,
    );
    expect(r.diff!.version).toBe(6);
    expect(r.diff!.base).toBe(2);
    expect(r.diff!.sections.map((s) => [s.sectionId, s.version, s.seats])).toEqual([
      ['A', 4, { A1: '2', A3: '1' }],
      ['B', 2, { B9: '1' }],
    ]);
  });

  it('ignores snapshots it already announced (a redelivered or retried batch sends nothing)', () => {
    const once = advanceShow(start, [snap('A', 2, { A1: held('u1', 'h1', 60_000) })], T0);
    const again = advanceShow(once.view, [snap('A', 2, { A1: held('u1', 'h1', 60_000) }), snap('A', 1, {})], T0);
    expect(again.diff).toBeUndefined();
    expect(again.holds).toEqual([]);
    expect(again.view).toEqual(once.view);
  });

  it('sends no public message for a write that changes no code, and the next message spans it', () => {
    const holdView = advanceShow(start, [snap('A', 2, { A1: held('u1', 'h1', 60_000) })], T0).view;
    const confirmed = advanceShow(holdView, [snap('A', 3, { A1: { s: 'booked', bookingId: 'b1', holdId: 'h1' } })], T0);
    expect(confirmed.diff).toBeUndefined();
    // The holder's seats are no longer "held by you": they are told so.
    expect(confirmed.holds).toEqual([
      { userId: 'u1', message: { type: 'holds', showId: 'shw-1', seatIds: [], expiresAt: null, version: 4 } },
    ]);
    const later = advanceShow(confirmed.view, [snap('B', 2, { B1: { s: 'blocked' } })], T0);
    expect(later.diff).toMatchObject({ base: 4, version: 5 });
  });

  it('frees, in the next diff of the section, a hold that expired without a write', () => {
    const v = advanceShow(start, [snap('A', 2, { A1: held('u1', 'h1', 1000) })], T0).view;
    const r = advanceShow(v, [snap('A', 3, { A1: held('u1', 'h1', 1000), A2: held('u2', 'h2', 60_000) })], T0 + 2000);
    expect(r.diff!.sections[0]!.seats).toEqual({ A1: '0', A2: '1' });
    expect(r.holds.map((h) => [h.userId, h.message.seatIds])).toEqual([
      ['u1', []],
      ['u2', ['A2']],
    ]);
  });

  it('tells only the holders whose own seats changed', () => {
    const v = advanceShow(start, [snap('A', 2, { A1: held('u1', 'h1', 60_000) })], T0).view;
    const r = advanceShow(v, [snap('A', 3, { A1: held('u1', 'h1', 60_000), A5: held('u2', 'h2', 60_000) })], T0);
    expect(r.holds.map((h) => h.userId)).toEqual(['u2']);
    expect(holdsOf(r.view, 'u1', 0).seatIds).toEqual(['A1']);
  });

  it('treats a section first seen after the start as new (from 0)', () => {
    const r = advanceShow(start, [snap('C', 1, { C1: { s: 'blocked' } })], T0);
    expect(r.diff!.sections).toEqual([{ sectionId: 'C', version: 1, from: 0, etag: '"C1"', seats: { C1: '2' } }]);
    expect(r.diff!.version).toBe(3);
  });
});

describe('mergeSnapshots', () => {
  it('keeps the highest version per section', () => {
    expect(
      mergeSnapshots([snap('A', 3, {}), snap('B', 1, {})], [snap('A', 2, {}), snap('B', 4, {})])
        .map((s) => `${s.sectionId}${s.version}`)
        .sort(),
    ).toEqual(['A3', 'B4']);
  });
});
