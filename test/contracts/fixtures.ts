// Documents for the store contract cases: valid enough for any adapter to store, unique per call so
// cases sharing one store do not see each other's documents.
import { randomUUID } from 'node:crypto';
import type { BookingDoc } from '../../shared/booking/model.js';
import type { TicketDoc, WebhookRecord } from '../../shared/booking/store.js';
import { priceSeats, priceTableOf } from '../../shared/domain/booking/index.js';

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export function bookingDoc(over: Partial<BookingDoc> = {}): BookingDoc {
  const id = over.id ?? unique('bk');
  const startsAt = over.show?.startsAt ?? '2030-01-01T18:00:00.000Z';
  const at = '2029-12-01T10:00:00.000Z';
  const priced = priceSeats(
    [{ seatId: 'A1', category: 'classic' }],
    priceTableOf({ classic: { minor: 20000, currency: 'INR' } }),
    { feeBp: 1000, feeMinMinor: 0, feeTaxBp: 1800, priceTaxBp: 0 },
  );
  if (!priced.ok) throw new Error(priced.detail);
  return {
    id,
    userId: unique('user'),
    showId: unique('show'),
    city: 'blr',
    show: {
      title: 'T',
      venueName: 'V',
      screenName: 'S',
      startsAt,
      endsAt: startsAt,
      language: 'English',
      format: '2D',
      nonRefundable: false,
    },
    seatIds: ['A1'],
    lines: priced.breakdown.lines,
    price: priced.breakdown,
    status: 'pending',
    attempt: 1,
    request: { fingerprint: 'f', kind: 'seats' },
    deadline: '2029-12-01T10:10:00.000Z',
    cancelledSeatIds: [],
    cancellations: [],
    latePayments: [],
    history: [{ at, status: 'pending', event: 'requested' }],
    sortKey: `${startsAt}|${id}`,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

export function ticketDoc(over: Partial<TicketDoc> = {}): TicketDoc {
  const bookingId = over.bookingId ?? unique('bk');
  const seatId = over.seatId ?? 'A1';
  return {
    id: `${bookingId}:${seatId}`,
    showId: unique('show'),
    bookingId,
    userId: unique('user'),
    seatId,
    category: 'classic',
    code: unique('code'),
    status: 'valid',
    issuedAt: '2029-12-01T10:00:00.000Z',
    ...over,
  };
}

export function webhookRecord(over: Partial<WebhookRecord> = {}): WebhookRecord {
  const eventId = over.eventId ?? unique('evt');
  return {
    id: `evt:${eventId}`,
    kind: 'webhook',
    bookingId: unique('bk'),
    userId: unique('user'),
    eventId,
    type: 'payment.succeeded',
    sessionId: unique('cs'),
    paymentId: unique('pay'),
    amount: { minor: 20000, currency: 'INR' },
    outcome: 'raised',
    settled: false,
    receivedAt: '2029-12-01T10:00:00.000Z',
    ...over,
  };
}
