// The booking routes in the OpenAPI document: the booking journey (functions/bookings.ts), the
// door (functions/tickets.ts) and operators (functions/ops-bookings.ts, functions/ops-shows.ts). The payment provider's
// webhook is described with its wire format, in shared/adapters/payments/openapi.ts.
import { anonymous, signedIn, withRole, type ApiOperation } from '../http/openapi/operation.js';
import {
  BookingBodySchema,
  BookingParamsSchema,
  BookingSchema,
  BookingWorkingSchema,
  CancelBodySchema,
  CancelHeadersSchema,
  CancelResultSchema,
  CheckoutQuerySchema,
  CreateBookingHeadersSchema,
  OpsBookingListSchema,
  OpsBookingsQuerySchema,
  RefundQuoteQuerySchema,
  RefundQuoteSchema,
  ShowCancelAcceptedSchema,
  ShowCancelBodySchema,
  ShowCancelProgressSchema,
  ShowParamsSchema,
  TicketAdmittedSchema,
  TicketsSchema,
  TicketVerifyBodySchema,
} from './api-schemas.js';
import { ADMISSION_REFUSALS } from '../waiting-room/openapi.js';

const customer = withRole('customer');
const operator = withRole('operator');
const noStore = { 'Cache-Control': 'no-store' };
const retryLater = { Location: 'The booking', 'Retry-After': 'Seconds before asking again' };
const CANCEL_REFUSALS = [
  'BOOKING_NOT_CANCELLABLE',
  'CANCELLATION_NON_REFUNDABLE',
  'CANCELLATION_SHOW_STARTED',
  'CANCELLATION_TOO_LATE',
  'CANCELLATION_NO_SEATS',
  'CANCELLATION_UNKNOWN_SEAT',
  'CANCELLATION_DUPLICATE_SEAT',
  'CANCELLATION_IN_PROGRESS',
] as const;

