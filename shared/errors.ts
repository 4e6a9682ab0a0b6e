// The errors the app raises, each with a stable code and one title per code. A user error is one the
// caller can fix (a bad request, something missing, a change the rules refuse); a system error is a
// dependency or the app failing, and trying again later may help. Errors carry data, never an HTTP
// status: shared/http/problem.ts maps each code to its status and problem+json body, so use-cases
// and adapters stay free of HTTP. Business outcomes a saga branches on are returned values, not these.

/** Codes of errors the caller can fix, with their titles. */
const USER_ERRORS = {
  VALIDATION_FAILED: 'The request is not valid',
  UNAUTHORIZED: 'Authentication required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  IDEMPOTENCY_CONFLICT: 'Idempotency-Key reused',
  REQUEST_IN_PROGRESS: 'Request in progress',
  // Seats: the inventory's refusals (shared/inventory/refusal.ts) and the best-available search.
  SEATS_UNAVAILABLE: 'Seats unavailable',
  NOT_ENOUGH_SEATS: 'Not enough seats',
  INVALID_SEATS: 'Seats not valid',
  HOLD_EXPIRED: 'Hold expired',
  HOLD_NOT_FOUND: 'Hold not found',
  SHOW_NOT_FOUND: 'Show not found',
  SHOW_NOT_ON_SALE: 'Show not on sale',
  // Bookings.
  BOOKING_IN_PROGRESS: 'Booking in progress',
  BOOKING_ABANDONED: 'Booking abandoned',
  BOOKING_NOT_PAYABLE: 'Nothing to pay',
  BOOKING_NOT_RELEASABLE: 'No seats to release',
  BOOKING_NOT_RETRYABLE: 'No payment to retry',
  BOOKING_NOT_CONFIRMED: 'No tickets yet',
  BOOKING_NOT_CANCELLABLE: 'Booking not cancellable',
  CANCELLATION_NON_REFUNDABLE: 'Non-refundable',
  CANCELLATION_SHOW_STARTED: 'Show started',
  CANCELLATION_TOO_LATE: 'Too late to cancel',
  CANCELLATION_NO_SEATS: 'No seats to cancel',
  CANCELLATION_UNKNOWN_SEAT: 'Seat not in the booking',
  CANCELLATION_DUPLICATE_SEAT: 'Seat listed twice',
  CANCELLATION_IN_PROGRESS: 'Cancellation in progress',
  NOT_REFUND_FAILED: 'Refund not failed',
  TICKET_INVALID: 'Ticket not valid',
  TICKET_ALREADY_USED: 'Ticket already used',
  TICKET_VOID: 'Ticket cancelled',
  // Catalog administration.
  SHOW_CANCELLED: 'Show cancelled',
  SHOW_HAS_BOOKINGS: 'Show has bookings',
  SHOW_OVERLAP: 'Show overlaps another',
  // Payments: a webhook that is not genuine, fresh or understood; a request the provider refuses for good.
  WEBHOOK_SIGNATURE_INVALID: 'Webhook signature not valid',
  WEBHOOK_TIMESTAMP_STALE: 'Webhook too old',
  WEBHOOK_PAYLOAD_INVALID: 'Webhook not understood',
  PAYMENT_REQUEST_REFUSED: 'Payment request refused',
  PAYMENT_NOT_FOUND: 'Payment not found',
  // The HTTP edge's rate limits (shared/http/rate-limit.ts).
  RATE_LIMITED: 'Too many requests',
  // Partner webhooks.
  ENDPOINT_DISABLED: 'Endpoint disabled',
  // The waiting room of hot on-sales (shared/waiting-room/).
  ADMISSION_REQUIRED: 'Admission required',
  ADMISSION_INVALID: 'Admission not valid',
  ADMISSION_EXPIRED: 'Admission expired',
  ADMISSION_USED: 'Admission already used',
  QUEUE_TICKET_INVALID: 'Queue ticket not valid',
  WAITING_ROOM_CLOSED: 'No waiting room',
  TICKET_LIMIT_REACHED: 'Ticket limit reached',
} as const;

