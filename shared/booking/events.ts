// Booking events as CloudEvents 1.0 (structured JSON), published to the Service Bus topic
// BOOKING_EVENTS_TOPIC by an activity's `serviceBus` output binding. Side effects follow the commit
// (docs/architecture.md, Events): an event is built only from the booking as saved, and its id is derived only from
// that committed state (type, booking, attempt or cancellation or payment), so a publish that runs
// twice sends the same id and consumers de-duplicate on it.
import { derivedId, type BookingDoc } from './model.js';
import { rejectionKey } from './verification.js';

export const BOOKING_EVENT_TYPES = [
  'booking.confirmed',
  'booking.failed',
  'booking.expired',
  'booking.cancelled',
  'refund.issued',
  'refund.failed',
  'payment.rejected',
] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];

export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: BookingEventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

export interface PublishRequest {
  type: BookingEventType;
  bookingId: string;
  userId: string;
  /** For booking.cancelled / refund.*: which cancellation. */
  cancellationId?: string;
  /** For refund.* of a late payment. */
  paymentId?: string;
  /** For payment.rejected: which rejection (shared/booking/verification.ts rejectionKey). */
  rejectionKey?: string;
}

export const EVENT_SOURCE = '/marquee/bookings';

/** The event for `req` from the committed booking, or undefined when the booking does not show it yet. */
export function buildEvent(doc: BookingDoc, req: PublishRequest): CloudEvent | undefined {
  const base = {
    bookingId: doc.id,
    userId: doc.userId,
    showId: doc.showId,
    show: { title: doc.show.title, venueName: doc.show.venueName, startsAt: doc.show.startsAt },
  };
  const last = (events: string[]) => [...doc.history].reverse().find((h) => events.includes(h.event));
  let discriminator: string;
  let data: Record<string, unknown>;
  let time: string | undefined;
  switch (req.type) {
    case 'booking.confirmed':
    case 'booking.failed':
    case 'booking.expired': {
      const status = req.type.slice('booking.'.length);
      if (doc.status !== status && !doc.history.some((h) => h.status === status)) return undefined;
      discriminator = String(doc.attempt);
      time = [...doc.history].reverse().find((h) => h.status === status)?.at;
      data = {
        ...base,
        status,
        seatIds: doc.status === 'confirmed' ? doc.seatIds : doc.lines.map((l) => l.seatId),
        total: doc.price.total,
        ...(doc.failure && status !== 'confirmed' ? { reason: doc.failure } : {}),
      };
      break;
    }
    case 'payment.rejected': {
      const r = (doc.paymentRejections ?? []).find((x) => rejectionKey(x) === req.rejectionKey);
      if (!r) return undefined;
      discriminator = `rejected:${rejectionKey(r)}`;
      time = r.at;
      data = { ...base, status: doc.status, ...r };
      break;
    }
    case 'booking.cancelled':
    case 'refund.issued':
    case 'refund.failed': {
      if (req.paymentId) {
        const late = doc.latePayments.find((l) => l.paymentId === req.paymentId);
        if (!late || (req.type === 'refund.issued' && late.status !== 'refunded')) return undefined;
        discriminator = `late:${late.paymentId}`;
        time = late.at;
        data = {
          ...base,
          late: true,
          paymentId: late.paymentId,
          refundId: late.refundId,
          amount: late.amount,
          reason: late.reason,
        };
        break;
      }
      const c = doc.cancellations.find((x) => x.id === req.cancellationId);
      if (!c) return undefined;
      if (req.type === 'booking.cancelled' && c.status !== 'completed') return undefined;
      if (req.type === 'refund.failed' && c.status !== 'refund_failed') return undefined;
      discriminator = req.type === 'refund.failed' ? `${c.id}:${c.runs}` : c.id;
      time =
        req.type === 'booking.cancelled'
          ? c.completedAt
          : req.type === 'refund.failed'
            ? last(['refundFailed'])?.at
            : (last(['refundIssued'])?.at ?? c.completedAt);
      data = {
        ...base,
        cancellationId: c.id,
        seatIds: c.seatIds,
        whole: c.whole,
        refund: c.refund,
        feesKept: c.feesKept,
        refundId: c.refundId,
        bookingStatus: doc.status,
        ...(c.lastError && req.type === 'refund.failed' ? { error: c.lastError } : {}),
      };
      break;
    }
  }
  return {
    specversion: '1.0',
    id: derivedId('evt', req.type, doc.id, discriminator),
    source: EVENT_SOURCE,
    type: req.type,
    subject: `bookings/${doc.id}`,
    time: time ?? doc.updatedAt,
    datacontenttype: 'application/json',
    data,
  };
}
