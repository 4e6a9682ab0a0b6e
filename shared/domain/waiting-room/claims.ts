// What an admission token must say before a booking may use it (docs/architecture.md, Waiting
// room). The signature is checked by shared/waiting-room/tokens.ts; these rules compare the signed
// claims with the request and with the committed cursor, so a token is good only for its own user
// and show, only while the cursor says that entry's admission is open.
import type { EntryState } from './admission.js';

export interface AdmissionClaims {
  userId: string;
  showId: string;
  /** The queue entry's key. */
  key: string;
}

export type AdmissionRefusalCode = 'ADMISSION_REQUIRED' | 'ADMISSION_INVALID' | 'ADMISSION_EXPIRED';

export type AdmissionCheck =
  { ok: true; expiresAt: number } | { ok: false; code: AdmissionRefusalCode; detail: string };

export function checkAdmission(
  claims: AdmissionClaims | undefined,
  request: { userId: string; showId: string },
  committed: EntryState | undefined,
): AdmissionCheck {
  if (!claims) return { ok: false, code: 'ADMISSION_REQUIRED', detail: 'This show is sold through its waiting room.' };
  if (claims.showId !== request.showId)
    return { ok: false, code: 'ADMISSION_INVALID', detail: 'The admission token is for another show.' };
  if (claims.userId !== request.userId)
    return { ok: false, code: 'ADMISSION_INVALID', detail: 'The admission token belongs to another user.' };
  if (!committed || committed.state === 'waiting')
    return { ok: false, code: 'ADMISSION_INVALID', detail: 'This queue place has not been admitted.' };
  if (committed.state === 'expired')
    return { ok: false, code: 'ADMISSION_EXPIRED', detail: 'The admission has expired; join the queue again.' };
  return { ok: true, expiresAt: committed.expiresAt };
}

/** Seats the user may still book under a per-user cap (undefined: no cap). */
export function seatsLeft(cap: number | undefined, alreadyHeldOrBought: number): number {
  return cap === undefined ? Number.POSITIVE_INFINITY : Math.max(0, cap - alreadyHeldOrBought);
}
