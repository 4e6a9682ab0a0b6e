import { describe, expect, it } from 'vitest';
import { statusPushFor } from '../../../shared/realtime/booking-status.js';

const event = (type: string, data: Record<string, unknown>) => ({
  specversion: '1.0',
  id: `evt-${type}`,
  source: '/marquee/bookings',
  type,
  subject: 'bookings/bk1',
  time: '2030-01-01T10:00:00.000Z',
  datacontenttype: 'application/json',
  data: { bookingId: 'bk1', userId: 'u1', showId: 'shw-1', ...data },
});

describe('statusPushFor', () => {
  it('addresses the booking owner with the status the event commits', () => {
    expect(statusPushFor(event('booking.confirmed', { status: 'confirmed' }))).toEqual({
      userId: 'u1',
      message: {
        type: 'booking',
        event: 'booking.confirmed',
        eventId: 'evt-booking.confirmed',
        bookingId: 'bk1',
        showId: 'shw-1',
        status: 'confirmed',
        at: '2030-01-01T10:00:00.000Z',
      },
    });
  });

  it('takes a cancellation’s resulting booking status from the event', () => {
    expect(
      statusPushFor(event('booking.cancelled', { bookingStatus: 'partially_cancelled', cancellationId: 'c1' }))
        ?.message,
    ).toMatchObject({ status: 'partially_cancelled', cancellationId: 'c1' });
    expect(statusPushFor(event('refund.failed', {}))?.message.status).toBe('refund_failed');
  });

  it('accepts the event as JSON text, as a text-bodied message arrives', () => {
    expect(statusPushFor(JSON.stringify(event('booking.expired', {})))?.message.status).toBe('expired');
  });

  it('drops anything that is not a booking event', () => {
    expect(statusPushFor({ hello: 'world' })).toBeUndefined();
    expect(statusPushFor(event('booking.teleported', {}))).toBeUndefined();
    expect(statusPushFor('not json')).toBeUndefined();
    expect(statusPushFor({ ...event('booking.confirmed', {}), data: { bookingId: 'bk1' } })).toBeUndefined();
  });
});
