// Activities of the booking saga: each is one step of shared/booking/steps.ts (the business rules
// live there). Every step is idempotent, since Durable runs an activity at least once; each names
// its compensation in the saga (hold ↔ releaseSeats, payment ↔ refundUnusable).
import { services } from '../../shared/services.js';
import { BookingActivity } from '../../shared/booking/saga-contracts.js';
import { attemptEnded } from '../../shared/domain/booking/index.js';
import { registerActivity } from '../durable.js';
import { bookingEventsTopic, publishBookingEvent } from './publish-event.js';

const steps = () => services().bookingSteps;

registerActivity(BookingActivity.holdSeats, (ref) => steps().holdSeats(ref));
registerActivity(BookingActivity.createPayment, (input) => steps().createPayment(input));
registerActivity(BookingActivity.paymentStatus, (ref) => steps().paymentStatus(ref));
registerActivity(BookingActivity.verifyPayment, (input) => steps().verifyPayment(input));
registerActivity(BookingActivity.holdForGrace, (input) => steps().holdForGrace(input));
registerActivity(BookingActivity.confirmSeats, (ref) => steps().confirmSeats(ref));
registerActivity(BookingActivity.confirmBooking, (input) => steps().confirmBooking(input));
// A paid booking in one activity (sagas with confirmInOneStep): seats, confirm, tickets and the
// booking.confirmed event, which goes out only when the whole step succeeded (an output binding).
// A retry redoes each part idempotently and sends the same event id again.
registerActivity(
  BookingActivity.confirmPaid,
  async (input, context) => {
    const r = await steps().confirmPaid(input);
    // A late confirm (the booking had ended): nothing to announce; the saga refunds.
    if (!r.ok || (attemptEnded(r.status) && !r.confirmedBefore)) return r;
    const committed = services().bookingStore.lastSeen(input.bookingId)?.doc;
    const published = await publishBookingEvent(
      { type: 'booking.confirmed', bookingId: input.bookingId, userId: input.userId },
      context,
      committed,
    );
    return { ...r, published };
  },
  { extraOutputs: [bookingEventsTopic] },
);
registerActivity(BookingActivity.fail, (input) => steps().fail(input));
registerActivity(BookingActivity.expire, (ref) => steps().expire(ref));
registerActivity(BookingActivity.abandon, (ref) => steps().abandon(ref));
registerActivity(BookingActivity.releaseSeats, (ref) => steps().releaseSeats(ref));
registerActivity(BookingActivity.refundUnusable, (input) => steps().refundUnusable(input));
registerActivity(BookingActivity.declinePayment, (ref) => steps().declinePayment(ref));
registerActivity(BookingActivity.verifyRetry, (ref) => steps().verifyRetry(ref));
registerActivity(BookingActivity.release, (ref) => steps().release(ref));
