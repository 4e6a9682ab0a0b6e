// The invariants a chaos run checks once the system has settled (docs/architecture.md, Tests), over
// committed state only: the bookings and inventory sections as Cosmos holds them, and the payment
// provider's own books (local-plugins/payments/ledger.ts). Pure: the runner reads, this judges.
//
// - nothing a user was shown is lost: a booking seen confirmed stays confirmed (or was cancelled),
//   a payment the checkout took stays in the provider's books;
// - no seat in two bookings, and the inventory agrees with the bookings seat by seat;
// - money balances: every amount the provider charged is accounted for exactly once — by seats in
//   a confirmed booking, a fee kept under the cancellation policy, or a refund — and the provider's
//   refunds equal what the bookings say was refunded;
// - every paid payment either settled its booking or was refunded in full, never both, never neither;
// - no booking is in a non-final state past its deadline + grace.
import type { BookingDoc } from '../../shared/booking/model.js';
import type { SeatState } from '../../shared/domain/section.js';
import type { Ledger } from '../../local-plugins/payments/ledger.js';

export interface SectionSnapshot {
  showId: string;
  seats: Record<string, SeatState>;
}

export interface ChaosState {
  bookings: BookingDoc[];
  sections: SectionSnapshot[];
  ledger: Ledger;
  now: number;
  /** How long past its deadline a booking may still be settling (the reconciler's grace and period). */
  graceMs: number;
  /** What users were told: bookings they saw confirmed, sessions whose checkout said paid. */
  acknowledged: { confirmed: string[]; paidSessions: string[] };
}

export interface InvariantResult {
  name: string;
  held: boolean;
  /** How many things were checked (seats, payments, bookings). */
  checked: number;
  violations: string[];
}

/** Bookings that own their seats and kept the payment that settled them. */
const SETTLED = new Set(['confirmed', 'cancelling', 'cancelled', 'refund_failed']);
const FINAL = new Set(['confirmed', 'failed', 'expired', 'cancelled']);

export function checkInvariants(state: ChaosState): InvariantResult[] {
  return [
    nothingLost(state),
    noSeatTwice(state),
    inventoryAgrees(state),
    moneyBalances(state),
    paidOnce(state),
    noneStuck(state),
  ];
}

function result(name: string, checked: number, violations: string[]): InvariantResult {
  return { name, held: violations.length === 0, checked, violations };
}

/** seat key (show/seat) → bookings that own it. */
function owners(bookings: BookingDoc[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const b of bookings) {
    if (!SETTLED.has(b.status)) continue;
    for (const seat of b.seatIds) {
      const key = `${b.showId}/${seat}`;
      map.set(key, [...(map.get(key) ?? []), b.id]);
    }
  }
  return map;
}

/** A crash or a fault may delay an outcome, never take back one a user was shown. */
function nothingLost({ bookings, ledger, acknowledged }: ChaosState): InvariantResult {
  const violations: string[] = [];
  const byId = new Map(bookings.map((b) => [b.id, b]));
  for (const id of acknowledged.confirmed) {
    const b = byId.get(id);
    if (!b || !SETTLED.has(b.status))
      violations.push(`booking ${id} was shown confirmed but is now ${b ? b.status : 'gone'}`);
  }
  const paid = new Set(ledger.sessions.filter((s) => s.paymentId).map((s) => s.id));
  for (const id of acknowledged.paidSessions)
    if (!paid.has(id)) violations.push(`session ${id} was paid at the checkout but the provider has no payment for it`);
  return result(
    'nothing acknowledged was lost',
    acknowledged.confirmed.length + acknowledged.paidSessions.length,
    violations,
  );
}

function noSeatTwice({ bookings }: ChaosState): InvariantResult {
  const map = owners(bookings);
  const violations = [...map]
    .filter(([, ids]) => ids.length > 1)
    .map(([seat, ids]) => `seat ${seat} is in ${ids.length} bookings: ${ids.join(', ')}`);
  return result('no seat in two bookings', map.size, violations);
}

function inventoryAgrees({ bookings, sections }: ChaosState): InvariantResult {
  const map = owners(bookings);
  const shows = new Set(bookings.map((b) => b.showId));
  const violations: string[] = [];
  const booked = new Map<string, string>();
  for (const section of sections) {
    if (!shows.has(section.showId)) continue;
    for (const [seat, state] of Object.entries(section.seats))
      if (state.s === 'booked') booked.set(`${section.showId}/${seat}`, state.bookingId);
  }
  for (const [seat, ids] of map)
    for (const id of ids)
      if (booked.get(seat) !== id)
        violations.push(
          `seat ${seat} belongs to booking ${id} but the inventory has it ${booked.get(seat) ?? 'not booked'}`,
        );
  const byId = new Map(bookings.map((b) => [b.id, b]));
  for (const [seat, id] of booked)
    if (!map.get(seat)?.includes(id))
      violations.push(
        `seat ${seat} is booked in the inventory for ${id}, which does not own it (a lost seat; the booking: ${describe(byId.get(id))})`,
      );
  return result('inventory agrees with bookings', map.size + booked.size, violations);
}

interface PaymentView {
  id: string;
  amount: number;
  refunded: number;
  bookingId?: string;
  booking?: BookingDoc;
  /** The booking's payment is this one and the booking kept it (confirmed, cancelled, …). */
  settled: boolean;
  /** A booking records refunding this payment in full (a late or unusable payment). */
  refundedInFull: boolean;
}

