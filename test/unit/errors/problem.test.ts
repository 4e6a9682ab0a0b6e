import { describe, expect, it } from 'vitest';
import {
  SYSTEM_ERROR_CODES,
  SystemError,
  USER_ERROR_CODES,
  UserError,
  type AppError,
  type ErrorCode,
} from '../../../shared/errors.js';
import { internalErrorResponse, problemResponse, statusOf } from '../../../shared/http/problem.js';
import { PaymentError } from '../../../shared/ports/payments.js';
import { RealtimeError } from '../../../shared/ports/realtime.js';
import { refusal, refusalWith } from '../../../shared/inventory/refusal.js';
import { inventoryProblem, refusalError } from '../../../shared/inventory/problems.js';

// The public statuses, pinned: a new code fails to compile here until it has one, and a changed
// status fails the test (clients and the end-to-end tests depend on them).
const PUBLIC_STATUS = {
  VALIDATION_FAILED: 400,
  WEBHOOK_SIGNATURE_INVALID: 400,
  WEBHOOK_TIMESTAMP_STALE: 400,
  WEBHOOK_PAYLOAD_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  HOLD_NOT_FOUND: 404,
  PAYMENT_NOT_FOUND: 404,
  SEATS_UNAVAILABLE: 409,
  NOT_ENOUGH_SEATS: 409,
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
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_CONFLICT: 422,
  TICKET_INVALID: 422,
  PAYMENT_REQUEST_REFUSED: 422,
  RATE_LIMITED: 429,
  // The waiting room: a booking without a good admission is forbidden, not a conflict.
  ADMISSION_REQUIRED: 403,
  ADMISSION_INVALID: 403,
  ADMISSION_EXPIRED: 403,
  ADMISSION_USED: 403,
  QUEUE_TICKET_INVALID: 403,
  WAITING_ROOM_CLOSED: 409,
  TICKET_LIMIT_REACHED: 409,
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
} as const satisfies Record<ErrorCode, number>;

function answer(error: AppError, instance?: string) {
  const res = problemResponse(error, instance);
  return {
    status: res.status,
    headers: res.headers as Record<string, string>,
    body: JSON.parse(res.body as string) as Record<string, unknown>,
  };
}

