// Payment id → the booking it settles, in Cosmos DB (container `settlements`, partition key /id):
// one document per provider payment id, created once. The create is the whole guard: of two
// bookings claiming one payment, exactly one insert succeeds and the other reads the winner.
import type { Settlement, Settlements } from '../../booking/store.js';
import type { Cosmos } from './client.js';
import { createOnce, readDoc } from './documents.js';

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
  };
}
