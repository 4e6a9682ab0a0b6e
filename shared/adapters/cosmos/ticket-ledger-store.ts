// The per-user ticket ledgers of hot sales in Cosmos DB (container `idempotency`, partition key
// /userId, id `ticket-ledger:<saleId>`; docs/architecture.md, Waiting room), next to the user's
// one-active-booking claims: a user's bookings of a sale are judged in the user's own partition,
// never in the show's hot one. Writes are a create or an ETag-conditional replace; the loop that
// retries a lost write is the use-case's (shared/waiting-room/ledger.ts), which re-judges the cap.
import type { Container } from '@azure/cosmos';
import type { Cosmos } from './client.js';
import { createOnce, readDoc, replaceIfMatch } from './documents.js';
import { ledgerIdOf, type LedgerDoc, type TicketLedgers } from '../../waiting-room/ports.js';

export function cosmosTicketLedgers(cosmos: Cosmos): TicketLedgers {
  const c: Container = cosmos.container('idempotency');
  return {
    read(userId, saleId) {
      return readDoc<LedgerDoc>(c, ledgerIdOf(saleId), userId);
    },
    async save(doc, etag) {
      if (etag === undefined) return !!(await createOnce(c, doc));
      return !!(await replaceIfMatch(c, doc.id, doc.userId, doc, etag));
    },
  };
}