function paymentViews({ bookings, ledger }: ChaosState): PaymentView[] {
  const byId = new Map(bookings.map((b) => [b.id, b]));
  const sessions = new Map(ledger.sessions.map((s) => [s.id, s]));
  const late = new Map<string, BookingDoc>();
  for (const b of bookings) for (const l of b.latePayments) if (l.status === 'refunded') late.set(l.paymentId, b);
  return ledger.payments.map((p) => {
    const bookingId = sessions.get(p.sessionId)?.bookingId;
    const booking = bookingId ? byId.get(bookingId) : undefined;
    return {
      id: p.id,
      amount: p.amount.minor,
      refunded: p.refunded,
      bookingId,
      booking,
      settled: !!booking && booking.payment?.paymentId === p.id && SETTLED.has(booking.status),
      refundedInFull: late.has(p.id),
    };
  });
}

const lineTotal = (l: BookingDoc['lines'][number]) => l.total.minor;

/** What a booking that kept payment `p` says happened to it: kept for seats, kept under the policy, refunded. */
function accountOf(b: BookingDoc): { seats: number; policy: number; refunded: number } {
  const refundedCancellations = b.cancellations.filter((c) => c.status === 'refunded' || c.status === 'completed');
  const cancelledSeats = new Set(refundedCancellations.flatMap((c) => c.seatIds));
  const seats = b.lines
    .filter((l) => b.seatIds.includes(l.seatId) && !cancelledSeats.has(l.seatId))
    .reduce((sum, l) => sum + lineTotal(l), 0);
  const policy = refundedCancellations.reduce((s, c) => s + c.ticketValue.minor + c.feesKept.minor - c.refund.minor, 0);
  const refunded = refundedCancellations.reduce((s, c) => s + c.refund.minor, 0);
  return { seats, policy, refunded };
}

function moneyBalances(state: ChaosState): InvariantResult {
  const violations: string[] = [];
  const payments = paymentViews(state);
  const known = new Set(payments.map((p) => p.id));
  const usedBy = new Map<string, string[]>();
  for (const b of state.bookings) {
    if (!SETTLED.has(b.status)) continue;
    const pid = b.payment?.paymentId;
    if (!pid || !known.has(pid)) {
      violations.push(`booking ${b.id} is ${b.status} but the provider has no payment ${pid ?? '(none recorded)'}`);
      continue;
    }
    usedBy.set(pid, [...(usedBy.get(pid) ?? []), b.id]);
  }
  for (const [pid, ids] of usedBy)
    if (ids.length > 1) violations.push(`payment ${pid} settled ${ids.length} bookings: ${ids.join(', ')}`);
  for (const p of payments) {
    if (p.settled) {
      const b = p.booking!;
      if (b.charged?.minor !== p.amount)
        violations.push(
          `payment ${p.id} took ${p.amount} but booking ${b.id} records ${b.charged?.minor ?? 'no'} charge`,
        );
      const a = accountOf(b);
      if (a.refunded !== p.refunded)
        violations.push(`payment ${p.id}: the provider refunded ${p.refunded}, booking ${b.id} says ${a.refunded}`);
      if (a.seats + a.policy + a.refunded !== p.amount)
        violations.push(
          `payment ${p.id} of ${p.amount}: booking ${b.id} accounts for ${a.seats} (seats) + ${a.policy} (kept under the policy) + ${a.refunded} (refunded)`,
        );
    } else if (p.refunded !== p.amount) {
      violations.push(
        `payment ${p.id} of ${p.amount} for booking ${p.bookingId ?? '?'} (${p.booking?.status ?? 'unknown'}) did not settle it and was refunded ${p.refunded}, not in full`,
      );
    } else if (!p.refundedInFull) {
      violations.push(
        `payment ${p.id} was refunded in full but no booking records why (booking ${p.bookingId ?? '?'})`,
      );
    }
  }
  return result('money balances', payments.length, violations);
}

function paidOnce(state: ChaosState): InvariantResult {
  const violations: string[] = [];
  const payments = paymentViews(state);
  for (const p of payments) {
    if (p.settled && p.refundedInFull)
      violations.push(`payment ${p.id} both settled booking ${p.bookingId} and was refunded in full`);
    if (!p.settled && !(p.refundedInFull && p.refunded === p.amount))
      violations.push(
        `payment ${p.id} (booking ${p.bookingId ?? '?'}, ${p.booking?.status ?? 'unknown'}) was neither confirmed nor refunded`,
      );
  }
  return result('every paid booking confirmed or refunded, once', payments.length, violations);
}

function noneStuck({ bookings, now, graceMs }: ChaosState): InvariantResult {
  const violations = bookings
    .filter((b) => !FINAL.has(b.status) && Date.parse(b.deadline) + graceMs < now)
    .map(
      (b) => `booking ${b.id} is ${b.status}, ${Math.round((now - Date.parse(b.deadline)) / 1000)} s past its deadline`,
    );
  return result('no booking stuck past deadline + grace', bookings.length, violations);
}

/** What a violation needs to be looked into: the booking's state and the events that led there. */
function describe(b: BookingDoc | undefined): string {
  if (!b) return 'none';
  const events = (b as { history?: { event?: string; status?: string }[] }).history ?? [];
  return `${b.status}, seats ${b.seatIds.join(' ')}, history ${events.map((h) => h.event ?? h.status).join(' → ')}`;
}
