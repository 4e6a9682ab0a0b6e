// Ticket admission at the door (shared/booking/tickets.ts), over an in-memory TicketStore (the Cosmos
// adapter's own behaviour is the contract suite's, test/contracts): a valid code is admitted once,
// a used or voided ticket is refused with its reason, and a scan that keeps losing the conditional
// write answers the retryable TICKET_BUSY rather than a generic failure.
import { describe, expect, it } from 'vitest';
import { TicketIssuer, ticketId } from '../../../shared/booking/tickets.js';
import type { TicketDoc, TicketStore } from '../../../shared/booking/store.js';
import { issueTicketCode } from '../../../shared/booking/ticket-codes.js';
import { DocumentContendedError } from '../../../shared/ports/documents.js';
import type { SecretSource } from '../../../shared/ports/secrets.js';

const KEY = 'k'.repeat(32);
const secrets: SecretSource = { get: async () => KEY };
const NOW = Date.parse('2030-01-01T18:00:00Z');

function memoryStore(contended = false): TicketStore & { docs: Map<string, TicketDoc> } {
  const docs = new Map<string, TicketDoc>();
  return {
    docs,
    async put(t) {
      if (!docs.has(t.id)) docs.set(t.id, t);
    },
    async ofBooking(showId, bookingId) {
      return [...docs.values()].filter((t) => t.showId === showId && t.bookingId === bookingId);
    },
    async read(_showId, id) {
      const doc = docs.get(id);
      return doc && { doc, etag: 'e' };
    },
    async mutate(_showId, id, fn) {
      const doc = docs.get(id);
      if (!doc) return undefined;
      if (contended) throw new DocumentContendedError(id, 12);
      const next = fn(doc);
      if (next) docs.set(id, next);
      return next ?? doc;
    },
  };
}

function ticket(status: TicketDoc['status'] = 'valid'): { doc: TicketDoc; code: string } {
  const ref = { showId: 'show-1', bookingId: 'bk-1', seatId: 'F7' };
  const code = issueTicketCode(KEY, ref);
  const doc: TicketDoc = {
    ...ref,
    id: ticketId(ref.bookingId, ref.seatId),
    userId: 'asha',
    category: 'prime',
    code,
    status,
    issuedAt: '2030-01-01T10:00:00.000Z',
  };
  return { doc, code };
}

describe('TicketIssuer.admit', () => {
  it('admits a valid code once, recording who and when; the second scan is refused as used', async () => {
    const store = memoryStore();
    const { doc, code } = ticket();
    await store.put(doc);
    const issuer = new TicketIssuer(store, secrets, () => NOW);
    const admitted = await issuer.admit('show-1', code, 'gate-1');
    expect(admitted).toMatchObject({ status: 'used', usedBy: 'gate-1', usedAt: '2030-01-01T18:00:00.000Z' });
    await expect(issuer.admit('show-1', code, 'gate-2')).rejects.toMatchObject({
      code: 'TICKET_ALREADY_USED',
      extra: { usedAt: '2030-01-01T18:00:00.000Z', seatId: 'F7' },
    });
    expect(store.docs.get(doc.id)?.usedBy).toBe('gate-1');
  });

  it('refuses a voided ticket, an unknown ticket, and a code for another show', async () => {
    const store = memoryStore();
    const voided = ticket('void');
    await store.put(voided.doc);
    const issuer = new TicketIssuer(store, secrets, () => NOW);
    await expect(issuer.admit('show-1', voided.code, 'gate-1')).rejects.toMatchObject({ code: 'TICKET_VOID' });
    await expect(issuer.admit('show-1', voided.code.replace('MQT1.', 'MQT1.x'), 'g')).rejects.toMatchObject({
      code: 'TICKET_INVALID',
    });
    await expect(issuer.admit('show-2', voided.code, 'gate-1')).rejects.toMatchObject({ code: 'TICKET_INVALID' });
    store.docs.clear();
    await expect(issuer.admit('show-1', voided.code, 'gate-1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers TICKET_BUSY, retryable with the cause kept, when the write stays contended', async () => {
    const store = memoryStore(true);
    const { doc, code } = ticket();
    await store.put(doc);
    const err = await new TicketIssuer(store, secrets, () => NOW).admit('show-1', code, 'gate-1').catch((e) => e);
    expect(err).toMatchObject({ code: 'TICKET_BUSY', retryAfter: 1, retryable: true });
    expect(err.cause).toBeInstanceOf(DocumentContendedError);
    expect(store.docs.get(doc.id)?.status).toBe('valid');
  });
});