describe('errors → problem+json', () => {
  const codes: ErrorCode[] = [...USER_ERROR_CODES, ...SYSTEM_ERROR_CODES];

  it('lists every code once, each either a user or a system error', () => {
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.sort()).toEqual(Object.keys(PUBLIC_STATUS).sort());
  });

  it.each(codes)('%s answers its status with a problem+json body', (code) => {
    expect(statusOf(code)).toBe(PUBLIC_STATUS[code]);
    const error = USER_ERROR_CODES.includes(code as never)
      ? new UserError(code as (typeof USER_ERROR_CODES)[number], { detail: 'What happened.' })
      : new SystemError(code as (typeof SYSTEM_ERROR_CODES)[number], { detail: 'What happened.' });
    const { status, headers, body } = answer(error, '/api/x');
    expect(status).toBe(PUBLIC_STATUS[code]);
    expect(headers['content-type']).toBe('application/problem+json');
    expect(body).toEqual({
      type: `https://marquee.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      title: error.title,
      status,
      detail: 'What happened.',
      code,
      retryable: error.retryable,
      instance: '/api/x',
    });
    expect(error.title).toMatch(/^[A-Z]/);
  });

  it('answers user errors with 4xx and system errors with 5xx, system errors retryable', () => {
    for (const code of USER_ERROR_CODES) {
      expect(statusOf(code), code).toBeGreaterThanOrEqual(400);
      expect(statusOf(code), code).toBeLessThan(500);
      expect(new UserError(code).retryable, code).toBe(false);
    }
    for (const code of SYSTEM_ERROR_CODES) {
      expect(statusOf(code), code).toBeGreaterThanOrEqual(500);
      expect(new SystemError(code).retryable, code).toBe(true);
    }
  });

  it('uses the title as the detail when there is none, and carries field errors, members and headers', () => {
    const error = new UserError('REQUEST_IN_PROGRESS', { extra: { bookingId: 'bk-1' }, retryAfter: 1 });
    const { headers, body } = answer(error);
    expect(body).toMatchObject({ detail: 'Request in progress', retryable: true, bookingId: 'bk-1' });
    expect(body).not.toHaveProperty('instance');
    expect(headers['retry-after']).toBe('1');

    const invalid = answer(
      new UserError('VALIDATION_FAILED', { detail: 'Bad.', errors: [{ field: 'body.x', message: 'required' }] }),
    );
    expect(invalid.body.errors).toEqual([{ field: 'body.x', message: 'required' }]);

    const challenged = answer(new UserError('UNAUTHORIZED', { challenge: 'Bearer' }));
    expect(challenged.status).toBe(401);
    expect(challenged.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers unexpected faults with the generic 500 apology', () => {
    const res = internalErrorResponse('/api/x');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body as string)).toEqual({
      type: 'https://marquee.dev/problems/internal',
      title: 'Something went wrong',
      status: 500,
      detail: 'An unexpected error occurred. It has been logged.',
      code: 'INTERNAL',
      retryable: true,
      instance: '/api/x',
    });
  });
});

describe('error causes', () => {
  it('keeps the cause natively and leaves it out of the answer', () => {
    const fault = new Error('socket hang up');
    const error = new SystemError('INVENTORY_BUSY', { detail: 'Busy.', cause: fault });
    expect(error.cause).toBe(fault);
    expect(Object.keys(error)).not.toContain('cause');
    expect(JSON.stringify(answer(error).body)).not.toContain('socket hang up');
    expect(new UserError('NOT_FOUND')).not.toHaveProperty('cause');
  });

  it('keeps the cause of the ports’ errors, which carry their code but no status', () => {
    const fault = new Error('ECONNRESET');
    const realtime = new RealtimeError('Web PubSub sendToGroup failed', { cause: fault });
    expect(realtime).toMatchObject({ name: 'RealtimeError', code: 'REALTIME_UNAVAILABLE', retryAfter: 1 });
    expect(realtime.cause).toBe(fault);
    expect(realtime).not.toHaveProperty('status');
    expect(answer(realtime).status).toBe(503);

    const payment = new PaymentError('PAYMENT_PROVIDER_FAILED', 'Gave up.', { cause: fault });
    expect(payment).toMatchObject({ name: 'PaymentError', retryable: true, message: 'Gave up.' });
    expect(payment.cause).toBe(fault);
    expect(new PaymentError('WEBHOOK_SIGNATURE_INVALID', 'Forged.').retryable).toBe(false);
    expect(answer(new PaymentError('WEBHOOK_SIGNATURE_INVALID', 'Forged.')).status).toBe(400);
  });
});

describe('inventory refusals → 409', () => {
  it('answers a booking refused at its hold with the refusal as the problem’s members', () => {
    const { status, body } = answer(
      refusalError(refusal('SEATS_UNAVAILABLE', ['B9']), { bookingId: 'bk-1' }),
      '/api/bookings',
    );
    expect(status).toBe(409);
    expect(body).toEqual({
      type: 'https://marquee.dev/problems/seats-unavailable',
      title: 'Seats unavailable',
      status: 409,
      detail: 'These seats are not available: B9.',
      code: 'SEATS_UNAVAILABLE',
      retryable: false,
      instance: '/api/bookings',
      seats: ['B9'],
      bookingId: 'bk-1',
    });
  });

  it('answers a refused seat request the same way, without a booking', () => {
    const { status, body } = answer(inventoryProblem(refusal('SEATS_UNAVAILABLE', ['A1', 'A2']), 'body.seatIds'));
    expect(status).toBe(409);
    expect(body).toMatchObject({
      code: 'SEATS_UNAVAILABLE',
      detail: 'These seats are not available: A1, A2.',
      seats: ['A1', 'A2'],
    });
    expect(body).not.toHaveProperty('bookingId');
  });

  it('answers a missing show with 404 and seats that are not valid with 400 on the request field', () => {
    expect(answer(inventoryProblem(refusal('SHOW_NOT_FOUND'), 'body.seatIds')).body).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      detail: 'The show was not found.',
    });
    const invalid = answer(
      inventoryProblem(refusalWith('INVALID_SEATS', 'duplicate seats: A1', ['A1']), 'body.seatIds'),
    );
    expect(invalid.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'duplicate seats: A1',
      errors: [{ field: 'body.seatIds', message: 'duplicate seats: A1' }],
    });
  });

  it('names no seats when the refusal is not about particular seats (show off sale, unknown hold)', () => {
    const offSale = answer(
      inventoryProblem(refusalWith('SHOW_NOT_ON_SALE', 'The show was cancelled.'), 'body.seatIds'),
    );
    expect(offSale).toMatchObject({
      status: 409,
      body: { code: 'SHOW_NOT_ON_SALE', detail: 'The show was cancelled.' },
    });
    expect(offSale.body).not.toHaveProperty('seats');
    const noHold = answer(inventoryProblem(refusal('HOLD_NOT_FOUND'), 'body.holdId'));
    expect(noHold).toMatchObject({
      status: 404,
      body: { code: 'HOLD_NOT_FOUND', detail: 'No such hold on this show.' },
    });
    expect(noHold.body).not.toHaveProperty('seats');
  });
});
