// The waiting room's invariants (docs/architecture.md, Waiting room), over random histories:
// admission follows queue order (the early group by lottery, then arrival order), never more than
// the configured rate in any 60-s window whatever the tick pattern, and a token is never accepted
// for another user or show.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  admissionBudget,
  advance,
  adjustFactor,
  admissibleBelow,
  checkAdmission,
  compareKeys,
  emptyCursor,
  entryState,
  MIN_FACTOR,
  orderKey,
  WINDOW_MS,
  type Cursor,
} from '../../../../shared/domain/waiting-room/index.js';

const OPENS = Date.parse('2030-01-01T10:00:00Z');
const hex = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => n.toString(16).padStart(16, '0'));
const joins = fc.array(fc.record({ offset: fc.integer({ min: -600_000, max: 600_000 }), lottery: hex }), {
  minLength: 1,
  maxLength: 200,
});

/** Runs the admitter over `ticks` (times after opening) against a queue of sorted keys. */
function simulate(keys: string[], tickTimes: number[], rate: number, settleMs = 0) {
  let cursor: Cursor = emptyCursor();
  const admittedAt: { key: string; at: number }[] = [];
  let next = 0;
  for (const now of tickTimes) {
    const budget = admissionBudget(cursor, now, { opensAt: OPENS, admitPerMinute: rate, maxGapMs: 5_000 });
    const below = admissibleBelow(now, OPENS, settleMs);
    // Keys are sorted and the cursor only moves forward: the next waiting key is at `next`.
    const picked: string[] = [];
    while (picked.length < budget.count && next < keys.length && below !== undefined && keys[next]! < below)
      picked.push(keys[next++]!);
    cursor = advance(cursor, now, budget, picked, 10 * 60_000);
    for (const key of picked) admittedAt.push({ key, at: now });
  }
  return { cursor, admittedAt };
}

describe('queue order', () => {
  it('puts every early joiner before every later one; the early by lottery, the later by arrival', () => {
    fc.assert(
      fc.property(joins, (js) => {
        const entries = js.map((j) => ({ ...j, key: orderKey(OPENS + j.offset, OPENS, j.lottery) }));
        const sorted = [...entries].sort((a, b) => compareKeys(a.key, b.key));
        const early = sorted.filter((e) => e.offset < 0);
        const late = sorted.filter((e) => e.offset >= 0);
        expect(sorted.slice(0, early.length)).toEqual(early);
        // The early group's order is the lottery's, not the arrival order.
        for (let i = 1; i < early.length; i++) expect(early[i - 1]!.lottery <= early[i]!.lottery).toBe(true);
        for (let i = 1; i < late.length; i++) expect(late[i - 1]!.offset <= late[i]!.offset).toBe(true);
      }),
    );
  });

  it('admits exactly once each, in key order, and nobody joined less than settleMs ago', () => {
    fc.assert(
      fc.property(
        joins,
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 2_000 }),
        (js, gaps, rate) => {
          const keys = js.map((j) => orderKey(OPENS + j.offset, OPENS, j.lottery)).sort(compareKeys);
          const unique = [...new Set(keys)];
          let t = OPENS;
          const times = gaps.map((g) => (t += g));
          const { admittedAt } = simulate(unique, times, rate, 2_000);
          const order = admittedAt.map((a) => a.key);
          expect(order).toEqual(unique.slice(0, order.length));
          for (const a of admittedAt) {
            if (a.key.startsWith('1:')) expect(Number(a.key.slice(2, 16))).toBeLessThanOrEqual(a.at - 2_000);
          }
        },
      ),
    );
  });
});

