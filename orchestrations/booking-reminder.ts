// bookingReminder (shared/notifications/reminders.ts): a durable timer until REMINDER_LEAD_MINUTES
// before the show, then one activity (activities/reminder-send.ts) that sends the reminder if the booking is still confirmed.
// Terminated when the booking is cancelled in full; the activity's own check covers the rest.
import type { OrchestrationContext } from 'durable-functions';
import { Reminder, type ReminderOutcome } from '../shared/notifications/reminders.js';
import { stepRetry } from './booking-flow.js';
import { callWithRetry, inputOf, registerOrchestration, type Flow } from './durable.js';

export function* reminderFlow(ctx: OrchestrationContext): Flow<ReminderOutcome> {
  const input = inputOf(ctx, Reminder.flow);
  yield ctx.df.createTimer(new Date(input.fireAt));
  return yield* callWithRetry(ctx, Reminder.send, stepRetry(), input);
}

registerOrchestration(Reminder.flow, reminderFlow);
