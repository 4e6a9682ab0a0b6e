// Cancellation and refunds (docs/architecture.md, Sagas). The policy is the pure quoteRefund (shared/domain/booking):
// ≥24 h the ticket price back, 4–24 h half, under 4 h refused with the reason; fees are kept.
// A request is checked and recorded here (booking → cancelling, with the quote), then the
// cancellationSaga refunds (retried with backoff), releases the seats, and records the outcome.
// A refund that keeps failing ends `refund_failed`; an operator retry runs the saga again with the
// same refund idempotency key, so the provider never pays twice.
import { breakdownOf, quoteRefund, type RefundPolicy, type RefundRefusal } from '../domain/booking/index.js';
import type { SeatMap, SeatState } from '../domain/section.js';
import type { BookingStore } from './store.js';
import type { CatalogService } from '../catalog/service.js';
import type { InventoryService } from '../inventory/service.js';
import type { PaymentProvider } from '../ports/payments.js';
import { notFound, UserError, type UserErrorCode } from '../errors.js';
import { derivedId, withHistory, type BookingDoc, type Cancellation } from './model.js';
import type { SagaClient } from './ports.js';
import type { TicketIssuer } from './tickets.js';
import { Saga, type CancelSagaInput, type CancellationInput } from './saga-contracts.js';
import { refunded } from '../telemetry/booking-signals.js';

export interface CancelDeps {
  store: BookingStore;
  catalog: CatalogService;
  inventory: InventoryService;
  payments: PaymentProvider;
  tickets: TicketIssuer;
  refunds: RefundPolicy;
  clock: () => number;
  waitMs: number;
  /** The saga's refund attempts and first retry interval (settings CANCEL_REFUND_*). */
  refundAttempts: number;
  refundRetryMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
export const cancelInstanceId = (bookingId: string, c: Pick<Cancellation, 'id' | 'runs'>) =>
  `${bookingId}.${c.id}.${c.runs}`;

const REFUSAL_CODES: Record<RefundRefusal, UserErrorCode> = {
  NOT_CONFIRMED: 'BOOKING_NOT_CANCELLABLE',
  NON_REFUNDABLE: 'CANCELLATION_NON_REFUNDABLE',
  SHOW_STARTED: 'CANCELLATION_SHOW_STARTED',
  TOO_LATE: 'CANCELLATION_TOO_LATE',
  NO_SEATS: 'CANCELLATION_NO_SEATS',
  UNKNOWN_SEAT: 'CANCELLATION_UNKNOWN_SEAT',
  DUPLICATE_SEAT: 'CANCELLATION_DUPLICATE_SEAT',
};

/** A refusal of the refund policy, with the policy's own reason as a member of the answer. */
const refusal = (reason: RefundRefusal, detail: string) =>
  new UserError(REFUSAL_CODES[reason], { detail, extra: { reason } });

export class CancelService {
  constructor(private readonly d: CancelDeps) {}

  quote(doc: BookingDoc, seatIds?: readonly string[]) {
    const seats = seatIds && seatIds.length ? seatIds : doc.seatIds;
    return quoteRefund(
      {
        status: doc.status,
        currency: doc.price.currency,
        showStartsAt: doc.show.startsAt,
        nonRefundable: doc.show.nonRefundable,
        lines: doc.lines,
      },
      seats,
      new Date(this.d.clock()),
      this.d.refunds,
    );
  }

