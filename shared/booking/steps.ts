// The booking saga's steps (docs/architecture.md, Sagas), one method per activity. Each step may run twice
// (activities are at-least-once): it reads the booking, does its side effect under an idempotency
// key or as a replay-safe inventory write, and commits the booking's new status through the pure
// state machine (a repeated event is a no-op). Business outcomes are returned values; thrown errors
// are faults the Durable retry policy may cure.
import { transition, type BookingEvent, type BookingStatus } from '../domain/booking/index.js';
import type { Stored } from '../ports/documents.js';
import type { BookingStore } from './store.js';
import type { InventoryService } from '../inventory/service.js';
import type { PaymentProvider } from '../ports/payments.js';
import { PaymentError } from '../ports/payments.js';
import { withHistory, type BookingDoc, type LatePayment } from './model.js';
import type { TicketIssuer } from './tickets.js';
import type {
  BookingRef,
  ConfirmBookingInput,
  ConfirmSeatsStep,
  CreatePaymentInput,
  FailInput,
  HoldStep,
  PaymentStep,
  ProviderStatus,
  RefundUnusableInput,
} from './saga-contracts.js';

export interface StepDeps {
  store: BookingStore;
  inventory: InventoryService;
  payments: PaymentProvider;
  tickets: TicketIssuer;
  clock: () => number;
  holdTtlSeconds: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class BookingSteps {
  constructor(private readonly d: StepDeps) {}

  private async load(ref: BookingRef): Promise<BookingDoc> {
    return (await this.loadStored(ref)).doc;
  }

  private async loadStored(ref: BookingRef): Promise<Stored<BookingDoc>> {
    const stored = await this.d.store.read(ref.userId, ref.bookingId);
    if (!stored) throw new Error(`booking ${ref.bookingId} of ${ref.userId} does not exist`);
    return stored;
  }

  /**
   * For a step that is about to write: the version of the booking this process saw last, when it
   * belongs to the saga's attempt and `ready` says the step has work to do on it; otherwise a read.
   * Sparing the read is safe because the write is conditional: if the copy was stale, the IfMatch
   * commit fails, reads and decides again on the stored version. Within one attempt, whatever the
   * step does before that commit (a hold, a session) is keyed by the attempt and idempotent.
   */
  private async forWrite(ref: BookingRef, ready: (doc: BookingDoc) => boolean): Promise<Stored<BookingDoc>> {
    const seen = ref.attempt === undefined ? undefined : this.d.store.lastSeen(ref.bookingId);
    if (seen && seen.doc.userId === ref.userId && seen.doc.attempt === ref.attempt && ready(seen.doc)) return seen;
    return this.loadStored(ref);
  }

  /**
   * Applies `event` unless the booking is already where it leads; `patch` adds the step's facts.
   * `known` is the version the step read at its start: the commit tries it first instead of reading
   * again (if it changed meanwhile, the ETag refuses it and the commit reads and retries).
   */
  async commit(
    ref: BookingRef,
    event: BookingEvent,
    patch: (doc: BookingDoc) => Partial<BookingDoc> = () => ({}),
    detail?: string,
    known?: Stored<BookingDoc>,
  ): Promise<BookingDoc> {
    const at = iso(this.d.clock());
    const saved = await this.d.store.mutate(
      ref.userId,
      ref.bookingId,
      (doc) => {
        const t = transition(doc.status, event);
        if (!t.ok) throw new Error(`booking ${doc.id}: ${t.detail}`);
        if (!t.changed) return undefined;
        return { ...withHistory(doc, t.status, event, at, detail), ...patch(doc) };
      },
      known,
    );
    if (!saved) throw new Error(`booking ${ref.bookingId} disappeared`);
    return saved;
  }

  async holdSeats(ref: BookingRef): Promise<HoldStep> {
    const stored = await this.forWrite(ref, (doc) => doc.status === 'pending');
    const doc = stored.doc;
    if (doc.status !== 'pending') {
      if (doc.holdExpiresAt && ['held', 'paying', 'confirmed'].includes(doc.status))
        return { ok: true, holdExpiresAt: doc.holdExpiresAt, seatIds: doc.seatIds };
      return {
        ok: false,
        code: doc.failure?.code ?? 'SEATS_UNAVAILABLE',
        detail: doc.failure?.detail ?? `The booking is ${doc.status}.`,
        seats: doc.failure?.seats ?? [],
      };
    }
    const r = await this.d.inventory.hold(doc.showId, doc.seatIds, holdIdOf(doc), doc.userId, this.d.holdTtlSeconds);
    if (r.ok) {
      const expires = Date.parse(r.expiresAt);
      await this.commit(
        ref,
        'seatsHeld',
        () => ({ holdExpiresAt: r.expiresAt, deadline: iso(expires) }),
        undefined,
        stored,
      );
      return { ok: true, holdExpiresAt: r.expiresAt, seatIds: r.seatIds };
    }
    // The refusal is kept as it is: the booking's failure, the saga's outcome and the 409 all show it.
    const { code, detail, seats } = r;
    await this.commit(ref, 'seatsUnavailable', () => ({ failure: { code, detail, seats } }), detail, stored);
    return r;
  }

  async createPayment(ref: CreatePaymentInput): Promise<PaymentStep> {
    const stored = await this.forWrite(ref, (doc) => doc.status === 'held' && !doc.payment);
    const doc = stored.doc;
    if (doc.payment && doc.holdExpiresAt)
      return {
        ok: true,
        sessionId: doc.payment.sessionId,
        paymentUrl: doc.payment.paymentUrl,
        holdExpiresAt: doc.holdExpiresAt,
      };
    if (doc.status !== 'held' || !doc.holdExpiresAt)
      return { ok: false, code: 'NOT_HELD', detail: `The booking is ${doc.status}.` };
    // The hold ran out before a session existed (the host was down, the provider slow): nothing
    // can be paid any more, so the saga expires the booking instead of asking the provider.
    if (Date.parse(doc.holdExpiresAt) <= this.d.clock())
      return { ok: false, code: 'HOLD_EXPIRED', detail: 'The seat hold ran out before the payment could start.' };
    const attemptId = `${doc.id}.${doc.attempt}`;
    try {
      const session = await this.d.payments.createSession({
        bookingId: doc.id,
        attemptId,
        amount: doc.price.total,
        description: `${doc.show.title} — ${doc.show.venueName}, ${doc.show.startsAt}`,
        items: doc.lines.map((l) => ({ label: `${l.category} ${l.seatId}`, quantity: 1, unit: l.total })),
        returnUrl: ref.returnUrl,
        idempotencyKey: `session:${attemptId}`,
        expiresAt: doc.holdExpiresAt,
      });
      const holdExpiresAt = doc.holdExpiresAt;
      await this.commit(
        ref,
        'paymentStarted',
        () => ({
          payment: {
            attemptId,
            sessionId: session.sessionId,
            paymentUrl: session.paymentUrl,
            expiresAt: session.expiresAt,
            amount: doc.price.total,
          },
        }),
        undefined,
        stored,
      );
      return { ok: true, sessionId: session.sessionId, paymentUrl: session.paymentUrl, holdExpiresAt };
    } catch (err) {
      // A refusal for good (not a fault a retry cures) is an outcome: the saga releases and fails.
      if (err instanceof PaymentError && !err.retryable) return { ok: false, code: err.code, detail: err.message };
      throw err;
    }
  }

  /** The provider's view of the session (the timer fired first, or the reconciler asks). */
  async paymentStatus(ref: BookingRef): Promise<ProviderStatus> {
    const doc = await this.load(ref);
    if (!doc.payment) return { status: 'unknown' };
    try {
      const s = await this.d.payments.getPaymentStatus({ sessionId: doc.payment.sessionId });
      return { status: s.status, paymentId: s.paymentId, amount: s.amount };
    } catch (err) {
      if (err instanceof PaymentError && err.code === 'PAYMENT_NOT_FOUND') return { status: 'unknown' };
      throw err;
    }
  }

  /** held → booked for this booking. An expired hold whose seats are still free is taken again first. */
  async confirmSeats(ref: BookingRef): Promise<ConfirmSeatsStep> {
    // Reads only what an attempt never changes (show, seats, hold id): any copy of the attempt will do.
    const doc = (await this.forWrite(ref, (d) => d.status === 'paying')).doc;
    const holdId = holdIdOf(doc);
    let r = await this.d.inventory.confirm(doc.showId, holdId, doc.id, doc.seatIds);
    if (!r.ok && (r.code === 'HOLD_EXPIRED' || r.code === 'HOLD_NOT_FOUND')) {
      // The sweeper freed the seats after the hold expired; if nobody took them, the payment is honoured.
      const again = await this.d.inventory.hold(doc.showId, doc.seatIds, holdId, doc.userId, 60);
      if (again.ok) r = await this.d.inventory.confirm(doc.showId, holdId, doc.id, doc.seatIds);
      else if (again.code === 'SEATS_UNAVAILABLE') return { ok: false, code: 'SEATS_UNAVAILABLE', seats: again.seats };
    }
    if (r.ok) return { ok: true };
    if (r.code === 'HOLD_EXPIRED' || r.code === 'SEATS_UNAVAILABLE' || r.code === 'HOLD_NOT_FOUND')
      return { ok: false, code: r.code, seats: r.seats };
    throw new Error(`confirming seats of ${doc.id} failed: ${r.code}`);
  }

  /** confirmed, with the payment recorded and one ticket per seat issued. */
  async confirmBooking(ref: ConfirmBookingInput): Promise<{ status: BookingStatus }> {
    const at = iso(this.d.clock());
    const known = await this.forWrite(ref, (d) => d.status === 'paying');
    const doc = await this.commit(
      ref,
      'paymentSucceeded',
      (d) => ({
        payment: d.payment && { ...d.payment, paymentId: ref.payment.paymentId, paidAt: at },
        charged: ref.payment.amount,
        deadline: d.show.startsAt,
      }),
      undefined,
      known,
    );
    await this.d.tickets.issue(doc);
    return { status: doc.status };
  }

  async fail(ref: FailInput): Promise<{ status: BookingStatus }> {
    const doc = await this.commit(
      ref,
      ref.event,
      (d) => ({
        failure: { code: ref.code, detail: ref.detail },
        ...(ref.paymentId && d.payment ? { payment: { ...d.payment, paymentId: ref.paymentId } } : {}),
      }),
      ref.detail,
    );
    return { status: doc.status };
  }

  async expire(ref: BookingRef): Promise<{ status: BookingStatus }> {
    const doc = await this.commit(ref, 'holdExpired', () => ({
      failure: { code: 'HOLD_EXPIRED', detail: 'The seats were held until the hold expired without a payment.' },
    }));
    return { status: doc.status };
  }

  /** The reconciler's end for a booking whose saga is gone: pending → failed, held/paying → expired. */
  async abandon(ref: BookingRef): Promise<{ status: BookingStatus }> {
    const doc = await this.load(ref);
    if (doc.status === 'pending') {
      const saved = await this.commit(ref, 'seatsUnavailable', () => ({
        failure: { code: 'BOOKING_ABANDONED', detail: 'The booking did not get past the seat hold in time.' },
      }));
      return { status: saved.status };
    }
    if (doc.status === 'held' || doc.status === 'paying') return this.expire(ref);
    return { status: doc.status };
  }

  /** Frees what the hold still holds (idempotent; never touches booked seats). */
  async releaseSeats(ref: BookingRef): Promise<{ released: string[] }> {
    const doc = await this.load(ref);
    const r = await this.d.inventory.release(doc.showId, holdIdOf(doc), doc.seatIds);
    if (!r.ok) throw new Error(`releasing seats of ${doc.id} failed: ${r.code}`);
    return { released: r.seatIds };
  }

  /**
   * A payment the booking cannot use — it arrived after the booking ended, or the seats were lost
   * before it came: refund it in full and record why on the booking. Idempotent per payment (the
   * refund key and the record are keyed by it).
   */
  async refundUnusable(ref: RefundUnusableInput): Promise<LatePayment> {
    const p = ref.payment;
    if (!p.paymentId) throw new Error('a late payment without a paymentId cannot be refunded');
    const doc = await this.load(ref);
    const known = doc.latePayments.find((l) => l.paymentId === p.paymentId);
    if (known?.status === 'refunded') return known;
    if (
      doc.payment?.paymentId === p.paymentId &&
      (doc.status === 'confirmed' ||
        doc.status === 'cancelling' ||
        doc.status === 'cancelled' ||
        doc.status === 'refund_failed')
    ) {
      throw new Error(`payment ${p.paymentId} is the booking's own payment, not a late one`);
    }
    const reason = ref.reason ?? `Payment received after the booking was ${doc.status}; refunded in full.`;
    const refund = await this.d.payments.refund({
      paymentId: p.paymentId,
      amount: p.amount,
      idempotencyKey: `late:${doc.id}:${p.paymentId}`,
      reason,
    });
    const entry: LatePayment = {
      paymentId: p.paymentId,
      sessionId: p.sessionId,
      amount: p.amount,
      reason,
      refundId: refund.refundId,
      status: 'refunded',
      at: iso(this.d.clock()),
    };
    await this.d.store.mutate(ref.userId, ref.bookingId, (d) => {
      if (d.latePayments.some((l) => l.paymentId === p.paymentId && l.status === 'refunded')) return undefined;
      return {
        ...d,
        updatedAt: entry.at,
        latePayments: [...d.latePayments.filter((l) => l.paymentId !== p.paymentId), entry],
        history: [...d.history, { at: entry.at, status: d.status, event: 'latePaymentRefunded', detail: reason }],
      };
    });
    return entry;
  }
}

/** One hold per booking attempt: a retried attempt must not inherit the refused one's seats. */
export const holdIdOf = (doc: Pick<BookingDoc, 'id' | 'attempt'>) =>
  doc.attempt > 1 ? `${doc.id}.${doc.attempt}` : doc.id;
