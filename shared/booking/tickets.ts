// Tickets: one per confirmed seat, with a keyed MAC verification code (shared/booking/ticket-codes.ts). Issuing
// is idempotent (the ticket id is (booking, seat) and a create conflict keeps the first). At the
// door an operator verifies a code and marks the ticket used with a conditional write, so of two
// scans racing at two gates exactly one is admitted; the second is refused with 409.
import type { TicketDoc, TicketStore } from './store.js';
import type { SecretSource } from '../ports/secrets.js';
import { DocumentContendedError } from '../ports/documents.js';
import { issueTicketCode, verifyTicketCode } from './ticket-codes.js';
import { invalidInput, notFound, SystemError, UserError } from '../errors.js';
import type { BookingDoc } from './model.js';

export const ticketId = (bookingId: string, seatId: string) => `${bookingId}:${seatId}`;

export class TicketIssuer {
  constructor(
    private readonly store: TicketStore,
    private readonly secrets: SecretSource,
    private readonly clock: () => number,
  ) {}

  async issue(doc: BookingDoc): Promise<void> {
    const key = await this.secrets.get('TICKET_SIGNING_KEY');
    const issuedAt = new Date(this.clock()).toISOString();
    await Promise.all(
      doc.lines.map((line) =>
        this.store.put({
          id: ticketId(doc.id, line.seatId),
          showId: doc.showId,
          bookingId: doc.id,
          userId: doc.userId,
          seatId: line.seatId,
          category: line.category,
          code: issueTicketCode(key, { showId: doc.showId, bookingId: doc.id, seatId: line.seatId }),
          status: 'valid',
          issuedAt,
        }),
      ),
    );
  }

  /** Cancelled seats' tickets stop admitting anyone. */
  async void(doc: BookingDoc, seatIds: readonly string[]): Promise<void> {
    await Promise.all(
      seatIds.map((seatId) =>
        this.store.mutate(doc.showId, ticketId(doc.id, seatId), (t) =>
          t.status === 'valid' ? { ...t, status: 'void' } : undefined,
        ),
      ),
    );
  }

  async list(doc: BookingDoc): Promise<TicketDoc[]> {
    const all = await this.store.ofBooking(doc.showId, doc.id);
    return all.sort((a, b) => a.seatId.localeCompare(b.seatId, 'en', { numeric: true }));
  }

  /** Verifies `code` for `showId` and marks the ticket used; 409 when it was used (or voided). */
  async admit(showId: string, code: string, operatorId: string): Promise<TicketDoc> {
    const key = await this.secrets.get('TICKET_SIGNING_KEY');
    const v = verifyTicketCode([key], showId, code);
    if (!v.ok) {
      if (v.reason === 'MALFORMED')
        throw invalidInput('The code is not a Marquee ticket code.', [{ field: 'body.code', message: 'malformed' }]);
      throw new UserError('TICKET_INVALID', { detail: 'This code is not valid for this show.' });
    }
    const usedAt = new Date(this.clock()).toISOString();
    // The refusals are decided on the copy the write is conditional on, so of two racing scans the
    // loser re-reads and sees the ticket used.
    const admitOnce = (t: TicketDoc): TicketDoc => {
      if (t.status === 'used')
        throw new UserError('TICKET_ALREADY_USED', {
          detail: `This ticket was already scanned at ${t.usedAt}.`,
          extra: { usedAt: t.usedAt, seatId: t.seatId },
        });
      if (t.status === 'void')
        throw new UserError('TICKET_VOID', { detail: 'This ticket was cancelled.', extra: { seatId: t.seatId } });
      return { ...t, status: 'used', usedAt, usedBy: operatorId };
    };
    try {
      const used = await this.store.mutate(showId, ticketId(v.bookingId, v.seatId), admitOnce);
      if (!used) throw notFound(`Ticket for seat ${v.seatId}`);
      return used;
    } catch (err) {
      if (!(err instanceof DocumentContendedError)) throw err;
      throw new SystemError('TICKET_BUSY', {
        detail: 'The ticket is being scanned elsewhere.',
        retryAfter: 1,
        cause: err,
      });
    }
  }
}
