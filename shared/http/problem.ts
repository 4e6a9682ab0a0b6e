// The one place an error becomes HTTP: each code has its status here, and an AppError becomes an
// RFC 9457 application/problem+json answer; anything else is logged and answered with a generic 500.
import type { HttpResponseInit } from '@azure/functions';
import { SystemError, type AppError, type ErrorCode, type SystemErrorCode, type UserErrorCode } from '../errors.js';

type ClientErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;
type ServerErrorStatus = 500 | 502 | 503;

/** A code without a status does not compile; a user error answers 4xx, a system error 5xx. */
const STATUS: { readonly [C in UserErrorCode]: ClientErrorStatus } & {
  readonly [C in SystemErrorCode]: ServerErrorStatus;
} = {
  VALIDATION_FAILED: 400,
  WEBHOOK_SIGNATURE_INVALID: 400,
  WEBHOOK_TIMESTAMP_STALE: 400,
  WEBHOOK_PAYLOAD_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  ADMISSION_REQUIRED: 403,
  ADMISSION_INVALID: 403,
  ADMISSION_EXPIRED: 403,
  ADMISSION_USED: 403,
  QUEUE_TICKET_INVALID: 403,
  NOT_FOUND: 404,
  HOLD_NOT_FOUND: 404,
  PAYMENT_NOT_FOUND: 404,
  SEATS_UNAVAILABLE: 409,
  NOT_ENOUGH_SEATS: 409,
  // A booking refused at its hold answers 409 whatever the inventory's reason, these included.
  INVALID_SEATS: 409,
  SHOW_NOT_FOUND: 409,
  HOLD_EXPIRED: 409,
  SHOW_NOT_ON_SALE: 409,
  REQUEST_IN_PROGRESS: 409,
  BOOKING_IN_PROGRESS: 409,
  BOOKING_ABANDONED: 409,
  BOOKING_NOT_PAYABLE: 409,
  BOOKING_NOT_RELEASABLE: 409,
  BOOKING_NOT_RETRYABLE: 409,
  BOOKING_NOT_CONFIRMED: 409,
  BOOKING_NOT_CANCELLABLE: 409,
  CANCELLATION_NON_REFUNDABLE: 409,
  CANCELLATION_SHOW_STARTED: 409,
  CANCELLATION_TOO_LATE: 409,
  CANCELLATION_NO_SEATS: 409,
  CANCELLATION_UNKNOWN_SEAT: 409,
  CANCELLATION_DUPLICATE_SEAT: 409,
  CANCELLATION_IN_PROGRESS: 409,
  NOT_REFUND_FAILED: 409,
  TICKET_ALREADY_USED: 409,
  TICKET_VOID: 409,
  SHOW_CANCELLED: 409,
  SHOW_HAS_BOOKINGS: 409,
  SHOW_OVERLAP: 409,
  ENDPOINT_DISABLED: 409,
  WAITING_ROOM_CLOSED: 409,
  TICKET_LIMIT_REACHED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_CONFLICT: 422,
  TICKET_INVALID: 422,
  PAYMENT_REQUEST_REFUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  PAYMENT_PROVIDER_FAILED: 502,
  INVENTORY_BUSY: 503,
  BOOKING_BUSY: 503,
  TICKET_BUSY: 503,
  DOCUMENT_BUSY: 503,
  PAYMENT_SESSION_PENDING: 503,
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  REALTIME_UNAVAILABLE: 503,
  DEPENDENCY_UNAVAILABLE: 503,
};

export const statusOf = (code: ErrorCode): number => STATUS[code];

const PROBLEM_BASE = 'https://marquee.dev/problems/';

export function problemResponse(error: AppError, instance?: string): HttpResponseInit {
  const status = statusOf(error.code);
  // Extension members first: RFC 9457's own members (type, title, status, detail) always win over them.
  const body = {
    ...error.extra,
    type: PROBLEM_BASE + error.code.toLowerCase().replace(/_/g, '-'),
    title: error.title,
    status,
    detail: error.message,
    code: error.code,
    retryable: error.retryable,
    ...(instance ? { instance } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
  return {
    status,
    headers: {
      'content-type': 'application/problem+json',
      ...(error.retryAfter !== undefined ? { 'retry-after': String(error.retryAfter) } : {}),
      ...(error.challenge !== undefined ? { 'www-authenticate': error.challenge } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** The generic apology for unexpected faults: no stack, no internals, nothing a caller could misuse. */
export function internalErrorResponse(instance?: string): HttpResponseInit {
  return problemResponse(
    new SystemError('INTERNAL', { detail: 'An unexpected error occurred. It has been logged.' }),
    instance,
  );
}
