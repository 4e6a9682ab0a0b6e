// The reminder's one step (orchestrations/booking-reminder.ts): send it if the booking is still confirmed.
import { Reminder } from '../../shared/notifications/reminders.js';
import { services } from '../../shared/services.js';
import { registerActivity } from '../durable.js';

registerActivity(Reminder.send, (input) => services().notifications.remind(input));
