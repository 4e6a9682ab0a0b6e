import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BOOKING_STATUSES,
  isTerminal,
  transition,
  type BookingEvent,
  type BookingStatus,
} from '../../../../shared/domain/booking/index.js';

const EVENTS: BookingEvent[] = [
  'seatsHeld',
  'seatsUnavailable',
  'paymentStarted',
  'paymentSucceeded',
  'paymentFailed',
  'paymentDeclined',
  'holdReleased',
  'confirmFailed',
  'holdExpired',
  'cancelRequested',
  'refunded',
  'partiallyRefunded',
  'cancelAborted',
  'refundFailed',
  'refundRetried',
];

function run(events: BookingEvent[], from: BookingStatus = 'pending'): BookingStatus {
  return events.reduce<BookingStatus>((s, e) => {
    const r = transition(s, e);
    if (!r.ok) throw new Error(r.detail);
    return r.status;
  }, from);
}

describe('booking state machine', () => {
  it('walks the happy path from pending to confirmed and on to cancelled', () => {
    expect(run(['seatsHeld', 'paymentStarted', 'paymentSucceeded'])).toBe('confirmed');
    expect(run(['cancelRequested', 'refunded'], 'confirmed')).toBe('cancelled');
  });

  it('ends failed or expired when seats, payment or the hold fail', () => {
    expect(run(['seatsUnavailable'])).toBe('failed');
    expect(run(['seatsHeld', 'paymentStarted', 'paymentFailed'])).toBe('failed');
    expect(run(['seatsHeld', 'paymentStarted', 'confirmFailed'])).toBe('failed');
    expect(run(['seatsHeld', 'paymentStarted', 'holdExpired'])).toBe('expired');
  });

  it('keeps the hold through a declined payment and lets the customer release it before paying', () => {
    expect(run(['seatsHeld', 'paymentStarted', 'paymentDeclined'])).toBe('held');
    expect(run(['seatsHeld', 'paymentStarted', 'paymentDeclined', 'paymentStarted', 'paymentSucceeded'])).toBe(
      'confirmed',
    );
    expect(run(['seatsHeld', 'holdReleased'])).toBe('expired');
    expect(run(['seatsHeld', 'paymentStarted', 'paymentDeclined', 'holdReleased'])).toBe('expired');
    expect(transition('confirmed', 'holdReleased')).toMatchObject({ ok: false });
    expect(transition('expired', 'paymentDeclined')).toMatchObject({ ok: false });
    expect(transition('expired', 'holdReleased')).toEqual({ ok: true, status: 'expired', changed: false });
  });

  it('parks a failed refund and lets it be retried', () => {
    expect(run(['cancelRequested', 'refundFailed'], 'confirmed')).toBe('refund_failed');
    expect(run(['cancelRequested', 'refundFailed', 'refundRetried', 'refunded'], 'confirmed')).toBe('cancelled');
    expect(run(['cancelRequested', 'partiallyRefunded'], 'confirmed')).toBe('confirmed');
  });

  it('refuses illegal transitions with a reason', () => {
    expect(transition('pending', 'paymentSucceeded')).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    expect(transition('expired', 'paymentSucceeded')).toMatchObject({ ok: false });
    expect(transition('failed', 'cancelRequested')).toMatchObject({ ok: false });
    expect(transition('cancelled', 'refundFailed')).toMatchObject({ ok: false });
    expect(transition('confirmed', 'holdExpired')).toMatchObject({ ok: false });
  });

  it('accepts a repeated event as a no-op, so activities may run twice', () => {
    expect(transition('confirmed', 'paymentSucceeded')).toEqual({ ok: true, status: 'confirmed', changed: false });
    expect(transition('cancelled', 'refunded')).toEqual({ ok: true, status: 'cancelled', changed: false });
    // …but not when landing on the same status says nothing about the event.
    expect(transition('confirmed', 'partiallyRefunded')).toMatchObject({ ok: false });
  });

  it('never leaves a terminal status (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EVENTS), { maxLength: 30 }), (events) => {
        let status: BookingStatus = 'pending';
        let terminalAt: BookingStatus | undefined;
        for (const e of events) {
          const r = transition(status, e);
          if (!r.ok) continue;
          if (terminalAt && r.status !== terminalAt) return false;
          status = r.status;
          if (isTerminal(status)) terminalAt = status;
        }
        return BOOKING_STATUSES.includes(status);
      }),
    );
  });
});
