// The queue's order (docs/architecture.md, Waiting room): one sortable key per entry, so a
// show's queue is "entries ordered by key" and the admission cursor is "the last key admitted".
// Everyone who joined before the sale opens gets a random place — a lottery number drawn at join
// and kept secret, so nobody gains by a fast network or an early click (Ticketmaster's Smart Queue
// does the same); later arrivals go to the back in arrival order. The key orders both groups in one
// string comparison: "0:<lottery>" for the early group sorts before every "1:<time>:<lottery>".

/** Hex digits of a lottery number (64 random bits; the caller draws them). */
export const LOTTERY_HEX_DIGITS = 16;

/** Joins after opening sort by time in ms, zero-padded to this width (fits any date before year 5138). */
const TIME_DIGITS = 14;

const LOTTERY = new RegExp(`^[0-9a-f]{${LOTTERY_HEX_DIGITS}}$`);

/**
 * The entry's place in the queue. `lottery` is random hex (LOTTERY_HEX_DIGITS); it decides the
 * order among the early group and breaks ties among arrivals in the same millisecond.
 */
export function orderKey(joinedAtMs: number, opensAtMs: number, lottery: string): string {
  if (!LOTTERY.test(lottery)) throw new Error(`lottery must be ${LOTTERY_HEX_DIGITS} lowercase hex digits`);
  if (joinedAtMs < opensAtMs) return `0:${lottery}`;
  return `1:${String(Math.trunc(joinedAtMs)).padStart(TIME_DIGITS, '0')}:${lottery}`;
}

/** The entry joined before opening (its place was drawn by lot). */
export const isEarlyKey = (key: string): boolean => key.startsWith('0:');

/** Keys sort by plain string comparison (what Cosmos's ORDER BY on a string does). */
export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The highest key the admitter may pass at `now`: arrivals after opening are admitted only once
 * `settleMs` old, so a join still being written (its key already taken from the clock) cannot be
 * overtaken by the cursor and skipped. Before opening + settle nobody is admitted.
 */
export function admissibleBelow(now: number, opensAtMs: number, settleMs: number): string | undefined {
  if (now < opensAtMs + settleMs) return undefined;
  return `1:${String(Math.trunc(now - settleMs)).padStart(TIME_DIGITS, '0')}:`;
}
