// Unit tests of the booking rules that live outside shared/domain: ids derived from keys, which
// refusals may be retried under the same key, event ids derived only from committed state, and
// freeing a cancellation's booked seats.
import { describe, expect, it } from 'vitest';
import { bookingIdFor, type BookingDoc } from '../../../shared/booking/model.js';
import { isRetryable } from '../../../shared/booking/service.js';
import { buildEvent } from '../../../shared/booking/events.js';
import { releaseBooked } from '../../../shared/booking/cancel.js';
import { holdIdOf } from '../../../shared/booking/steps.js';

const doc = (over: Partial<BookingDoc> = {}): BookingDoc => ({
  id: 'bk_1',
  userId: 'u1',
  showId: 's1',
  city: 'blr',
  show: {
    title: 'T',
    venueName: 'V',
    screenName: 'S',
    startsAt: '2030-01-02T10:00:00.000Z',
    endsAt: '2030-01-02T12:00:00.000Z',
    language: 'English',
    format: '2D',
    nonRefundable: false,
  },
  seatIds: ['A1'],
  lines: [],
  price: {
    currency: 'INR',
    lines: [],
    tickets: { minor: 0, currency: 'INR' },
    fees: { minor: 0, currency: 'INR' },
    taxes: { minor: 0, currency: 'INR' },
    total: { minor: 100, currency: 'INR' },
  },
  status: 'confirmed',
  attempt: 1,
  request: { fingerprint: 'f', kind: 'seats' },
  deadline: '2030-01-01T00:00:00.000Z',
  cancelledSeatIds: [],
  cancellations: [],
  latePayments: [],
  history: [
    { at: '2030-01-01T00:00:00.000Z', status: 'pending', event: 'requested' },
    { at: '2030-01-01T00:00:01.000Z', status: 'confirmed', event: 'paymentSucceeded' },
  ],
  sortKey: 'x',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:01.000Z',
  ...over,
});

describe('booking rules', () => {
  it('derives the booking id from the user and the key only', () => {
    expect(bookingIdFor('u1', 'k')).toBe(bookingIdFor('u1', 'k'));
    expect(bookingIdFor('u1', 'k')).not.toBe(bookingIdFor('u2', 'k'));
    expect(bookingIdFor('u1', 'k')).not.toBe(bookingIdFor('u1', 'k2'));
    expect(bookingIdFor('u1', 'k')).toMatch(/^bk_[A-Za-z0-9_-]{22}$/);
  });

  it('lets a refusal at the hold be retried under the same key, nothing later', () => {
    expect(isRetryable(doc({ status: 'failed', failure: { code: 'SEATS_UNAVAILABLE', detail: '' } }))).toBe(true);
    expect(
      isRetryable(
        doc({
          status: 'failed',
          holdExpiresAt: '2030-01-01T00:10:00Z',
          failure: { code: 'PAYMENT_DECLINED', detail: '' },
        }),
      ),
    ).toBe(false);
    expect(isRetryable(doc({ status: 'expired', holdExpiresAt: '2030-01-01T00:10:00Z' }))).toBe(false);
    expect(holdIdOf({ id: 'bk_1', attempt: 1 })).toBe('bk_1');
    expect(holdIdOf({ id: 'bk_1', attempt: 2 })).toBe('bk_1.2');
  });

  it('builds events only from committed state, with ids that repeat for the same state', () => {
    const a = buildEvent(doc(), { type: 'booking.confirmed', bookingId: 'bk_1', userId: 'u1' })!;
    const b = buildEvent(doc({ updatedAt: '2030-01-01T09:00:00.000Z' }), {
      type: 'booking.confirmed',
      bookingId: 'bk_1',
      userId: 'u1',
    })!;
    expect(a.id).toBe(b.id);
    expect(a.time).toBe('2030-01-01T00:00:01.000Z');
    expect(
      buildEvent(doc({ attempt: 2 }), { type: 'booking.confirmed', bookingId: 'bk_1', userId: 'u1' })!.id,
    ).not.toBe(a.id);
    expect(
      buildEvent(doc({ status: 'paying', history: [] }), {
        type: 'booking.confirmed',
        bookingId: 'bk_1',
        userId: 'u1',
      }),
    ).toBeUndefined();
    expect(
      buildEvent(doc(), { type: 'booking.cancelled', bookingId: 'bk_1', userId: 'u1', cancellationId: 'cx_none' }),
    ).toBeUndefined();
  });

  it('frees only the seats the booking holds', () => {
    const seats = {
      A1: { s: 'booked' as const, bookingId: 'bk_1', holdId: 'bk_1' },
      A2: { s: 'booked' as const, bookingId: 'bk_2', holdId: 'bk_2' },
      A3: { s: 'blocked' as const },
    };
    const r = releaseBooked(seats, 'bk_1', ['A1', 'A2', 'A3', 'A4']);
    expect(r.result).toEqual(['A1']);
    expect(Object.keys(r.next!)).toEqual(['A2', 'A3']);
    expect(releaseBooked(r.next!, 'bk_1', ['A1'])).toEqual({ result: [] });
  });
});
