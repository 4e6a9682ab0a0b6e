// The seat vocabulary of the API, shared by the server and the browser. The availability string
// (GET /api/shows/{id}/seats, encoding seat-state-v1, docs/seat-map.md) and the live seat messages
// (docs/realtime.md) carry one code per seat: '0' free, '1' unavailable (held or booked; the
// public map does not say whose), '2' blocked by the operator.

export const FREE = '0';
export const UNAVAILABLE = '1';
export const BLOCKED = '2';

export type SeatCode = typeof FREE | typeof UNAVAILABLE | typeof BLOCKED;

export const isSeatCode = (code: string): code is SeatCode => code === FREE || code === UNAVAILABLE || code === BLOCKED;

/** The most seats one booking holds: the server refuses more, the seat picker stops there. */
export const MAX_SEATS_PER_HOLD = 10;
