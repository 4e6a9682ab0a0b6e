// Issued tickets in Cosmos DB (container `tickets`, partition key /showId, the door scans by show),
// one document `<bookingId>:<seatId>` per ticket.
import type { TicketDoc, TicketStore } from '../../booking/store.js';
import type { Cosmos } from './client.js';
import { conditionalReplace } from './conditional-replace.js';
import { createOnce, queryDocs, readDoc } from './documents.js';

export function cosmosTicketStore(cosmos: Cosmos): TicketStore {
  const tickets = cosmos.container('tickets');
  return {
    async put(ticket) {
      // Issued before (the activity ran twice): the first issue stands, a used ticket stays used.
      await createOnce(tickets, ticket);
    },
    ofBooking(showId, bookingId) {
      return queryDocs<TicketDoc>(tickets, 'SELECT * FROM c WHERE c.showId = @s AND c.bookingId = @b', [
        { name: '@s', value: showId },
        { name: '@b', value: bookingId },
      ]);
    },
    read(showId, id) {
      return readDoc<TicketDoc>(tickets, id, showId);
    },
    async mutate(showId, id, fn) {
      return (await conditionalReplace<TicketDoc>(tickets, id, showId, fn))?.doc;
    },
  };
}