  /** Checks the policy, records the cancellation, starts its saga, waits briefly for the outcome. */
  async request(
    doc: BookingDoc,
    seatIds: string[] | undefined,
    key: { value: string; fingerprint: string } | undefined,
    saga: SagaClient,
  ): Promise<{ booking: BookingDoc; cancellation: Cancellation; done: boolean }> {
    const cancellationId = key
      ? derivedId('cx', doc.userId, doc.id, key.value)
      : derivedId('cx', doc.id, [...(seatIds ?? doc.seatIds)].sort().join(','), String(doc.cancellations.length));
    const known = doc.cancellations.find((c) => c.id === cancellationId);
    if (known) {
      if (key && known.fingerprint !== key.fingerprint) {
        throw new UserError('IDEMPOTENCY_CONFLICT', {
          detail: 'This Idempotency-Key was already used for a different cancellation.',
        });
      }
      // The first request may have died between recording the cancellation and starting its saga (a
      // host restart, the Durable engine unavailable: it answered 503 and the client retries with the
      // same key). Start it now unless it runs; the saga is idempotent (one refund key per cancellation).
      if (doc.status === 'cancelling' && (known.status === 'requested' || known.status === 'refunded'))
        await saga.start(Saga.cancellation, cancelInstanceId(doc.id, known), this.sagaInput(doc, known.id));
      return { booking: doc, cancellation: known, done: known.status === 'completed' };
    }
    if (doc.status === 'cancelling' || doc.status === 'refund_failed')
      throw new UserError('CANCELLATION_IN_PROGRESS', {
        detail: 'A cancellation of this booking is already in progress.',
      });
    // A cancelled show refunds everything paid (shared/booking/show-cancel.ts); a cancellation under
    // the policy now would refund less and keep the fees.
    if ((await this.d.catalog.show(doc.showId))?.status === 'cancelled')
      throw new UserError('SHOW_CANCELLED', {
        detail: 'The show was cancelled: everything you paid for this booking is being refunded.',
      });
    const q = this.quote(doc, seatIds);
    if (!q.ok) throw refusal(q.code, q.detail);
    const at = iso(this.d.clock());
    const cancellation: Cancellation = {
      id: cancellationId,
      seatIds: q.seatIds,
      whole: q.whole,
      refund: q.refund,
      ticketValue: q.ticketValue,
      feesKept: q.feesKept,
      refundBp: q.tier.refundBp,
      status: 'requested',
      ...(key ? { fingerprint: key.fingerprint } : {}),
      runs: 1,
      requestedAt: at,
    };
    const saved = await this.d.store.mutate(doc.userId, doc.id, (d) => {
      if (d.cancellations.some((c) => c.id === cancellationId)) return undefined;
      if (d.status !== 'confirmed')
        throw new UserError('CANCELLATION_IN_PROGRESS', { detail: `The booking is ${d.status}.` });
      return {
        ...withHistory(
          d,
          'cancelling',
          'cancelRequested',
          at,
          `${q.seatIds.join(', ')}: refund ${q.refund.minor} ${q.refund.currency}`,
        ),
        cancellations: [...d.cancellations, cancellation],
        deadline: iso(this.d.clock() + 10 * 60_000),
      };
    });
    if (!saved) throw notFound(`Booking ${doc.id}`);
    const mine = saved.cancellations.find((c) => c.id === cancellationId)!;
    await saga.start(Saga.cancellation, cancelInstanceId(doc.id, mine), this.sagaInput(doc, cancellationId));
    return this.waitFor(doc.userId, doc.id, cancellationId);
  }

  /** Operator: runs the saga again for a refund_failed cancellation. */
  async retryRefund(
    doc: BookingDoc,
    saga: SagaClient,
  ): Promise<{ booking: BookingDoc; cancellation: Cancellation; done: boolean }> {
    const failed = doc.cancellations.find((c) => c.status === 'refund_failed');
    if (doc.status !== 'refund_failed' || !failed)
      throw new UserError('NOT_REFUND_FAILED', {
        detail: `The booking is ${doc.status}; only a refund_failed booking can be retried.`,
      });
    const at = iso(this.d.clock());
    const saved = await this.d.store.mutate(doc.userId, doc.id, (d) => {
      if (d.status !== 'refund_failed') return undefined;
      return {
        ...withHistory(d, 'cancelling', 'refundRetried', at),
        deadline: iso(this.d.clock() + 10 * 60_000),
        cancellations: d.cancellations.map((c) =>
          c.id === failed.id ? { ...c, status: 'requested' as const, runs: c.runs + 1 } : c,
        ),
      };
    });
    const mine = saved!.cancellations.find((c) => c.id === failed.id)!;
    await saga.start(Saga.cancellation, cancelInstanceId(doc.id, mine), this.sagaInput(doc, mine.id));
    return this.waitFor(doc.userId, doc.id, mine.id);
  }

  private sagaInput(doc: BookingDoc, cancellationId: string): CancellationInput {
    return {
      bookingId: doc.id,
      userId: doc.userId,
      cancellationId,
      refundAttempts: this.d.refundAttempts,
      refundRetryMs: this.d.refundRetryMs,
    };
  }

  private async waitFor(userId: string, bookingId: string, cancellationId: string) {
    const deadline = Date.now() + this.d.waitMs;
    let pause = 20;
    for (;;) {
      const booking = (await this.d.store.get(userId, bookingId))!;
      const cancellation = booking.cancellations.find((c) => c.id === cancellationId)!;
      const done = cancellation.status === 'completed' || cancellation.status === 'refund_failed';
      if (done || Date.now() + pause > deadline) return { booking, cancellation, done };
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(150, Math.ceil(pause * 1.5));
    }
  }

  // ─── the saga's steps ─────────────────────────────────────────────────────────────────────────

  private async cancellation(ref: CancelSagaInput): Promise<{ doc: BookingDoc; c: Cancellation }> {
    const doc = await this.d.store.get(ref.userId, ref.bookingId);
    const c = doc?.cancellations.find((x) => x.id === ref.cancellationId);
    if (!doc || !c) throw new Error(`cancellation ${ref.cancellationId} of ${ref.bookingId} does not exist`);
    return { doc, c };
  }

