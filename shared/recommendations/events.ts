// The part of a booking CloudEvent (shared/booking/events.ts) the recommender reads: which event,
// whose booking, which cancellation. Nothing else in the message is trusted: the facts are read
// from the committed booking (see service.ts).
import { z } from 'zod';
import { BOOKING_EVENT_TYPES } from '../booking/events.js';

const SignalEventSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(BOOKING_EVENT_TYPES),
  data: z.object({
    bookingId: z.string().min(1).max(200),
    userId: z.string().min(1).max(200),
    cancellationId: z.string().min(1).max(200).optional(),
    late: z.boolean().optional(),
  }),
});
export type SignalEvent = z.infer<typeof SignalEventSchema>;

export function parseSignalEvent(body: unknown): SignalEvent | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const parsed = SignalEventSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
