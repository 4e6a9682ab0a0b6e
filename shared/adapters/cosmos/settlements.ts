// Payment id → the booking it settles, in Cosmos DB (container `settlements`, partition key /id):
// one document per provider payment id, created once. The create is the whole guard: of two
// bookings claiming one payment, exactly one insert succeeds and the other reads the winner.
// A refund marks the claim (refundingAt) with a replace under its ETag, so the mark is never lost to a
// concurrent write of the same claim.
import type { Settlement, Settlements } from '../../booking/store.js';
import type { Cosmos } from './client.js';
import { clean, createOnce, readDoc, replaceIfMatch } from './documents.js';

const MARK_ATTEMPTS = 5;

export function cosmosSettlements(cosmos: Cosmos): Settlements {
  const container = cosmos.container('settlements');
  const get = async (paymentId: string) => (await readDoc<Settlement>(container, paymentId, paymentId))?.doc;
  return {
    get,
    async claim(s) {
      if (await createOnce(container, s)) return s;
      const standing = await get(s.id);
      if (!standing) throw new Error(`settlement ${s.id} exists but cannot be read`);
      return standing;
    },
    async markRefunding(paymentId, at) {
      for (let i = 0; i < MARK_ATTEMPTS; i++) {
        const stored = await readDoc<Settlement>(container, paymentId, paymentId);
        if (!stored) return undefined;
        if (stored.doc.refundingAt) return stored.doc;
        const written = await replaceIfMatch(
          container,
          paymentId,
          paymentId,
          { ...stored.doc, refundingAt: at },
          stored.etag,
        );
        if (written) return clean<Settlement>(written);
      }
      throw new Error(`settlement ${paymentId} stayed contended while marking its refund`);
    },
  };
}
