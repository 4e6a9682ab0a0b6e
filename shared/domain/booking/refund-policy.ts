// The published cancellation policy as a pure function. Tiers come from settings: by default a
// cancellation at least 24 h before the show gets the ticket price back, 4–24 h gets half, and
// under 4 h is refused with a reason. Convenience fees and the GST on them are never refunded.
// A show can be marked non-refundable. Some seats of a booking may be cancelled and the rest kept.
import { type BasisPoints, type Money, money, percentFloor, sum } from '../money.js';
import { type PriceLine } from './pricing.js';
import type { BookingStatus } from './state-machine.js';

export interface RefundTier {
  /** The tier applies when the show starts at least this many hours after the request. */
  minHoursBefore: number;
  /** Share of the ticket price (with any tax on it) refunded, 10 000 = all of it. */
  refundBp: BasisPoints;
}

export interface RefundPolicy {
  /** Sorted by minHoursBefore, highest first; below the last tier cancelling is refused. */
  tiers: readonly RefundTier[];
}

export function refundPolicy(settings: {
  fullBeforeHours: number;
  partialBeforeHours: number;
  partialBp: BasisPoints;
}): RefundPolicy {
  return {
    tiers: [
      { minHoursBefore: settings.fullBeforeHours, refundBp: 10_000 },
      { minHoursBefore: settings.partialBeforeHours, refundBp: settings.partialBp },
    ].sort((a, b) => b.minHoursBefore - a.minHoursBefore),
  };
}

export const defaultRefundPolicy = refundPolicy({ fullBeforeHours: 24, partialBeforeHours: 4, partialBp: 5000 });

/** What the policy needs to know about a booking. */
export interface RefundableBooking {
  status: BookingStatus;
  currency: string;
  /** ISO-8601 UTC start of the show. */
  showStartsAt: string;
  /** The show was sold as non-refundable. */
  nonRefundable?: boolean;
  /** Lines of the seats the booking still holds (cancelled seats removed). */
  lines: readonly PriceLine[];
}

export type RefundRefusal =
  'NOT_CONFIRMED' | 'NON_REFUNDABLE' | 'SHOW_STARTED' | 'TOO_LATE' | 'NO_SEATS' | 'UNKNOWN_SEAT' | 'DUPLICATE_SEAT';

export interface RefundQuote {
  ok: true;
  tier: RefundTier;
  seatIds: string[];
  /** The amount to refund. */
  refund: Money;
  /** Ticket price (and tax on it) of the cancelled seats, before the tier's share. */
  ticketValue: Money;
  /** Fees and fee GST of the cancelled seats, which are kept. */
  feesKept: Money;
  /** Lines that stay booked; empty when the whole booking is cancelled. */
  remaining: PriceLine[];
  whole: boolean;
}

export type RefundResult = RefundQuote | { ok: false; code: RefundRefusal; detail: string };

const HOUR_MS = 3_600_000;

/** Quotes cancelling `seatIds` of `booking` at `now`. Boundaries are inclusive: exactly 24 h is full. */
export function quoteRefund(
  booking: RefundableBooking,
  seatIds: readonly string[],
  now: Date,
  policy: RefundPolicy,
): RefundResult {
  if (booking.status !== 'confirmed')
    return refuse('NOT_CONFIRMED', `Only a confirmed booking can be cancelled; this one is ${booking.status}.`);
  if (booking.nonRefundable)
    return refuse('NON_REFUNDABLE', 'Tickets for this show are non-refundable and cannot be cancelled.');
  if (seatIds.length === 0) return refuse('NO_SEATS', 'Name at least one seat to cancel.');
  if (new Set(seatIds).size !== seatIds.length) return refuse('DUPLICATE_SEAT', 'A seat is named twice.');
  const byId = new Map(booking.lines.map((l) => [l.seatId, l]));
  const unknown = seatIds.filter((id) => !byId.has(id));
  if (unknown.length) return refuse('UNKNOWN_SEAT', `These seats are not part of the booking: ${unknown.join(', ')}.`);

  const msBefore = Date.parse(booking.showStartsAt) - now.getTime();
  if (msBefore <= 0) return refuse('SHOW_STARTED', 'The show has already started.');
  const tier = policy.tiers.find((t) => msBefore >= t.minHoursBefore * HOUR_MS);
  if (!tier) {
    const last = policy.tiers[policy.tiers.length - 1];
    return refuse('TOO_LATE', `Bookings can be cancelled up to ${last?.minHoursBefore ?? 0} hours before the show.`);
  }

  const c = booking.currency;
  const chosen = new Set(seatIds);
  const cancelled = booking.lines.filter((l) => chosen.has(l.seatId));
  const ticketValue = sum(
    c,
    cancelled.flatMap((l) => [l.ticket, l.ticketTax]),
  );
  const feesKept = sum(
    c,
    cancelled.flatMap((l) => [l.fee, l.feeTax]),
  );
  const remaining = booking.lines.filter((l) => !chosen.has(l.seatId));
  return {
    ok: true,
    tier,
    seatIds: cancelled.map((l) => l.seatId),
    refund: money(percentFloor(ticketValue.minor, tier.refundBp), c),
    ticketValue,
    feesKept,
    remaining,
    whole: remaining.length === 0,
  };
}

const refuse = (code: RefundRefusal, detail: string): RefundResult => ({ ok: false, code, detail });
