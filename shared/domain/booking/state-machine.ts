// The booking's life as a pure transition function (the saga persists the result; docs/architecture.md, Sagas).
//
//   pending ──seatsHeld──▶ held ──paymentStarted──▶ paying ──paymentSucceeded──▶ confirmed
//      │                   │  └─holdExpired─▶ expired ◀─holdExpired─┤
//      └seatsUnavailable▶ failed ◀─paymentFailed/confirmFailed──────┘
//   confirmed ──cancelRequested──▶ cancelling ──refunded──▶ cancelled
//                                     │ ├─partiallyRefunded─▶ confirmed (fewer seats)
//                                     │ └─cancelAborted─▶ confirmed (policy refused, nothing changed)
//                                     └─refundFailed──▶ refund_failed ──refundRetried──▶ cancelling
//   paying ──paymentDeclined──▶ held (the seats stay held; the customer may pay again on a new session)
//   held/paying ──holdReleased──▶ expired (the customer let the seats go before paying)
//
// Activities may run twice, so an event that has already taken the booking where it leads is
// accepted as a no-op (`changed: false`) instead of being refused.

export const BOOKING_STATUSES = [
  'pending',
  'held',
  'paying',
  'confirmed',
  'failed',
  'expired',
  'cancelling',
  'cancelled',
  'refund_failed',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export type BookingEvent =
  | 'seatsHeld'
  | 'seatsUnavailable'
  | 'paymentStarted'
  | 'paymentSucceeded'
  | 'paymentFailed'
  | 'paymentDeclined'
  | 'holdReleased'
  | 'confirmFailed'
  | 'holdExpired'
  | 'cancelRequested'
  | 'refunded'
  | 'partiallyRefunded'
  | 'cancelAborted'
  | 'refundFailed'
  | 'refundRetried';

const TRANSITIONS: Readonly<
  Record<BookingEvent, { from: readonly BookingStatus[]; to: BookingStatus; repeatable?: boolean }>
> = {
  seatsHeld: { from: ['pending'], to: 'held' },
  seatsUnavailable: { from: ['pending'], to: 'failed' },
  paymentStarted: { from: ['held'], to: 'paying' },
  paymentSucceeded: { from: ['paying', 'held'], to: 'confirmed' },
  paymentFailed: { from: ['paying', 'held'], to: 'failed' },
  // A decline within the hold: back to held, where a retry starts a new payment session.
  paymentDeclined: { from: ['paying'], to: 'held' },
  holdReleased: { from: ['held', 'paying'], to: 'expired' },
  // Paid, but a seat was lost when confirming: the payment is refunded and the booking fails.
  confirmFailed: { from: ['paying', 'held'], to: 'failed' },
  holdExpired: { from: ['held', 'paying'], to: 'expired' },
  cancelRequested: { from: ['confirmed'], to: 'cancelling' },
  refunded: { from: ['cancelling', 'refund_failed'], to: 'cancelled' },
  // Not repeatable as a no-op: landing on `confirmed` again says nothing about this event.
  partiallyRefunded: { from: ['cancelling', 'refund_failed'], to: 'confirmed', repeatable: false },
  cancelAborted: { from: ['cancelling'], to: 'confirmed', repeatable: false },
  refundFailed: { from: ['cancelling'], to: 'refund_failed' },
  refundRetried: { from: ['refund_failed'], to: 'cancelling' },
};

export const TERMINAL_STATUSES: readonly BookingStatus[] = ['failed', 'expired', 'cancelled'];

export type TransitionResult =
  { ok: true; status: BookingStatus; changed: boolean } | { ok: false; code: 'ILLEGAL_TRANSITION'; detail: string };

export function transition(current: BookingStatus, event: BookingEvent): TransitionResult {
  const rule = TRANSITIONS[event];
  if (rule.from.includes(current)) return { ok: true, status: rule.to, changed: true };
  if (current === rule.to && rule.repeatable !== false) return { ok: true, status: current, changed: false };
  return { ok: false, code: 'ILLEGAL_TRANSITION', detail: `A ${current} booking cannot take the event ${event}.` };
}

export const isTerminal = (status: BookingStatus): boolean => TERMINAL_STATUSES.includes(status);
