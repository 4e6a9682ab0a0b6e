// Ticket verification codes (the QR on a ticket): a keyed MAC over (show, booking, seat), so a
// code cannot be forged, moved to another seat, or used at another show. The code carries the
// booking and seat in the clear, so the door can verify it offline knowing only the show and the
// key: MQT1.<base64url bookingId>.<base64url seatId>.<base64url HMAC-SHA256, 128 bits>.
// Verification accepts several keys so TICKET_SIGNING_KEY can be rotated without voiding tickets.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TicketRef {
  showId: string;
  bookingId: string;
  seatId: string;
}

const PREFIX = 'MQT1';
const MAC_BYTES = 16;

function mac(key: string, ref: TicketRef): Buffer {
  // NUL separators: no id can contain one, so ("ab","c") and ("a","bc") never collide.
  return createHmac('sha256', key)
    .update(`${PREFIX}\0${ref.showId}\0${ref.bookingId}\0${ref.seatId}`, 'utf8')
    .digest()
    .subarray(0, MAC_BYTES);
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

export function issueTicketCode(key: string, ref: TicketRef): string {
  if ([ref.showId, ref.bookingId, ref.seatId].some((v) => !v || v.includes('\0')))
    throw new RangeError('ticket ids must be non-empty and contain no NUL');
  return [PREFIX, b64(ref.bookingId), b64(ref.seatId), mac(key, ref).toString('base64url')].join('.');
}

export type TicketVerification =
  { ok: true; bookingId: string; seatId: string } | { ok: false; reason: 'MALFORMED' | 'INVALID' };

/** Checks `code` for `showId` against any of `keys` (the current key first). Constant-time per key. */
export function verifyTicketCode(keys: readonly string[], showId: string, code: string): TicketVerification {
  const parts = code.trim().split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX || parts.slice(1).some((p) => !/^[A-Za-z0-9_-]+$/.test(p)))
    return { ok: false, reason: 'MALFORMED' };
  const bookingId = Buffer.from(parts[1]!, 'base64url').toString('utf8');
  const seatId = Buffer.from(parts[2]!, 'base64url').toString('utf8');
  const given = Buffer.from(parts[3]!, 'base64url');
  if (given.length !== MAC_BYTES || !bookingId || !seatId) return { ok: false, reason: 'MALFORMED' };
  let matched = false;
  for (const key of keys) matched = timingSafeEqual(mac(key, { showId, bookingId, seatId }), given) || matched;
  return matched ? { ok: true, bookingId, seatId } : { ok: false, reason: 'INVALID' };
}
