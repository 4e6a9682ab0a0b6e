// The chaos run's judge (test/chaos/invariants.ts) must be able to fail: each invariant holds on a
// consistent state and breaks on the state a known kind of bug leaves behind.
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../local-plugins/payments/ledger.js';
import type { BookingDoc, Cancellation } from '../../shared/booking/model.js';
import { checkInvariants, type ChaosState, type SectionSnapshot } from './invariants.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const inr = (minor: number) => ({ minor, currency: 'INR' });
const line = (seatId: string) => ({
  seatId,
  category: 'classic',
  ticket: inr(20000),
  ticketTax: inr(0),
  fee: inr(2000),
  feeTax: inr(360),
  total: inr(22360),
});

function booking(id: string, status: BookingDoc['status'], seats: string[], paymentId?: string): BookingDoc {
  const lines = seats.map(line);
  const total = lines.reduce((s, l) => s + l.total.minor, 0);
  return {
    id,
    userId: `u-${id}`,
    showId: 'show1',
    status,
    seatIds: seats,
    lines,
    price: { total: inr(total) },
    ...(paymentId ? { charged: inr(total), payment: { paymentId, sessionId: `cs-${id}`, amount: inr(total) } } : {}),
    cancellations: [],
    cancelledSeatIds: [],
    latePayments: [],
    deadline: new Date(NOW - 60_000).toISOString(),
  } as unknown as BookingDoc;
}

function world(bookings: BookingDoc[], payments: { id: string; booking: string; amount: number; refunded?: number }[]) {
  const ledger: Ledger = {
    sessions: payments.map((p) => ({
      id: `cs-${p.booking}`,
      bookingId: p.booking,
      attemptId: 'a1',
      status: 'paid',
      amount: inr(p.amount),
      paymentId: p.id,
    })),
    payments: payments.map((p) => ({
      id: p.id,
      sessionId: `cs-${p.booking}`,
      amount: inr(p.amount),
      refunded: p.refunded ?? 0,
    })),
    refunds: [],
  };
  const seats: SectionSnapshot['seats'] = {};
  for (const b of bookings)
    if (['confirmed', 'cancelling', 'refund_failed'].includes(b.status))
      for (const s of b.seatIds) seats[s] = { s: 'booked', bookingId: b.id, holdId: 'h' };
  const acknowledged = { confirmed: [], paidSessions: [] };
  return {
    bookings,
    sections: [{ showId: 'show1', seats }],
    ledger,
    now: NOW,
    graceMs: 120_000,
    acknowledged,
  } as ChaosState;
}

const broken = (state: ChaosState) =>
  Object.fromEntries(checkInvariants(state).map((r) => [r.name, r.violations.length]));

describe('chaos invariants', () => {
  it('hold for confirmed, cancelled-with-a-fee and refunded-late bookings that add up', () => {
    const partial = booking('b2', 'confirmed', ['A3'], 'pay2');
    const cancelled: Cancellation = {
      id: 'cx1',
      seatIds: ['A4'],
      whole: false,
      refund: inr(10000),
      ticketValue: inr(20000),
      feesKept: inr(2360),
      refundBp: 5000,
      status: 'completed',
      runs: 1,
      requestedAt: '',
    };
    Object.assign(partial, { charged: inr(2 * 22360), cancellations: [cancelled], cancelledSeatIds: ['A4'] });
    const late = booking('b3', 'expired', ['A5']);
    late.latePayments = [
      { paymentId: 'pay3', sessionId: 'cs-b3', amount: inr(22360), reason: 'late', status: 'refunded', at: '' },
    ];
    const state = world(
      [booking('b1', 'confirmed', ['A1', 'A2'], 'pay1'), partial, late],
      [
        { id: 'pay1', booking: 'b1', amount: 44720 },
        { id: 'pay2', booking: 'b2', amount: 44720, refunded: 10000 },
        { id: 'pay3', booking: 'b3', amount: 22360, refunded: 22360 },
      ],
    );
    expect(checkInvariants(state).filter((r) => !r.held)).toEqual([]);
  });

  it('break when a seat is sold twice or the inventory lost a seat', () => {
    const state = world(
      [booking('b1', 'confirmed', ['A1'], 'pay1'), booking('b2', 'confirmed', ['A1'], 'pay2')],
      [
        { id: 'pay1', booking: 'b1', amount: 22360 },
        { id: 'pay2', booking: 'b2', amount: 22360 },
      ],
    );
    state.sections[0]!.seats.B9 = { s: 'booked', bookingId: 'b-gone', holdId: 'h' };
    const r = broken(state);
    expect(r['no seat in two bookings']).toBe(1);
    expect(r['inventory agrees with bookings']).toBeGreaterThanOrEqual(2);
  });

  it('break when a booking is confirmed for an amount the provider did not charge, or one payment settles two', () => {
    const cheap = world([booking('b1', 'confirmed', ['A1'], 'pay1')], [{ id: 'pay1', booking: 'b1', amount: 1 }]);
    expect(broken(cheap)['money balances']).toBeGreaterThan(0);
    const twice = world(
      [booking('b1', 'confirmed', ['A1'], 'pay1'), booking('b2', 'confirmed', ['A2'], 'pay1')],
      [{ id: 'pay1', booking: 'b1', amount: 22360 }],
    );
    expect(broken(twice)['money balances']).toBeGreaterThan(0);
  });

  it('break when a paid booking expired and was never refunded, or a refund is missing from the books', () => {
    const kept = world([booking('b1', 'expired', ['A1'])], [{ id: 'pay1', booking: 'b1', amount: 22360 }]);
    const r = broken(kept);
    expect(r['money balances']).toBe(1);
    expect(r['every paid booking confirmed or refunded, once']).toBe(1);
    const unexplained = world(
      [booking('b1', 'expired', ['A1'])],
      [{ id: 'pay1', booking: 'b1', amount: 22360, refunded: 22360 }],
    );
    expect(broken(unexplained)['money balances']).toBe(1);
  });

  it('break when a booking a user saw confirmed, or a payment the checkout took, is gone after a crash', () => {
    const state = world([booking('b1', 'confirmed', ['A1'], 'pay1')], [{ id: 'pay1', booking: 'b1', amount: 22360 }]);
    state.acknowledged = { confirmed: ['b1'], paidSessions: ['cs-b1'] };
    expect(broken(state)['nothing acknowledged was lost']).toBe(0);
    const lost = world([], []);
    lost.acknowledged = { confirmed: ['b1'], paidSessions: ['cs-b1'] };
    expect(broken(lost)['nothing acknowledged was lost']).toBe(2);
  });

  it('break when a booking is still held past its deadline and grace', () => {
    const stuck = world([booking('b1', 'held', ['A1'])], []);
    stuck.bookings[0]!.deadline = new Date(NOW - 10 * 60_000).toISOString();
    expect(broken(stuck)['no booking stuck past deadline + grace']).toBe(1);
    stuck.bookings[0]!.deadline = new Date(NOW - 1000).toISOString();
    expect(broken(stuck)['no booking stuck past deadline + grace']).toBe(0);
  });
});
