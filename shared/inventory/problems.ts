// Turns an inventory refusal into the error the HTTP edge answers with (the saga keeps the refusal
// itself as the booking's failure). A refusal's code, detail and seats become the answer's own.
import { invalidInput, notFound, UserError, type UserErrorCode } from '../errors.js';
import type { SeatRefusal } from './refusal.js';

/** `extra`: more members for the answer, e.g. the refused booking's id. */
export function refusalError(
  refusal: { code: UserErrorCode; detail: string; seats: string[] },
  extra?: Record<string, unknown>,
): UserError {
  return new UserError(refusal.code, { detail: refusal.detail, extra: { seats: refusal.seats, ...extra } });
}

/**
 * For a request that named the seats itself: a missing show is a 404 and seats that are not valid
 * are a 400 on `field` (the request member with the seat ids, e.g. "body.seatIds").
 */
export function inventoryProblem(failure: SeatRefusal, field: string): UserError {
  switch (failure.code) {
    case 'SHOW_NOT_FOUND':
      return notFound('The show');
    case 'INVALID_SEATS':
      return invalidInput(failure.detail, [{ field, message: failure.detail }]);
    case 'SHOW_NOT_ON_SALE':
    case 'HOLD_NOT_FOUND':
      // Not about particular seats: the answer names none (a booking's refusal always lists them).
      return new UserError(failure.code, { detail: failure.detail });
    default:
      return refusalError(failure);
  }
}
