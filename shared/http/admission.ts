// The booking path's side of the waiting room (docs/architecture.md, Waiting room): the
// Admission-Token header, and which hold outcomes count as pressure for the admitter's slow-down.
import { AppError, invalidInput } from '../errors.js';
import { AdmissionTokenSchema } from '../waiting-room/api-schemas.js';

/** The Admission-Token header of a booking request: absent, or a compact JWT. */
export function admissionTokenOf(headers: { get(name: string): string | null }): string | undefined {
  const token = headers.get('admission-token');
  if (token === null) return undefined;
  if (!AdmissionTokenSchema.safeParse(token).success)
    throw invalidInput('The Admission-Token header must be the admission token from your queue status.', [
      { field: 'headers.admission-token', message: 'invalid' },
    ]);
  return token;
}

/** A booking's hold outcome, for the admitter's slow-down (docs/architecture.md, Waiting room). */
export function outcomeOf(err: unknown): 'conflict' | 'busy' | undefined {
  if (!(err instanceof AppError)) return undefined;
  const code: string = err.code;
  if (code === 'SEATS_UNAVAILABLE' || code === 'NOT_ENOUGH_SEATS') return 'conflict';
  if (code === 'INVENTORY_BUSY' || code === 'DEPENDENCY_UNAVAILABLE' || code === 'DOCUMENT_BUSY') return 'busy';
  return undefined;
}
