// Activities of the booking saga: each is one step of shared/booking/steps.ts (the business rules
// live there). Every step is idempotent, since Durable runs an activity at least once; each names
// its compensation in the saga (hold ↔ releaseSeats, payment ↔ refundUnusable).
import * as df from 'durable-functions';
import { services } from '../../shared/services.js';
import type { BookingRef, PaymentResult } from '../../shared/booking/steps.js';
import { A } from '../names.js';

const steps = () => services().bookingSteps;

df.app.activity(A.holdSeats, { handler: (ref: BookingRef) => steps().holdSeats(ref) });
df.app.activity(A.createPayment, {
  handler: (input: BookingRef & { returnUrl: string }) => steps().createPayment(input),
});
df.app.activity(A.paymentStatus, { handler: (ref: BookingRef) => steps().paymentStatus(ref) });
df.app.activity(A.confirmSeats, { handler: (ref: BookingRef) => steps().confirmSeats(ref) });
df.app.activity(A.confirmBooking, {
  handler: (input: BookingRef & { payment: PaymentResult }) => steps().confirmBooking(input),
});
df.app.activity(A.fail, {
  handler: (
    input: BookingRef & {
      event: 'paymentFailed' | 'confirmFailed' | 'seatsUnavailable';
      code: string;
      detail: string;
      paymentId?: string;
    },
  ) => steps().fail(input),
});
df.app.activity(A.expire, { handler: (ref: BookingRef) => steps().expire(ref) });
df.app.activity(A.abandon, { handler: (ref: BookingRef) => steps().abandon(ref) });
df.app.activity(A.releaseSeats, { handler: (ref: BookingRef) => steps().releaseSeats(ref) });
df.app.activity(A.refundUnusable, {
  handler: (input: BookingRef & { payment: PaymentResult; reason?: string }) => steps().refundUnusable(input),
});
