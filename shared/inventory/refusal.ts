// Why the inventory did not hold, confirm or change seats, in one shape all the way out: the booking
// saga stores it as the booking's failure, and the HTTP answer carries its code, detail and seats.

export type SeatRefusalCode =
  'SHOW_NOT_FOUND' | 'SHOW_NOT_ON_SALE' | 'INVALID_SEATS' | 'SEATS_UNAVAILABLE' | 'HOLD_EXPIRED' | 'HOLD_NOT_FOUND';

export interface SeatRefusal<Code extends SeatRefusalCode = SeatRefusalCode> {
  ok: false;
  code: Code;
  /** For people: why, naming the seats when they are the reason. */
  detail: string;
  /** The seats that caused the refusal, in request order; empty when no seat did. */
  seats: string[];
}

/** The one wording of "seats unavailable", wherever it is said. */
export const seatsUnavailable = (seats: readonly string[]): string =>
  seats.length ? `These seats are not available: ${seats.join(', ')}.` : 'The seats are not available.';

const DETAIL: Record<
  'SHOW_NOT_FOUND' | 'SEATS_UNAVAILABLE' | 'HOLD_EXPIRED' | 'HOLD_NOT_FOUND',
  (seats: string[]) => string
> = {
  SHOW_NOT_FOUND: () => 'The show was not found.',
  SEATS_UNAVAILABLE: seatsUnavailable,
  HOLD_EXPIRED: () => 'The hold expired and its seats were released.',
  HOLD_NOT_FOUND: () => 'No such hold on this show.',
};

/** A refusal with its standard detail. */
export function refusal<Code extends keyof typeof DETAIL>(code: Code, seats: string[] = []): SeatRefusal<Code> {
  return { ok: false, code, detail: DETAIL[code](seats), seats };
}

/** A refusal whose detail depends on the case (why the show is off sale, what is wrong with the seats). */
export function refusalWith<Code extends 'SHOW_NOT_ON_SALE' | 'INVALID_SEATS'>(
  code: Code,
  detail: string,
  seats: string[] = [],
): SeatRefusal<Code> {
  return { ok: false, code, detail, seats };
}
