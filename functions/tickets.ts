// POST /api/tickets/verify (operator, at the door): {showId, code} → the ticket, marked used. A second
// scan of the same ticket is 409 TICKET_ALREADY_USED; a code for another show or a forged one is 422.
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { parseBody } from '../shared/http/validate.js';
import { TicketVerifyBodySchema as VerifySchema } from '../shared/booking/api-schemas.js';

app.http('tickets-verify', {
  route: 'tickets/verify',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const operator = await s.auth.require(req, 'operator');
    const { showId, code } = await parseBody(req, VerifySchema);
    const t = await s.tickets.admit(showId, code, operator.userId);
    return json(200, {
      admitted: true,
      showId: t.showId,
      bookingId: t.bookingId,
      seatId: t.seatId,
      category: t.category,
      usedAt: t.usedAt,
    });
  }),
});
