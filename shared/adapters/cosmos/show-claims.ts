// The one-active-booking-per-show claims in Cosmos DB (container `idempotency`, partition key
// /userId): one document `active-show:<showId>` per (user, show) naming the booking that holds it.
// Its loop is not the read-modify-replace one: it starts with an insert, and whether a claim may be
// taken over is an asynchronous question (is that booking still active?).
import type { Container } from '@azure/cosmos';
import type { ShowClaims } from '../../booking/store.js';
import type { Cosmos } from './client.js';
import { createOnce, readDoc, replaceIfMatch } from './documents.js';
import { DocumentContendedError } from '../../ports/documents.js';

const ATTEMPTS = 6;

export function cosmosShowClaims(cosmos: Cosmos): ShowClaims {
  const claims: Container = cosmos.container('idempotency');
  return {
    async claim(userId, showId, bookingId, isActive) {
      const id = `active-show:${showId}`;
      const claim = { id, userId, showId, bookingId };
      for (let i = 0; i < ATTEMPTS; i++) {
        if (await createOnce(claims, claim)) return undefined;
        const current = await readDoc<{ id: string; bookingId: string }>(claims, id, userId);
        if (!current) continue;
        if (current.doc.bookingId === bookingId) return undefined;
        if (await isActive(current.doc.bookingId)) return current.doc.bookingId;
        if (await replaceIfMatch(claims, id, userId, claim, current.etag)) return undefined;
      }
      throw new DocumentContendedError(`the active-booking claim of ${userId} on ${showId}`, ATTEMPTS);
    },
  };
}
