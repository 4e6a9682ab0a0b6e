// Reminders before a show (docs/architecture.md, Notifications): a confirmed booking gets one
// `bookingReminder` orchestration (instance `reminder_<bookingId>`) whose durable timer fires
// REMINDER_LEAD_MINUTES before the show; none when the show starts sooner than that or the user's
// `reminderHours` preference is empty. A fully cancelled booking terminates it; and whatever
// happened to the termination, the reminder re-reads the booking when it fires and sends nothing
// unless the booking is still confirmed and the show has not started.
import { z } from 'zod';
import type { OrchestrationContract, ActivityContract } from '../booking/saga-contracts.js';
import type { SagaClient } from '../booking/ports.js';
import type { BookingDoc } from '../booking/model.js';
import type { Profile } from '../profile/service.js';

export interface ReminderInput {
  userId: string;
  bookingId: string;
  /** ISO-8601 UTC: when the timer fires. */
  fireAt: string;
}
export type ReminderOutcome = 'sent' | 'skipped';

/** The descriptors (stored state: never rename). */
export const Reminder = {
  flow: { kind: 'orchestration', name: 'bookingReminder' } as OrchestrationContract<ReminderInput, ReminderOutcome>,
  send: { kind: 'activity', name: 'reminderSend' } as ActivityContract<ReminderInput, ReminderOutcome>,
} as const;

export const reminderInstanceId = (bookingId: string) => `reminder_${bookingId}`;

const EventSchema = z.object({
  type: z.string(),
  data: z.object({ bookingId: z.string().min(1).max(200), userId: z.string().min(1).max(200) }),
});

export interface ReminderDeps {
  bookings: { get(userId: string, id: string): Promise<BookingDoc | undefined> };
  profiles: { get(userId: string): Promise<Profile> };
  clock: () => number;
  leadMinutes: number;
}

export class ReminderScheduler {
  constructor(private readonly deps: ReminderDeps) {}

  /** Schedules or cancels the booking's reminder after a booking event, from the committed booking. */
  async follow(message: unknown, saga: SagaClient): Promise<'scheduled' | 'cancelled' | 'none'> {
    const parsed = EventSchema.safeParse(typeof message === 'string' ? safeJson(message) : message);
    if (!parsed.success) return 'none';
    const { type, data } = parsed.data;
    if (type !== 'booking.confirmed' && type !== 'booking.cancelled') return 'none';
    const doc = await this.deps.bookings.get(data.userId, data.bookingId);
    if (!doc) return 'none';
    const id = reminderInstanceId(doc.id);
    if (doc.status === 'cancelled') {
      await saga.terminate(id, 'the booking was cancelled');
      return 'cancelled';
    }
    if (type !== 'booking.confirmed' || doc.status !== 'confirmed') return 'none';
    const fireAt = Date.parse(doc.show.startsAt) - this.deps.leadMinutes * 60_000;
    if (fireAt <= this.deps.clock()) return 'none';
    const profile = await this.deps.profiles.get(doc.userId);
    if (profile.notifications.reminderHours.length === 0) return 'none';
    // 'exists' when a redelivered confirmation finds it already running: one reminder per booking.
    await saga.start(Reminder.flow, id, {
      userId: doc.userId,
      bookingId: doc.id,
      fireAt: new Date(fireAt).toISOString(),
    });
    return 'scheduled';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