/** Codes of errors where a dependency or the app failed, with their titles. All retryable. */
const SYSTEM_ERRORS = {
  INTERNAL: 'Something went wrong',
  INVENTORY_BUSY: 'Seats are busy',
  BOOKING_BUSY: 'Booking busy',
  TICKET_BUSY: 'Ticket busy',
  DOCUMENT_BUSY: 'Too many changes at once',
  PAYMENT_SESSION_PENDING: 'Checkout not ready',
  PAYMENT_PROVIDER_FAILED: 'Payment provider failed',
  PAYMENT_PROVIDER_UNAVAILABLE: 'Payment provider unavailable',
  REALTIME_UNAVAILABLE: 'Live updates are unavailable',
  // A store timed out, was throttled past its retries or is down (shared/adapters/cosmos/faults.ts),
  // or the health checks found a dependency down.
  DEPENDENCY_UNAVAILABLE: 'Service temporarily unavailable',
} as const;

export type UserErrorCode = keyof typeof USER_ERRORS;
export type SystemErrorCode = keyof typeof SYSTEM_ERRORS;
export type ErrorCode = UserErrorCode | SystemErrorCode;

export const USER_ERROR_CODES = Object.keys(USER_ERRORS) as UserErrorCode[];
export const SYSTEM_ERROR_CODES = Object.keys(SYSTEM_ERRORS) as SystemErrorCode[];

export const isSystemErrorCode = (code: ErrorCode): code is SystemErrorCode => Object.hasOwn(SYSTEM_ERRORS, code);

export function titleOf(code: ErrorCode): string {
  return isSystemErrorCode(code) ? SYSTEM_ERRORS[code] : USER_ERRORS[code];
}

export interface FieldError {
  /** Dotted path of the offending input, e.g. "body.seatIds.3" or "query.date". */
  field: string;
  message: string;
}

export interface ErrorData {
  /** What went wrong this time, for people; the code's title when absent. */
  detail?: string;
  /** Every offending input of a request that is not valid. */
  errors?: FieldError[];
  /** Facts the caller can act on, answered as members of their own (e.g. the taken seats). */
  extra?: Record<string, unknown>;
  /** Seconds after which trying again may succeed. */
  retryAfter?: number;
  /** How to authenticate, for an UNAUTHORIZED error: a WWW-Authenticate challenge. */
  challenge?: string;
  /** The fault behind this error, kept for the logs. */
  cause?: unknown;
}

/** An error with a code from `Code`. Throw a UserError, a SystemError or an area's subclass. */
export abstract class AppError<Code extends ErrorCode = ErrorCode> extends Error {
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  readonly retryAfter?: number;
  readonly challenge?: string;

  constructor(
    readonly code: Code,
    data: ErrorData = {},
  ) {
    super(data.detail ?? titleOf(code), data.cause === undefined ? undefined : { cause: data.cause });
    this.name = new.target.name;
    this.title = titleOf(code);
    this.detail = data.detail;
    this.errors = data.errors;
    this.extra = data.extra;
    this.retryAfter = data.retryAfter;
    this.challenge = data.challenge;
  }

  /** A system error, or a user error that names a time to try again. */
  get retryable(): boolean {
    return isSystemErrorCode(this.code) || this.retryAfter !== undefined;
  }
}

/** The caller can fix it: another request, other input, or waiting for something to finish. */
export class UserError<Code extends UserErrorCode = UserErrorCode> extends AppError<Code> {}

/** A dependency or the app failed; the same request may succeed later. */
export class SystemError<Code extends SystemErrorCode = SystemErrorCode> extends AppError<Code> {}

export const invalidInput = (detail: string, errors?: FieldError[]) =>
  new UserError('VALIDATION_FAILED', { detail, errors });

/** `what` starts the sentence, e.g. "Show shw-1". */
export const notFound = (what: string) => new UserError('NOT_FOUND', { detail: `${what} was not found.` });
