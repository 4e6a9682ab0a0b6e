// Never trust a message (docs/architecture.md, Events): a booking event from the topic is rebuilt
// from the booking as committed, with the same rules that built it (shared/booking/events.ts). Only
// when the rebuilt event has the message's id is it delivered, and then the rebuilt one is sent.
import { BOOKING_EVENT_TYPES, buildEvent, type BookingEventType, type CloudEvent } from '../booking/events.js';
import type { BookingStore } from '../booking/store.js';
import type { EventVerifier } from './ports.js';

export function committedEventVerifier(store: Pick<BookingStore, 'get'>): EventVerifier {
  return async (event) => {
    if (!event || typeof event !== 'object' || !BOOKING_EVENT_TYPES.includes(event.type)) return undefined;
    const data = (event.data ?? {}) as Record<string, unknown>;
    const text = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
    const bookingId = text('bookingId');
    const userId = text('userId');
    if (!bookingId || !userId) return undefined;
    const doc = await store.get(userId, bookingId);
    if (!doc) return undefined;
    const rebuilt: CloudEvent | undefined = buildEvent(doc, {
      type: event.type as BookingEventType,
      bookingId,
      userId,
      cancellationId: text('cancellationId'),
      paymentId: text('paymentId'),
    });
    return rebuilt?.id === event.id ? rebuilt : undefined;
  };
}
