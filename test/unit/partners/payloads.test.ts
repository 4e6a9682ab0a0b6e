import { describe, expect, it } from 'vitest';
import { eventCatalogue, partnerPayload } from '../../../shared/partners/payloads.js';
import type { CloudEvent } from '../../../shared/booking/events.js';

const confirmed: CloudEvent = {
  specversion: '1.0',
  id: 'evt-1',
  source: '/marquee/bookings',
  type: 'booking.confirmed',
  subject: 'bookings/bk-1',
  time: '2026-12-02T10:00:00.000Z',
  datacontenttype: 'application/json',
  data: {
    bookingId: 'bk-1',
    userId: 'user-secret-id',
    showId: 'shw-1',
    show: { title: 'T', venueName: 'V', startsAt: '2026-12-04T14:30:00.000Z' },
    status: 'confirmed',
    seatIds: ['A1'],
    total: { minor: 100, currency: 'INR' },
  },
};

describe('partner payloads', () => {
  it('are {type, timestamp, data} with the public fields only', () => {
    const body = JSON.parse(partnerPayload(confirmed));
    expect(body).toEqual({
      type: 'booking.confirmed',
      timestamp: '2026-12-02T10:00:00.000Z',
      data: {
        bookingId: 'bk-1',
        showId: 'shw-1',
        show: { title: 'T', venueName: 'V', startsAt: '2026-12-04T14:30:00.000Z' },
        status: 'confirmed',
        seatIds: ['A1'],
        total: { minor: 100, currency: 'INR' },
      },
    });
    expect(JSON.stringify(body)).not.toContain('user-secret-id');
  });

  it('are described by a JSON Schema per event type, with no user id anywhere', () => {
    const catalogue = eventCatalogue();
    expect(catalogue.map((c) => c.type)).toEqual([
      'booking.confirmed',
      'booking.failed',
      'booking.expired',
      'booking.cancelled',
      'refund.issued',
      'refund.failed',
    ]);
    for (const entry of catalogue) {
      expect(entry.description).not.toBe('');
      expect(entry.schema).toMatchObject({ type: 'object', required: ['type', 'timestamp', 'data'] });
      expect(JSON.stringify(entry.schema)).not.toContain('userId');
    }
  });
});
