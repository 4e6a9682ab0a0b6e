import { describe, expect, it } from 'vitest';
import { wants, type Subscriber } from '../../../../shared/domain/partner-webhooks/event-filter.js';

const show = { showId: 'shw-1', city: 'blr', venueId: 'ven-1' };
const endpoint = (over: Partial<Subscriber> = {}): Subscriber => ({
  status: 'enabled',
  events: ['booking.confirmed'],
  ...over,
});

describe('which endpoints an event goes to', () => {
  it('needs an enabled endpoint subscribed to the type', () => {
    expect(wants(endpoint(), 'booking.confirmed', show)).toBe(true);
    expect(wants(endpoint(), 'booking.cancelled', show)).toBe(false);
    expect(wants(endpoint({ status: 'disabled' }), 'booking.confirmed', show)).toBe(false);
  });

  it('ANDs the filter fields and ORs the values within one', () => {
    expect(wants(endpoint({ filter: { city: 'blr' } }), 'booking.confirmed', show)).toBe(true);
    expect(wants(endpoint({ filter: { city: 'mum' } }), 'booking.confirmed', show)).toBe(false);
    expect(wants(endpoint({ filter: { city: 'blr', venueIds: ['ven-2', 'ven-1'] } }), 'booking.confirmed', show)).toBe(
      true,
    );
    expect(wants(endpoint({ filter: { city: 'blr', venueIds: ['ven-2'] } }), 'booking.confirmed', show)).toBe(false);
    expect(wants(endpoint({ filter: { showIds: ['shw-9'] } }), 'booking.confirmed', show)).toBe(false);
  });

  it('sends an event about an unknown show only to endpoints without a show filter', () => {
    const unknown = { showId: 'shw-x' };
    expect(wants(endpoint(), 'booking.confirmed', unknown)).toBe(true);
    expect(wants(endpoint({ filter: { city: 'blr' } }), 'booking.confirmed', unknown)).toBe(false);
    expect(wants(endpoint({ filter: { venueIds: ['ven-1'] } }), 'booking.confirmed', unknown)).toBe(false);
  });
});