export const bookingOperations: ApiOperation[] = [
  {
    name: 'bookings-create',
    method: 'post',
    route: 'bookings',
    tag: 'Bookings',
    summary: 'Book seats: hold them and get the payment link',
    description:
      'Starts the booking saga (docs/architecture.md, Sagas). While the show sells through its waiting room, ' +
      'the Admission-Token header carries the admission (403 ADMISSION_* without a valid one). ' +
      '201: the seats are held until `holdExpiresAt` and ' +
      '`paymentUrl` takes the buyer to checkout; 202: still working, poll the Location; 409: the seats were ' +
      'refused (the problem lists them in `seats`). The same Idempotency-Key always answers for the same ' +
      'booking (`Idempotent-Replayed: true` on a replay); with another body it is 422.',
    access: customer,
    headers: CreateBookingHeadersSchema,
    body: BookingBodySchema,
    bodyRequired: true,
    bodyExample: { showId: 'shw-blr-1', seatIds: ['F7', 'F8'] },
    responses: {
      201: {
        description: 'Seats held; pay at paymentUrl before holdExpiresAt',
        schema: BookingSchema,
        headers: { Location: 'The booking', 'Idempotent-Replayed': '`true` when this key was seen before' },
      },
      202: { description: 'Still working', schema: BookingWorkingSchema, headers: retryLater },
    },
    problems: [
      'SEATS_UNAVAILABLE',
      'SHOW_NOT_ON_SALE',
      'SHOW_NOT_FOUND',
      'INVALID_SEATS',
      'BOOKING_ABANDONED',
      'IDEMPOTENCY_CONFLICT',
      'REQUEST_IN_PROGRESS',
      'NOT_FOUND',
      'INVENTORY_BUSY',
      'BOOKING_BUSY',
      ...ADMISSION_REFUSALS,
    ],
    limit: 'bookings',
  },
  {
    name: 'bookings-checkout',
    method: 'get',
    route: 'bookings/{bookingId}/checkout',
    tag: 'Bookings',
    summary: "Follow the booking's payment link",
    description:
      'Opened by the browser (no bearer token: the link carries its own). Redirects to the payment ' +
      "provider's checkout once the session exists; 503 with Retry-After while it is still being created.",
    access: anonymous('The link’s `u` and `t` parameters'),
    params: BookingParamsSchema,
    query: CheckoutQuerySchema,
    responses: { 303: { description: "To the provider's checkout page", headers: { Location: 'The checkout page' } } },
    problems: ['NOT_FOUND', 'BOOKING_NOT_PAYABLE', 'PAYMENT_SESSION_PENDING'],
  },
  {
    name: 'bookings-get',
    method: 'get',
    route: 'bookings/{bookingId}',
    tag: 'Bookings',
    summary: 'Get a booking',
    description: 'Its owner or an operator; anyone else gets 404.',
    access: signedIn,
    params: BookingParamsSchema,
    responses: { 200: { description: 'The booking', schema: BookingSchema, headers: noStore } },
    problems: ['NOT_FOUND'],
  },
  {
    name: 'bookings-tickets',
    method: 'get',
    route: 'bookings/{bookingId}/tickets',
    tag: 'Bookings',
    summary: "The booking's tickets",
    description: 'The owner only, once confirmed (409 BOOKING_NOT_CONFIRMED with `bookingStatus` before).',
    access: customer,
    params: BookingParamsSchema,
    responses: { 200: { description: 'One ticket per seat', schema: TicketsSchema, headers: noStore } },
    problems: ['NOT_FOUND', 'BOOKING_NOT_CONFIRMED'],
  },
  {
    name: 'bookings-refund-quote',
    method: 'get',
    route: 'bookings/{bookingId}/refund-quote',
    tag: 'Bookings',
    summary: 'What cancelling would refund',
    description: 'The refund policy applied now; `cancellable: false` with the reason when it would be refused.',
    access: customer,
    params: BookingParamsSchema,
    query: RefundQuoteQuerySchema,
    responses: { 200: { description: 'The quote', schema: RefundQuoteSchema, headers: noStore } },
    problems: ['NOT_FOUND'],
  },
  {
    name: 'bookings-cancel',
    method: 'post',
    route: 'bookings/{bookingId}/cancel',
    tag: 'Bookings',
    summary: 'Cancel a booking or some of its seats',
    description:
      'Releases the seats, voids their tickets and refunds by the policy. 200 when done, 202 while the refund ' +
      'is still running. An Idempotency-Key makes a retry answer the same cancellation.',
    access: customer,
    params: BookingParamsSchema,
    headers: CancelHeadersSchema,
    body: CancelBodySchema,
    bodyExample: { seatIds: ['F8'] },
    responses: {
      200: { description: 'Cancelled and refunded', schema: CancelResultSchema, headers: { Location: 'The booking' } },
      202: { description: 'Cancelling; the refund is running', schema: CancelResultSchema, headers: retryLater },
    },
    problems: ['NOT_FOUND', ...CANCEL_REFUSALS, 'IDEMPOTENCY_CONFLICT', 'BOOKING_BUSY'],
  },
  {
    name: 'bookings-release',
    method: 'post',
    route: 'bookings/{bookingId}/release',
    tag: 'Bookings',
    summary: 'Let the held seats go before paying',
    description:
      'The saga releases the seats (the booking ends `expired` with failure HOLD_RELEASED). Idempotent: 200 with ' +
      'the booking once released, 202 while the saga works; 409 when there is nothing to release (paid, over), ' +
      'or REQUEST_IN_PROGRESS while the seats are still being held.',
    access: customer,
    params: BookingParamsSchema,
    responses: {
      200: { description: 'Released', schema: BookingSchema, headers: { Location: 'The booking', ...noStore } },
      202: { description: 'Releasing', schema: BookingSchema, headers: { ...retryLater, ...noStore } },
    },
    problems: ['NOT_FOUND', 'BOOKING_NOT_RELEASABLE', 'REQUEST_IN_PROGRESS', 'DOCUMENT_BUSY'],
  },
  {
    name: 'bookings-retry-payment',
    method: 'post',
    route: 'bookings/{bookingId}/retry-payment',
    tag: 'Bookings',
    summary: 'Pay again after a declined payment',
    description:
      'While `canRetryPayment`: a new payment try on the same seats and hold. 200 with the booking once the new ' +
      'payment link exists (`paymentUrl`), 202 while it is being created; asked again, it answers the same try. ' +
      '409 BOOKING_NOT_RETRYABLE when no declined payment can be tried again, HOLD_EXPIRED when the hold ran out.',
    access: customer,
    params: BookingParamsSchema,
    responses: {
      200: {
        description: 'A new try, paying',
        schema: BookingSchema,
        headers: { Location: 'The booking', ...noStore },
      },
      202: { description: 'Creating the new payment', schema: BookingSchema, headers: { ...retryLater, ...noStore } },
    },
    problems: ['NOT_FOUND', 'BOOKING_NOT_RETRYABLE', 'HOLD_EXPIRED', 'DOCUMENT_BUSY'],
  },
  {
    name: 'tickets-verify',
    method: 'post',
    route: 'tickets/verify',
    tag: 'Tickets',
    summary: 'Admit a ticket at the door',
    description:
      'Marks the ticket used. A second scan is 409 TICKET_ALREADY_USED; a code for another show or a forged one is 422.',
    access: operator,
    body: TicketVerifyBodySchema,
    bodyRequired: true,
    responses: { 200: { description: 'Admitted', schema: TicketAdmittedSchema } },
    problems: ['NOT_FOUND', 'TICKET_INVALID', 'TICKET_ALREADY_USED', 'TICKET_VOID', 'TICKET_BUSY'],
  },
  {
    name: 'ops-bookings-list',
    method: 'get',
    route: 'ops/bookings',
    tag: 'Operations',
    summary: 'Bookings by status (stuck ones by default)',
    access: operator,
    query: OpsBookingsQuerySchema,
    responses: { 200: { description: 'Newest first, with history', schema: OpsBookingListSchema, headers: noStore } },
    problems: [],
  },
  {
    name: 'ops-bookings-retry-refund',
    method: 'post',
    route: 'ops/bookings/{bookingId}/retry-refund',
    tag: 'Operations',
    summary: 'Run a failed refund again',
    access: operator,
    params: BookingParamsSchema,
    responses: {
      200: { description: 'Refunded', schema: CancelResultSchema },
      202: { description: 'The refund is running', schema: CancelResultSchema },
    },
    problems: ['NOT_FOUND', 'NOT_REFUND_FAILED', 'CANCELLATION_IN_PROGRESS', 'BOOKING_BUSY'],
  },
  {
    name: 'ops-shows-cancel',
    method: 'post',
    route: 'ops/shows/{showId}/cancel',
    tag: 'Operations',
    summary: 'Cancel a show that has bookings',
    description:
      'Marks the show cancelled at once and starts the fan-out that refunds every booking in full and tells its ' +
      'holder (docs/architecture.md, Show cancellation). 202 with the progress URL; cancelling again answers the ' +
      'same (the first reason stands) and refunds nothing twice.',
    access: operator,
    params: ShowParamsSchema,
    body: ShowCancelBodySchema,
    bodyRequired: true,
    bodyExample: { reason: 'The lead actor is ill' },
    responses: {
      202: {
        description: 'Cancelled; the refunds are under way',
        schema: ShowCancelAcceptedSchema,
        headers: { Location: 'The progress' },
      },
    },
    problems: ['NOT_FOUND'],
  },
  {
    name: 'ops-shows-cancellation',
    method: 'get',
    route: 'ops/shows/{showId}/cancellation',
    tag: 'Operations',
    summary: "A show cancellation's progress",
    description: "Counted from the committed bookings, with the fan-out's status.",
    access: operator,
    params: ShowParamsSchema,
    responses: { 200: { description: 'The progress', schema: ShowCancelProgressSchema, headers: noStore } },
    problems: ['NOT_FOUND'],
  },
];
