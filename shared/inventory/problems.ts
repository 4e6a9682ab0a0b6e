// Maps inventory outcomes to problem+json for the HTTP edge (the saga maps them its own way).
import type { InventoryFailure } from './service.js';
import { AppError, badRequest, conflict, notFound } from '../http/problem.js';

/** `field` names the request member that carried the seat ids, e.g. "body.seatIds". */
export function inventoryProblem(failure: InventoryFailure, field: string): AppError {
  switch (failure.reason) {
    case 'SHOW_NOT_FOUND':
      return notFound('The show');
    case 'SHOW_NOT_ON_SALE':
      return conflict('SHOW_NOT_ON_SALE', failure.detail);
    case 'INVALID_SEATS':
      return badRequest(failure.message, [{ field, message: failure.message }]);
    case 'SEATS_UNAVAILABLE':
      return conflict('SEATS_UNAVAILABLE', `These seats are not available: ${failure.seats.join(', ')}.`, {
        seats: failure.seats,
      });
    case 'HOLD_EXPIRED':
      return conflict('HOLD_EXPIRED', 'The hold expired and its seats were released.', { seats: failure.seats });
    case 'HOLD_NOT_FOUND':
      return new AppError(404, 'HOLD_NOT_FOUND', 'Not found', { detail: 'No such hold on this show.' });
  }
}
