// Single-use admissions and the admitter's shared slow-down (docs/architecture.md, Waiting room), as
// pure rules: an admission bound to one booking books no other until that booking let it go
// without holding; every instance's booking outcomes are counted once, whichever tick reads them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  admissionUse,
  MIN_FACTOR,
  newPressure,
  pace,
  PRESSURE_WINDOW_MS,
  useFactOf,
  type PressureReport,
  type PressureWindow,
  type UseFact,
} from '../../../../shared/domain/waiting-room/index.js';

const NOW = Date.parse('2030-01-01T10:00:00Z');
const GRACE = 60_000;

describe('single-use admission', () => {
  const facts = fc.constantFrom<UseFact | undefined>('spent', 'released', 'absent', undefined);
  it('books only the booking it is bound to while that booking holds or may still hold', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 2 * GRACE }), fc.boolean(), (fact, age, same) => {
        const use = { key: 'k', bookingId: 'bk1', at: NOW - age };
        const verdict = admissionUse(use, 'k', same ? 'bk1' : 'bk2', fact, NOW, GRACE);
        if (same) expect(verdict).toBe('mine');
        else if (fact === 'spent' || fact === undefined) expect(verdict).toBe('used');
        else if (fact === 'released') expect(verdict).toBe('bind');
        else expect(verdict).toBe(age >= GRACE ? 'bind' : 'used');
      }),
    );
  });

  it('is free for a new place (the user queued again) and never bound by a suggestion', () => {
    expect(admissionUse({ key: 'old', bookingId: 'bk1', at: NOW }, 'new', 'bk2', 'spent', NOW, GRACE)).toBe('bind');
    expect(admissionUse(undefined, 'k', undefined, undefined, NOW, GRACE)).toBe('bind');
    expect(admissionUse({ key: 'k', bookingId: 'bk1', at: NOW }, 'k', undefined, 'spent', NOW, GRACE)).toBe('used');
  });

  it('counts a booking as spent once it held seats, even after it ended', () => {
    const h = (...s: string[]) => s.map((status) => ({ status }));
    expect(useFactOf(undefined)).toBe('absent');
    expect(useFactOf({ status: 'pending', history: h('pending') })).toBe('spent');
    expect(useFactOf({ status: 'failed', history: h('pending', 'failed') })).toBe('released');
    expect(useFactOf({ status: 'expired', history: h('pending', 'held', 'expired') })).toBe('spent');
    expect(
      useFactOf({ status: 'cancelled', history: h('pending', 'held', 'confirmed', 'cancelling', 'cancelled') }),
    ).toBe('spent');
  });
});

describe('pressure from every instance', () => {
  // Each instance's totals only grow; reads may see any instance's older or newer copy.
  const histories = fc.array(
    fc.record({
      instance: fc.constantFrom('a', 'b', 'c'),
      attempts: fc.integer({ min: 0, max: 5 }),
      conflicts: fc.integer({ min: 0, max: 5 }),
      busy: fc.integer({ min: 0, max: 1 }),
    }),
    { maxLength: 40 },
  );

  it('counts every outcome once, however the reports are read between ticks', () => {
    fc.assert(
      fc.property(histories, fc.array(fc.boolean(), { maxLength: 40 }), (steps, reads) => {
        const totals: Record<string, PressureReport> = {};
        let seen = {};
        let counted = { attempts: 0, conflicts: 0, busy: 0 };
        steps.forEach((step, i) => {
          const t = totals[step.instance] ?? {
            instance: step.instance,
            attempts: 0,
            conflicts: 0,
            busy: 0,
            held: 0,
            at: NOW,
          };
          const conflicts = Math.min(step.conflicts, step.attempts);
          totals[step.instance] = {
            ...t,
            attempts: t.attempts + step.attempts,
            conflicts: t.conflicts + conflicts,
            busy: t.busy + step.busy,
          };
          if (reads[i]) {
            const r = newPressure(seen, Object.values(totals), NOW, 600_000);
            seen = r.seen;
            counted = {
              attempts: counted.attempts + r.delta.attempts,
              conflicts: counted.conflicts + r.delta.conflicts,
              busy: counted.busy + r.delta.busy,
            };
          }
        });
        const last = newPressure(seen, Object.values(totals), NOW, 600_000);
        const sum = (k: 'attempts' | 'conflicts' | 'busy') => Object.values(totals).reduce((n, t) => n + t[k], 0);
        expect(counted.attempts + last.delta.attempts).toBe(sum('attempts'));
        expect(counted.conflicts + last.delta.conflicts).toBe(sum('conflicts'));
        expect(counted.busy + last.delta.busy).toBe(sum('busy'));
        // Read again with nothing new: nothing counted twice.
        expect(newPressure(last.seen, Object.values(totals), NOW, 600_000).delta).toEqual({
          attempts: 0,
          conflicts: 0,
          busy: 0,
        });
      }),
    );
  });

  it('slows down on conflicts gathered over several ticks, at once on a busy store, never below the floor', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ attempts: fc.integer({ min: 0, max: 3 }), busy: fc.boolean() }), { maxLength: 60 }),
        (ticks) => {
          let factor = 1;
          let window: PressureWindow | undefined;
          ticks.forEach((t, i) => {
            // Every attempt conflicts: the worst contention.
            const r = pace(
              factor,
              window,
              { attempts: t.attempts, conflicts: t.attempts, busy: t.busy ? 1 : 0 },
              NOW + i * 1000,
            );
            if (t.busy) expect(r.slowedDown || factor === MIN_FACTOR).toBe(true);
            expect(r.factor).toBeGreaterThanOrEqual(MIN_FACTOR);
            expect(r.factor).toBeLessThanOrEqual(1);
            // Conflicts pending (gathered within the window): never speeds up.
            const pending = window && NOW + i * 1000 - window.since <= PRESSURE_WINDOW_MS ? window.conflicts : 0;
            if (t.attempts > 0 || pending > 0) expect(r.factor).toBeLessThanOrEqual(factor);
            factor = r.factor;
            window = r.window;
          });
        },
      ),
    );
  });

  it('judges ten conflicting attempts that came one or two a tick', () => {
    let factor = 1;
    let window: PressureWindow | undefined;
    let slowed = 0;
    for (let i = 0; i < 10; i++) {
      const r = pace(factor, window, { attempts: 1, conflicts: 1, busy: 0 }, NOW + i * 1000);
      factor = r.factor;
      window = r.window;
      slowed += r.slowedDown ? 1 : 0;
    }
    expect(slowed).toBe(1);
    expect(factor).toBeCloseTo(0.7);
  });
});