describe('admission rate', () => {
  it('never admits more than admitPerMinute in any 60-s window, whatever the ticks do', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 5_000 }),
        (gaps, rate) => {
          const keys = Array.from({ length: 20_000 }, (_, i) => `0:${i.toString(16).padStart(16, '0')}`);
          let t = OPENS;
          const { admittedAt } = simulate(
            keys,
            gaps.map((g) => (t += g)),
            rate,
          );
          const times = admittedAt.map((a) => a.at);
          for (const end of new Set(times)) {
            const inWindow = times.filter((x) => x > end - WINDOW_MS && x <= end).length;
            expect(inWindow).toBeLessThanOrEqual(rate);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  // With the admitter ticking at least every second (the default schedule), a minute's count can be
  // off by at most one tick's admissions (where the minute boundary falls).
  it('keeps to the rate within 5 % (or one tick) a minute when ticks are regular and the queue is long', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 3_000 }), fc.integer({ min: 200, max: 1_000 }), (rate, tickMs) => {
        const keys = Array.from({ length: 4 * rate + 10 }, (_, i) => `0:${i.toString(16).padStart(16, '0')}`);
        const times = Array.from({ length: Math.ceil((3 * WINDOW_MS) / tickMs) }, (_, i) => OPENS + (i + 1) * tickMs);
        const { admittedAt } = simulate(keys, times, rate);
        for (let minute = 1; minute <= 2; minute++) {
          const n = admittedAt.filter(
            (a) => a.at > OPENS + minute * WINDOW_MS && a.at <= OPENS + (minute + 1) * WINDOW_MS,
          ).length;
          expect(Math.abs(n - rate)).toBeLessThanOrEqual(Math.max(rate * 0.05, (rate * tickMs) / WINDOW_MS + 1));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('admits nobody before opening', () => {
    const b = admissionBudget(emptyCursor(), OPENS - 1, { opensAt: OPENS, admitPerMinute: 1000, maxGapMs: 5000 });
    expect(b.count).toBe(0);
    expect(admissibleBelow(OPENS + 999, OPENS, 1000)).toBeUndefined();
  });

  it('slows down under pressure and recovers, never leaving MIN_FACTOR..1', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            attempts: fc.nat(100),
            conflicts: fc.nat(100),
            busy: fc.nat(3),
          }),
        ),
        (pressures) => {
          let f = 1;
          for (const p of pressures) {
            const next = adjustFactor(f, p);
            expect(next).toBeGreaterThanOrEqual(MIN_FACTOR);
            expect(next).toBeLessThanOrEqual(1);
            if (p.busy > 0) expect(next).toBeLessThanOrEqual(f);
            f = next;
          }
        },
      ),
    );
    expect(adjustFactor(1, { attempts: 20, conflicts: 15, busy: 0 })).toBeCloseTo(0.7);
    expect(adjustFactor(0.5, { attempts: 20, conflicts: 1, busy: 0 })).toBeCloseTo(0.55);
  });
});

describe('admission tokens', () => {
  const id = fc.stringMatching(/^[a-z0-9]{1,8}$/);
  it('are never accepted for another user or another show', () => {
    fc.assert(
      fc.property(id, id, id, id, (user, show, otherUser, otherShow) => {
        const claims = { userId: user, showId: show, key: '0:00' };
        const admitted = { state: 'admitted' as const, admittedAt: OPENS, expiresAt: OPENS + 60_000 };
        expect(checkAdmission(claims, { userId: user, showId: show }, admitted).ok).toBe(true);
        if (otherUser !== user)
          expect(checkAdmission(claims, { userId: otherUser, showId: show }, admitted)).toMatchObject({
            ok: false,
            code: 'ADMISSION_INVALID',
          });
        if (otherShow !== show)
          expect(checkAdmission(claims, { userId: user, showId: otherShow }, admitted)).toMatchObject({
            ok: false,
            code: 'ADMISSION_INVALID',
          });
      }),
    );
  });

  it('are refused once the committed admission has expired, and without one', () => {
    let cursor = emptyCursor();
    const budget = admissionBudget(cursor, OPENS + 1000, { opensAt: OPENS, admitPerMinute: 60, maxGapMs: 5000 });
    cursor = advance(cursor, OPENS + 1000, budget, ['0:01'], 10 * 60_000);
    const claims = { userId: 'u', showId: 's', key: '0:01' };
    const req = { userId: 'u', showId: 's' };
    expect(checkAdmission(claims, req, entryState('0:01', cursor, OPENS + 2000, 60_000)).ok).toBe(true);
    expect(checkAdmission(claims, req, entryState('0:01', cursor, OPENS + 61_000, 60_000))).toMatchObject({
      code: 'ADMISSION_EXPIRED',
    });
    expect(
      checkAdmission({ ...claims, key: '0:02' }, req, entryState('0:02', cursor, OPENS + 2000, 60_000)),
    ).toMatchObject({
      code: 'ADMISSION_INVALID',
    });
    expect(checkAdmission(undefined, req, undefined)).toMatchObject({ code: 'ADMISSION_REQUIRED' });
    // Ticks older than the kept span fold into expiredThrough: still expired, never waiting again.
    const later = advance(cursor, OPENS + 20 * 60_000, { count: 0, credit: 0 }, [], 10 * 60_000);
    expect(later.ticks).toEqual([]);
    expect(entryState('0:01', later, OPENS + 20 * 60_000, 60_000)).toEqual({ state: 'expired' });
  });
});
