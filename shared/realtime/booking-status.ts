// Turns a booking CloudEvent (shared/booking/events.ts) into the private `booking` message its owner gets
// on their user channel. Only the owner's ids go into it; the client refetches the booking.
import { z } from 'zod';
import { BOOKING_EVENT_TYPES } from '../booking/events.js';
import type { RealtimeUserMessage } from '../ports/realtime.js';

const BookingEventSchema = z.object({
  id: z.string().min(1),
  type: z.enum(BOOKING_EVENT_TYPES),
  time: z.string().optional(),
  data: z.object({
    bookingId: z.string().min(1),
    userId: z.string().min(1),
    showId: z.string().min(1),
    status: z.string().optional(),
    bookingStatus: z.string().optional(),
    cancellationId: z.string().optional(),
  }),
});

/** What each event means for the booking's status as the owner sees it. */
const STATUS_OF: Record<(typeof BOOKING_EVENT_TYPES)[number], string | undefined> = {
  'booking.confirmed': 'confirmed',
  'booking.failed': 'failed',
  'booking.expired': 'expired',
  'booking.cancelled': undefined, // whole or partial: the event carries the booking's status
  'refund.issued': undefined,
  'refund.failed': 'refund_failed',
  'payment.rejected': undefined, // the booking is unchanged: the event carries its status
};

export interface StatusPush {
  userId: string;
  message: RealtimeUserMessage;
}

export function statusPushFor(body: unknown): StatusPush | undefined {
  const parsed = BookingEventSchema.safeParse(typeof body === 'string' ? safeJson(body) : body);
  if (!parsed.success) return undefined;
  const { id, type, time, data } = parsed.data;
  const status = STATUS_OF[type] ?? data.bookingStatus ?? data.status;
  return {
    userId: data.userId,
    message: {
      type: 'booking',
      event: type,
      eventId: id,
      bookingId: data.bookingId,
      showId: data.showId,
      ...(status ? { status } : {}),
      ...(data.cancellationId ? { cancellationId: data.cancellationId } : {}),
      ...(time ? { at: time } : {}),
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
