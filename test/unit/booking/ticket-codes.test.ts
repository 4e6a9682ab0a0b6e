import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { issueTicketCode, verifyTicketCode } from '../../../shared/booking/ticket-codes.js';

const key = 'k'.repeat(43);
const ref = { showId: 'show-1', bookingId: 'bk_42', seatId: 'F7' };

describe('ticket codes', () => {
  it('verify for the show they were issued for and name the booking and seat', () => {
    const code = issueTicketCode(key, ref);
    expect(code).toMatch(/^MQT1\./);
    expect(verifyTicketCode([key], 'show-1', code)).toEqual({ ok: true, bookingId: 'bk_42', seatId: 'F7' });
  });

  it('fail for another show, another key, or a moved seat', () => {
    const code = issueTicketCode(key, ref);
    expect(verifyTicketCode([key], 'show-2', code)).toEqual({ ok: false, reason: 'INVALID' });
    expect(verifyTicketCode(['other'.repeat(9)], 'show-1', code)).toEqual({ ok: false, reason: 'INVALID' });
    const parts = code.split('.');
    parts[2] = Buffer.from('F8').toString('base64url');
    expect(verifyTicketCode([key], 'show-1', parts.join('.'))).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('reject malformed codes', () => {
    for (const bad of [
      '',
      'MQT1',
      'MQT1.a.b',
      'XXX1.YQ.Rg.AAAAAAAAAAAAAAAAAAAAAA',
      `MQT1.YQ.Rg.${'A'.repeat(10)}`,
      'MQT1.YQ.Rg.!!!!',
    ]) {
      expect(verifyTicketCode([key], 'show-1', bad)).toEqual({ ok: false, reason: 'MALFORMED' });
    }
  });

  it('still verify after a key rotation when the old key is kept for verifying', () => {
    const code = issueTicketCode(key, ref);
    expect(verifyTicketCode(['n'.repeat(43), key], 'show-1', code).ok).toBe(true);
  });

  it('round-trip any ids and never verify with a different seat (property)', () => {
    const id = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(id, id, id, id, (showId, bookingId, seatId, otherSeat) => {
        const code = issueTicketCode(key, { showId, bookingId, seatId });
        const ok = verifyTicketCode([key], showId, code);
        if (!(ok.ok && ok.bookingId === bookingId && ok.seatId === seatId)) return false;
        if (otherSeat === seatId) return true;
        const forged = issueTicketCode('x'.repeat(43), { showId, bookingId, seatId: otherSeat });
        return !verifyTicketCode([key], showId, forged).ok;
      }),
    );
  });
});