  /** Refunds the quoted amount (key per cancellation: retries and operator re-runs never pay twice). */
  async refund(ref: CancelSagaInput): Promise<{ refundId?: string; amount: number }> {
    const { doc, c } = await this.cancellation(ref);
    if (c.refundId || c.refund.minor === 0) return { refundId: c.refundId, amount: c.refund.minor };
    const paymentId = doc.payment?.paymentId;
    if (!paymentId) throw new Error(`booking ${doc.id} has no payment to refund`);
    const r = await this.d.payments
      .refund({
        paymentId,
        amount: c.refund,
        idempotencyKey: `cancel:${doc.id}:${c.id}`,
        reason: `Cancellation of ${c.seatIds.join(', ')} (${c.refundBp / 100}% of the ticket price)`,
      })
      .catch((err: unknown) => {
        refunded('cancel', 'error', doc.id, doc.showId);
        throw err;
      });
    refunded('cancel', r.status, doc.id, doc.showId);
    const at = iso(this.d.clock());
    await this.d.store.mutate(ref.userId, ref.bookingId, (d) => ({
      ...d,
      updatedAt: at,
      cancellations: d.cancellations.map((x) =>
        x.id === c.id ? { ...x, refundId: r.refundId, status: 'refunded' as const } : x,
      ),
      history: [
        ...d.history,
        {
          at,
          status: d.status,
          event: 'refundIssued',
          detail: `${r.refundId}: ${c.refund.minor} ${c.refund.currency}`,
        },
      ],
    }));
    return { refundId: r.refundId, amount: c.refund.minor };
  }

  /** Booked seats of the cancellation become free at once (one conditional write per section). */
  async releaseSeats(ref: CancelSagaInput): Promise<{ released: string[] }> {
    const { doc, c } = await this.cancellation(ref);
    const found = await this.d.catalog.showWithLayout(doc.showId);
    if (!found) throw new Error(`show ${doc.showId} is gone`);
    const bySection = new Map<string, string[]>();
    for (const seatId of c.seatIds) {
      const section = found.index.byId.get(seatId)?.sectionId;
      if (section) bySection.set(section, [...(bySection.get(section) ?? []), seatId]);
    }
    const released: string[] = [];
    for (const [sectionId, seatIds] of bySection) {
      const { result } = await this.d.inventory.writer.submit(doc.showId, sectionId, found.index.layout.id, (seats) =>
        releaseBooked(seats, doc.id, seatIds),
      );
      released.push(...result);
    }
    return { released };
  }

  async finish(ref: CancelSagaInput): Promise<{ status: string }> {
    const { c } = await this.cancellation(ref);
    const at = iso(this.d.clock());
    const saved = await this.d.store.mutate(ref.userId, ref.bookingId, (d) => {
      const mine = d.cancellations.find((x) => x.id === c.id)!;
      if (mine.status === 'completed') return undefined;
      const cancelled = new Set(mine.seatIds);
      const lines = d.lines.filter((l) => !cancelled.has(l.seatId));
      const whole = lines.length === 0;
      const next = withHistory(d, whole ? 'cancelled' : 'confirmed', whole ? 'refunded' : 'partiallyRefunded', at);
      return {
        ...next,
        seatIds: d.seatIds.filter((s) => !cancelled.has(s)),
        lines: whole ? d.lines : lines,
        price: whole ? d.price : breakdownOf(d.price.currency, lines),
        cancelledSeatIds: [...d.cancelledSeatIds, ...mine.seatIds],
        deadline: d.show.startsAt,
        cancellations: d.cancellations.map((x) =>
          x.id === c.id ? { ...x, status: 'completed' as const, completedAt: at } : x,
        ),
      };
    });
    await this.d.tickets.void(saved!, c.seatIds);
    return { status: saved!.status };
  }

  async refundFailed(ref: CancelSagaInput & { error: string }): Promise<{ status: string }> {
    const at = iso(this.d.clock());
    const saved = await this.d.store.mutate(ref.userId, ref.bookingId, (d) => {
      if (d.status === 'refund_failed') return undefined;
      return {
        ...withHistory(d, 'refund_failed', 'refundFailed', at, ref.error.slice(0, 300)),
        cancellations: d.cancellations.map((x) =>
          x.id === ref.cancellationId
            ? { ...x, status: 'refund_failed' as const, lastError: ref.error.slice(0, 300) }
            : x,
        ),
      };
    });
    return { status: saved!.status };
  }
}

/** Frees seats booked by `bookingId` among `seatIds`; other seats are left alone. */
export function releaseBooked(
  seats: SeatMap,
  bookingId: string,
  seatIds: readonly string[],
): { next?: SeatMap; result: string[] } {
  const affected = seatIds.filter((id) => {
    const st: SeatState | undefined = seats[id];
    return st?.s === 'booked' && st.bookingId === bookingId;
  });
  if (!affected.length) return { result: [] };
  const next: Record<string, SeatState> = { ...seats };
  for (const id of affected) delete next[id];
  return { next, result: affected };
}
