// Random interleavings of hold / release / confirm / expiry / block / unblock by many holders on
// one section never put a seat in two holds or two bookings, and the section always matches a
// deliberately simple model of the rules.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  blockSeats,
  confirmHold,
  effective,
  holdSeats,
  releaseHold,
  unblockSeats,
  type SeatMap,
} from '../../../shared/domain/section.js';
import { T0, iso } from './fixtures.js';

const SEATS = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'B1', 'B2', 'B3', 'B4'];
const HOLDERS = 6;

type Cmd =
  | { op: 'hold'; h: number; seats: string[]; ttl: number }
  | { op: 'release'; h: number }
  | { op: 'confirm'; h: number }
  | { op: 'tick'; ms: number }
  | { op: 'block'; seats: string[] }
  | { op: 'unblock'; seats: string[] };

const seatSet = fc.uniqueArray(fc.constantFrom(...SEATS), { minLength: 1, maxLength: 4 });
const holder = fc.integer({ min: 0, max: HOLDERS - 1 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('hold' as const),
      h: holder,
      seats: seatSet,
      ttl: fc.integer({ min: 1, max: 5 }).map((s) => s * 1000),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('release' as const), h: holder }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('confirm' as const), h: holder }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 3000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('block' as const), seats: seatSet }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unblock' as const), seats: seatSet }) },
);

/** The model: one plain record per seat, rules written out the obvious way. */
type ModelSeat =
  { t: 'free' } | { t: 'held'; h: string; until: number } | { t: 'booked'; b: string; h: string } | { t: 'blocked' };

function modelRead(m: Map<string, ModelSeat>, id: string, now: number): ModelSeat {
  const s = m.get(id) ?? { t: 'free' };
  return s.t === 'held' && s.until <= now ? { t: 'free' } : s;
}

describe('section state machine (property)', () => {
  it('never double-sells and always agrees with the model', () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 1, maxLength: 80 }), (cmds) => {
        let seats: SeatMap = {};
        let now = T0;
        const model = new Map<string, ModelSeat>();
        /** seat → the booking that owns it, recorded the first time it is booked. */
        const soldTo = new Map<string, string>();
        for (const c of cmds) {
          if (c.op === 'tick') {
            now += c.ms;
          } else if (c.op === 'hold') {
            const h = `h${c.h}`;
            const r = holdSeats(seats, {
              seatIds: c.seats,
              holdId: h,
              userId: `u${c.h}`,
              expiresAt: iso(now + c.ttl),
              now,
            });
            const mine = (s: ModelSeat | undefined) => !!s && (s.t === 'held' || s.t === 'booked') && s.h === h;
            const allMine = c.seats.every((id) => mine(model.get(id)));
            const possible = c.seats.every((id) => mine(model.get(id)) || modelRead(model, id, now).t === 'free');
            expect(r.ok).toBe(possible);
            if (possible && !allMine)
              for (const id of c.seats)
                if (model.get(id)?.t !== 'booked') model.set(id, { t: 'held', h, until: now + c.ttl });
            if (r.ok) seats = r.seats;
          } else if (c.op === 'release') {
            const h = `h${c.h}`;
            seats = releaseHold(seats, h).seats;
            for (const [id, s] of model) if (s.t === 'held' && s.h === h) model.set(id, { t: 'free' });
          } else if (c.op === 'confirm') {
            const h = `h${c.h}`;
            const b = `b${c.h}`;
            const r = confirmHold(seats, { holdId: h, bookingId: b });
            const targets = [...model].filter(
              ([, s]) => (s.t === 'held' && s.h === h) || (s.t === 'booked' && s.b === b),
            );
            expect(r.ok).toBe(targets.length > 0);
            if (r.ok) {
              seats = r.seats;
              for (const [id] of targets) {
                model.set(id, { t: 'booked', b, h });
                const owner = soldTo.get(id);
                // Sold once, to one booking, forever.
                expect(owner === undefined || owner === b).toBe(true);
                soldTo.set(id, b);
              }
            }
          } else if (c.op === 'block') {
            const r = blockSeats(seats, c.seats, now);
            const possible = c.seats.every((id) => ['free', 'blocked'].includes(modelRead(model, id, now).t));
            expect(r.ok).toBe(possible);
            if (r.ok) {
              seats = r.seats;
              for (const id of c.seats) model.set(id, { t: 'blocked' });
            }
          } else {
            seats = unblockSeats(seats, c.seats).seats;
            for (const id of c.seats) if (model.get(id)?.t === 'blocked') model.set(id, { t: 'free' });
          }
          // Final-state agreement after every step, as read at `now`.
          for (const id of SEATS) {
            const m = modelRead(model, id, now);
            const s = seats[id];
            expect(effective(s, now)).toBe(m.t);
            if (m.t === 'held') expect(s).toMatchObject({ holdId: m.h });
            if (m.t === 'booked') expect(s).toMatchObject({ bookingId: m.b });
          }
          // Bookings are never lost or moved.
          for (const [id, b] of soldTo) expect(seats[id]).toMatchObject({ s: 'booked', bookingId: b });
        }
      }),
      { numRuns: 500 },
    );
  });
});
