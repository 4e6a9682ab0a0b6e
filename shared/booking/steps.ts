// The booking saga's steps (docs/architecture.md, Sagas), one method per activity. Each step may run twice
// (activities are at-least-once): it reads the booking, does its side effect under an idempotency
// key or as a replay-safe inventory write, and commits the booking's new status through the pure
// state machine (a repeated event is a no-op). Business outcomes are returned values; thrown errors
// are faults the Durable retry policy may cure.
import { attemptEnded, transition, type BookingEvent, type BookingStatus } from '../domain/booking/index.js';
import type { Stored } from '../ports/documents.js';
import { confirmsBooking, type BookingStore, type Settlement, type Settlements } from './store.js';
import type { InventoryService } from '../inventory/service.js';
import type { PaymentProvider, PaymentStatus } from '../ports/payments.js';
import { PaymentError } from '../ports/payments.js';
import {
  declinedNow,
  MAX_PAYMENT_TRIES,
  paymentAttemptId,
  paymentTryOf,
  withHistory,
  type BookingDoc,
  type LatePayment,
} from './model.js';
import type { TicketIssuer } from './tickets.js';
import type {
  BookingRef,
  ConfirmBookingInput,
  ConfirmPaidStep,
  ConfirmSeatsStep,
  CreatePaymentInput,
  FailInput,
  GraceInput,
  HoldStep,
  PaymentResult,
  PaymentStep,
  PaymentVerdict,
  ProviderStatus,
  RefundUnusableInput,
  ReleaseStep,
} from './saga-contracts.js';
import { mismatchOf, PAYMENT_ID_PATTERN, rejectionKey, withRejection } from './verification.js';
import type { PaymentRejection } from './view.js';
import { bookingEnded, holdRefused, refunded } from '../telemetry/booking-signals.js';
import { telemetry } from '../telemetry/port.js';

export interface StepDeps {
  store: BookingStore;
  inventory: InventoryService;
  payments: PaymentProvider;
  tickets: TicketIssuer;
  settlements: Settlements;
  clock: () => number;
  holdTtlSeconds: number;
  /**
   * The show's status as stored (not a cached copy): a paid booking of a show an operator has
   * cancelled is refunded instead of confirmed (docs/architecture.md, Show cancellation).
   */
  showStatus: (showId: string) => Promise<'scheduled' | 'cancelled' | undefined>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Statuses only a committed payment leads to (paymentSucceeded, then cancellation's). */
const PAID: readonly BookingStatus[] = ['confirmed', 'cancelling', 'cancelled', 'refund_failed'];

export class BookingSteps {
  constructor(private readonly d: StepDeps) {}

  private async load(ref: BookingRef): Promise<BookingDoc> {
    return (await this.loadStored(ref)).doc;
  }

  private async loadStored(ref: BookingRef): Promise<Stored<BookingDoc>> {
    const stored = await this.d.store.read(ref.userId, ref.bookingId);
    if (!stored) throw new Error(`booking ${ref.bookingId} of ${ref.userId} does not exist`);
    // The step's span (orchestrations/durable.ts) learns the show here: the saga's inputs carry only the booking.
    telemetry().annotate({ showId: stored.doc.showId });
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
    if (seen && seen.doc.userId === ref.userId && seen.doc.attempt === ref.attempt && ready(seen.doc)) {
      telemetry().annotate({ showId: seen.doc.showId });
      return seen;
    }
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
    holdRefused(code, doc.id, doc.showId);
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
    // A declined try is paid again only after the owner asked for a retry (a new try number).
    if (declinedNow(doc))
      return { ok: false, code: 'NOT_HELD', detail: 'The payment was declined and no retry was asked for.' };
    // The hold ran out before a session existed (the host was down, the provider slow): nothing
    // can be paid any more, so the saga expires the booking instead of asking the provider.
    if (Date.parse(doc.holdExpiresAt) <= this.d.clock())
      return { ok: false, code: 'HOLD_EXPIRED', detail: 'The seat hold ran out before the payment could start.' };
    const attemptId = paymentAttemptId(doc);
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

  /**
   * held → booked for this booking. An expired hold whose seats are still free is taken again first.
   * Never for a booking that has ended: its saga, or the reconciler, may have failed or expired it
   * while this confirmation was on its way (a late confirm — bookingRecovery's, or a terminated
   * saga's step). The seats are booked first and the booking read again after: if it ended, this
   * step gives them back itself (BOOKING_ENDED); if its end comes later, the step that commits it
   * frees them after its commit (freeEndedAttempt). One of the two always sees the other.
   */
  async confirmSeats(ref: BookingRef): Promise<ConfirmSeatsStep> {
    // Reads only what an attempt never changes (show, seats, hold id): any copy of the attempt will do
    // to start — the end is checked on a fresh read after the seats are booked.
    const doc = (await this.forWrite(ref, (d) => d.status === 'paying')).doc;
    if (this.endedFor(ref, doc)) return this.giveBack(ref, doc);
    if ((await this.d.showStatus(doc.showId)) === 'cancelled')
      return { ok: false, code: 'SHOW_NOT_ON_SALE', seats: [] };
    const holdId = holdIdOf(doc);
    let r = await this.d.inventory.confirm(doc.showId, holdId, doc.id, doc.seatIds);
    if (!r.ok && (r.code === 'HOLD_EXPIRED' || r.code === 'HOLD_NOT_FOUND')) {
      // The sweeper freed the seats after the hold expired; if nobody took them, the payment is honoured.
      const again = await this.d.inventory.hold(doc.showId, doc.seatIds, holdId, doc.userId, 60);
      if (again.ok) r = await this.d.inventory.confirm(doc.showId, holdId, doc.id, doc.seatIds);
      else if (again.code === 'SEATS_UNAVAILABLE') return { ok: false, code: 'SEATS_UNAVAILABLE', seats: again.seats };
    }
    if (r.ok) {
      const now = await this.load(ref);
      return this.endedFor(ref, now) ? this.giveBack(ref, now) : { ok: true };
    }
    if (r.code === 'HOLD_EXPIRED' || r.code === 'SEATS_UNAVAILABLE' || r.code === 'HOLD_NOT_FOUND')
      return { ok: false, code: r.code, seats: r.seats };
    throw new Error(`confirming seats of ${doc.id} failed: ${r.code}`);
  }

  /** Whether the saga's attempt is over: the booking ended unconfirmed, or a newer attempt replaced it. */
  private endedFor(ref: BookingRef, doc: BookingDoc): boolean {
    return attemptEnded(doc.status) || (ref.attempt !== undefined && ref.attempt !== doc.attempt);
  }

  /** A late confirmation's answer: the attempt's seats go back (held or booked by it), and BOOKING_ENDED. */
  private async giveBack(ref: BookingRef, doc: BookingDoc): Promise<ConfirmSeatsStep> {
    const current = ref.attempt === undefined || ref.attempt === doc.attempt;
    const holdId = holdIdOf({ id: doc.id, attempt: ref.attempt ?? doc.attempt });
    // Another attempt's seats are not known here: its hold id finds them in whichever section they are.
    const r = await this.d.inventory.releaseAttempt(doc.showId, {
      bookingId: doc.id,
      holdId,
      ...(current ? { seatIds: doc.seatIds } : {}),
    });
    if (!r.ok) throw new Error(`giving back the seats of ${doc.id} failed: ${r.code}`);
    return { ok: false, code: 'BOOKING_ENDED', status: doc.status, seats: r.seatIds };
  }

  /**
   * After a commit that ended the booking unconfirmed (failed, expired): frees what its attempt still
   * holds and any seat a late confirmation booked for it. Runs after the commit on purpose (see
   * confirmSeats): a confirmation that read the booking before the end sees its seats freed here.
   */
  private async freeEndedAttempt(doc: BookingDoc): Promise<void> {
    if (!attemptEnded(doc.status)) return;
    const r = await this.d.inventory.releaseAttempt(doc.showId, {
      bookingId: doc.id,
      holdId: holdIdOf(doc),
      seatIds: doc.seatIds,
    });
    if (!r.ok) throw new Error(`freeing the seats of ${doc.id} failed: ${r.code}`);
  }

  /**
   * confirmed, with the payment recorded and one ticket per seat issued. The saga's event is not
   * trusted here either: the payment must be the one settled for this booking's current attempt
   * (verifyPayment's claim, read back from Cosmos) and match the attempt's session and amount as
   * committed; anything else is a fault, and the booking stays unconfirmed.
   */
  async confirmBooking(ref: ConfirmBookingInput): Promise<{ status: BookingStatus }> {
    const at = iso(this.d.clock());
    const known = await this.forWrite(ref, (d) => d.status === 'paying');
    // Ended meanwhile (a late confirm): nothing to confirm; the saga refunds the payment. A commit that
    // races the end fails its transition, and the retry reads the end here.
    if (attemptEnded(known.doc.status)) return { status: known.doc.status };
    const wasConfirmed = known.doc.status === 'confirmed';
    const paymentId = ref.payment.paymentId;
    const settled =
      paymentId && PAYMENT_ID_PATTERN.test(paymentId) ? await this.d.settlements.get(paymentId) : undefined;
    const doc = await this.commit(
      ref,
      'paymentSucceeded',
      (d) => {
        // A refund of it has begun (refundUnusable marks the booking before asking the provider): this
        // commit and that mark are ordered by the booking's version, so never both.
        const refunding = d.latePayments.some((l) => l.paymentId === paymentId);
        const why = !settled
          ? `payment ${paymentId ?? '(none)'} was never verified for it`
          : settled.bookingId !== d.id || settled.attempt !== d.attempt || !confirmsBooking(settled)
            ? `payment ${settled.id} settles booking ${settled.bookingId} (attempt ${settled.attempt}, ${settled.refundingAt ? 'being refunded' : settled.purpose})`
            : refunding
              ? `payment ${settled.id} is being refunded`
              : mismatchOf(d, settled);
        if (why) throw new Error(`booking ${d.id} cannot be confirmed: ${why}`);
        return {
          payment: d.payment && { ...d.payment, paymentId: settled!.id, paidAt: at },
          charged: settled!.amount,
          deadline: d.show.startsAt,
        };
      },
      undefined,
      known,
    );
    // Counted on the transition, before the tickets: a retry (after a failed ticket write) finds it confirmed.
    if (!wasConfirmed) bookingEnded('confirmed', doc.id, doc.showId);
    await this.d.tickets.issue(doc);
    return { status: doc.status };
  }

  /**
   * A verified payment used in one step: confirmSeats, then confirmBooking when the seats were
   * booked. Both are idempotent for the attempt, so a retry of the whole (a fault in the second
   * half, a crash before the result was recorded) finds the seats booked and the booking confirmed
   * and answers the same. The saga publishes booking.confirmed in the same activity (bookingConfirmPaid).
   */
  async confirmPaid(ref: ConfirmBookingInput): Promise<ConfirmPaidStep> {
    // Already confirmed for this attempt: an earlier run of this step did it and its answer was lost.
    // Its seats are not booked again: a cancellation may have given them back since, and booking them
    // again would take them from whoever has them now. Only the confirm is redone (tickets, idempotent).
    const seen = (await this.forWrite(ref, (d) => d.status === 'paying')).doc;
    if ((ref.attempt === undefined || ref.attempt === seen.attempt) && PAID.includes(seen.status)) {
      const status = seen.status === 'confirmed' ? (await this.confirmBooking(ref)).status : seen.status;
      return { ok: true, status, confirmedBefore: true };
    }
    const seats = await this.confirmSeats(ref);
    if (!seats.ok) return seats;
    const done = await this.confirmBooking(ref);
    return { ok: true, status: done.status };
  }

  /**
   * Decides whether a PaymentResult — from a webhook, the reconciler, or anyone able to raise the
   * saga's event — may settle the booking (docs/architecture.md, Sagas: Payment verification). Only
   * the provider's record of the payment and the booking as committed count: a paid result must
   * name a successful payment the provider knows, made on the session of the booking's current
   * attempt for exactly its amount, and not settled by another booking (the claim in
   * `settlements`); a declined one must be confirmed by the provider's session. A rejected payment
   * is recorded on the booking (code PAYMENT_MISMATCH); when it was made for this booking it is
   * claimed for a refund and handed back to the saga to refund. Idempotent.
   */
  async verifyPayment(ref: ConfirmBookingInput): Promise<PaymentVerdict> {
    const doc = await this.load(ref);
    const p = ref.payment;
    if (p.outcome === 'declined') {
      const session = doc.payment ? await this.providerFacts({ sessionId: doc.payment.sessionId }) : undefined;
      if (session?.status === 'declined' && session.sessionId === doc.payment?.sessionId)
        return { verdict: 'declined' };
      return this.reject(
        ref,
        p,
        `A decline was reported, but the provider says this booking's session is ${session?.status ?? 'unknown'}.`,
      );
    }
    const facts =
      p.paymentId && PAYMENT_ID_PATTERN.test(p.paymentId)
        ? await this.providerFacts({ paymentId: p.paymentId })
        : undefined;
    if (!facts || facts.status !== 'paid' || !facts.paymentId)
      return this.reject(ref, p, `The provider knows no successful payment ${p.paymentId ?? '(none given)'}.`);
    const paid: PaymentResult = {
      outcome: 'paid',
      sessionId: facts.sessionId,
      paymentId: facts.paymentId,
      amount: facts.amount,
      eventId: p.eventId,
    };
    const settled = await this.d.settlements.get(facts.paymentId);
    if (settled && settled.bookingId !== doc.id)
      return this.reject(ref, p, `Payment ${facts.paymentId} already settles booking ${settled.bookingId}.`, paid);
    // Made for this booking? The provider keeps the booking id its session was created for.
    const ours = facts.bookingId ? facts.bookingId === doc.id : facts.sessionId === doc.payment?.sessionId;
    if (!ours)
      return this.reject(
        ref,
        p,
        `Payment ${facts.paymentId} was made for booking ${facts.bookingId ?? '(unknown)'}.`,
        paid,
      );
    const mismatch = mismatchOf(doc, facts);
    const standing = await this.d.settlements.claim(this.settlement(doc, paid, mismatch ? 'refund' : 'confirm'));
    if (standing.bookingId !== doc.id)
      return this.reject(ref, p, `Payment ${facts.paymentId} already settles booking ${standing.bookingId}.`, paid);
    // A refund begun (refundUnusable marks the claim first): the money is going back, so it confirms nothing.
    if (mismatch || !confirmsBooking(standing) || standing.attempt !== doc.attempt)
      return this.reject(
        ref,
        p,
        mismatch ??
          (standing.refundingAt
            ? `Payment ${facts.paymentId} is being refunded (since ${standing.refundingAt}).`
            : `Payment ${facts.paymentId} was already set aside for a refund.`),
        paid,
        true,
      );
    return { verdict: 'paid', payment: paid };
  }

  /**
   * The hold timer fired and the provider cannot say whether the booking was paid: keep its seats
   * until `until` (the end of the grace) rather than release seats that may have been paid for.
   */
  async holdForGrace(ref: GraceInput): Promise<{ extended: boolean }> {
    const doc = await this.load(ref);
    if (doc.status !== 'paying' && doc.status !== 'held') return { extended: false };
    const r = await this.d.inventory.extendHold(doc.showId, doc.seatIds, holdIdOf(doc), doc.userId, ref.until);
    const at = iso(this.d.clock());
    await this.d.store.mutate(ref.userId, ref.bookingId, (d) =>
      d.attempt !== doc.attempt || Date.parse(d.deadline) >= Date.parse(ref.until)
        ? undefined
        : {
            ...d,
            deadline: ref.until,
            updatedAt: at,
            history: [
              ...d.history,
              {
                at,
                status: d.status,
                event: 'paymentUnknown',
                detail: `The provider could not say whether the booking was paid; the seats are kept until ${ref.until}.`,
              },
            ],
          },
    );
    return { extended: r.ok };
  }

  /** The provider's record of a session or payment; undefined when it knows none. Faults are thrown. */
  private async providerFacts(ref: { sessionId: string } | { paymentId: string }): Promise<PaymentStatus | undefined> {
    try {
      return await this.d.payments.getPaymentStatus(ref);
    } catch (err) {
      if (err instanceof PaymentError && err.code === 'PAYMENT_NOT_FOUND') return undefined;
      throw err;
    }
  }

  private settlement(doc: BookingDoc, p: PaymentResult, purpose: Settlement['purpose']): Settlement {
    return {
      id: p.paymentId!,
      bookingId: doc.id,
      userId: doc.userId,
      attempt: doc.attempt,
      sessionId: p.sessionId,
      amount: p.amount,
      purpose,
      at: iso(this.d.clock()),
    };
  }

  /** Records the rejection on the booking; `refund` is this booking's payment to give back. */
  private async reject(
    ref: BookingRef,
    claimed: PaymentResult,
    reason: string,
    facts?: PaymentResult,
    refund = false,
  ): Promise<PaymentVerdict> {
    const rejection: PaymentRejection = {
      code: 'PAYMENT_MISMATCH',
      ...(claimed.paymentId && PAYMENT_ID_PATTERN.test(claimed.paymentId) ? { paymentId: claimed.paymentId } : {}),
      sessionId: (facts ?? claimed).sessionId.slice(0, 200),
      amount: (facts ?? claimed).amount,
      reason,
      action: refund ? 'refund' : 'none',
      at: iso(this.d.clock()),
    };
    await this.recordRejection(ref, rejection);
    return { verdict: 'rejected', reason, key: rejectionKey(rejection), ...(refund && facts ? { refund: facts } : {}) };
  }

  private async recordRejection(ref: BookingRef, r: PaymentRejection): Promise<void> {
    await this.d.store.mutate(ref.userId, ref.bookingId, (d) => {
      const paymentRejections = withRejection(d.paymentRejections, r);
      if (!paymentRejections) return undefined;
      return {
        ...d,
        paymentRejections,
        updatedAt: r.at,
        history: [...d.history, { at: r.at, status: d.status, event: 'paymentRejected', detail: r.reason }],
      };
    });
  }

  async fail(ref: FailInput): Promise<{ status: BookingStatus }> {
    bookingEnded('failed', ref.bookingId, undefined, ref.code);
    const doc = await this.commit(
      ref,
      ref.event,
      (d) => ({
        failure: { code: ref.code, detail: ref.detail },
        ...(ref.paymentId && d.payment ? { payment: { ...d.payment, paymentId: ref.paymentId } } : {}),
      }),
      ref.detail,
    );
    await this.freeEndedAttempt(doc);
    return { status: doc.status };
  }

  /**
   * The provider declined the current try within the hold: back to held with the seats kept, the
   * declined session recorded and the current payment cleared, so that nothing paid on that session
   * can settle the booking any more (mismatchOf) and a retry starts a new one. Idempotent.
   */
  async declinePayment(ref: BookingRef): Promise<{ status: BookingStatus }> {
    const at = iso(this.d.clock());
    const doc = await this.commit(
      ref,
      'paymentDeclined',
      (d) => ({
        payment: undefined,
        declinedPayments: [
          ...(d.declinedPayments ?? []),
          { try: paymentTryOf(d), sessionId: d.payment?.sessionId ?? '', at },
        ],
      }),
      'The payment was declined; the seats stay held until the hold ends.',
    );
    return { status: doc.status };
  }

  /**
   * Whether a PaymentRetry event stands for a retry the owner asked for (POST …/retry-payment
   * commits the new try first): the booking is held, its current try has no session and was not
   * declined, and the hold has not run out. The event's payload is never trusted.
   */
  async verifyRetry(ref: BookingRef): Promise<{ ok: boolean }> {
    const doc = await this.load(ref);
    const ok =
      doc.attempt === (ref.attempt ?? doc.attempt) &&
      doc.status === 'held' &&
      !doc.payment &&
      !declinedNow(doc) &&
      paymentTryOf(doc) > 1 &&
      paymentTryOf(doc) <= MAX_PAYMENT_TRIES &&
      !!doc.holdExpiresAt &&
      Date.parse(doc.holdExpiresAt) > this.d.clock();
    return { ok };
  }

  /**
   * Lets the held seats go at the owner's request (a ReleaseRequested event, verified here against
   * the booking as committed: POST …/release records the request first). A booking whose session
   * the provider already reports paid is not released: that payment confirms it. Idempotent.
   */
  async release(ref: BookingRef): Promise<ReleaseStep> {
    const doc = await this.load(ref);
    if (doc.status === 'expired' && doc.failure?.code === 'HOLD_RELEASED') return { released: true };
    if (!doc.releaseRequestedAt || (doc.status !== 'held' && doc.status !== 'paying'))
      return { released: false, detail: `No release was asked for, or the booking is ${doc.status}.` };
    if (doc.payment) {
      const s = await this.providerFacts({ sessionId: doc.payment.sessionId });
      if (s?.status === 'paid') return { released: false, detail: 'The booking was already paid.' };
    }
    const r = await this.d.inventory.release(doc.showId, holdIdOf(doc), doc.seatIds);
    if (!r.ok) throw new Error(`releasing seats of ${doc.id} failed: ${r.code}`);
    const detail = 'The seats were released by the customer before paying.';
    const ended = await this.commit(
      ref,
      'holdReleased',
      () => ({ failure: { code: 'HOLD_RELEASED', detail } }),
      detail,
    );
    await this.freeEndedAttempt(ended);
    return { released: true };
  }

  async expire(ref: BookingRef): Promise<{ status: BookingStatus }> {
    bookingEnded('expired', ref.bookingId);
    const doc = await this.commit(ref, 'holdExpired', () => ({
      failure: { code: 'HOLD_EXPIRED', detail: 'The seats were held until the hold expired without a payment.' },
    }));
    await this.freeEndedAttempt(doc);
    return { status: doc.status };
  }

  /** The reconciler's end for a booking whose saga is gone: pending → failed, held/paying → expired. */
  async abandon(ref: BookingRef): Promise<{ status: BookingStatus }> {
    const doc = await this.load(ref);
    if (doc.status === 'pending') {
      const saved = await this.commit(ref, 'seatsUnavailable', () => ({
        failure: { code: 'BOOKING_ABANDONED', detail: 'The booking did not get past the seat hold in time.' },
      }));
      await this.freeEndedAttempt(saved);
      return { status: saved.status };
    }
    if (doc.status === 'held' || doc.status === 'paying') return this.expire(ref);
    return { status: doc.status };
  }

  /**
   * Frees what the hold still holds (idempotent). Booked seats are touched only once the booking has
   * ended unconfirmed: then those a late confirmation booked for its attempt go back too.
   */
  async releaseSeats(ref: BookingRef): Promise<{ released: string[] }> {
    const doc = await this.load(ref);
    const attempt = { bookingId: doc.id, holdId: holdIdOf(doc), seatIds: doc.seatIds };
    const r = attemptEnded(doc.status)
      ? await this.d.inventory.releaseAttempt(doc.showId, attempt)
      : await this.d.inventory.release(doc.showId, attempt.holdId, doc.seatIds);
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
    const paymentId = p.paymentId;
    if (!paymentId) throw new Error('a late payment without a paymentId cannot be refunded');
    const doc = await this.load(ref);
    const known = doc.latePayments.find((l) => l.paymentId === paymentId);
    if (known?.status === 'refunded') return known;
    if (keeps(doc, paymentId)) throw new Error(`payment ${paymentId} is the booking's own payment, not a late one`);
    // A payment settles one booking: only the booking it was made for (as the provider records it),
    // and that owns it or claims it now, gives it back.
    const facts = await this.providerFacts({ paymentId });
    if (facts?.bookingId && facts.bookingId !== doc.id)
      throw new Error(`payment ${paymentId} was made for booking ${facts.bookingId}; ${doc.id} must not refund it`);
    const standing = await this.d.settlements.claim(this.settlement(doc, p, 'refund'));
    if (standing.bookingId !== doc.id)
      throw new Error(`payment ${paymentId} settles booking ${standing.bookingId}; ${doc.id} must not refund it`);
    const reason = ref.reason ?? `Payment received after the booking was ${doc.status}; refunded in full.`;
    // Before the provider is asked, the refund is marked where a confirmation looks (docs/architecture.md,
    // Sagas: Payment verification): on the claim, so that verifyPayment refuses the payment from now on,
    // even when it was claimed to confirm (a concurrent or later verification: bookingRecovery's, a
    // redelivered event); and on the booking, where confirmBooking's commit and this mark are ordered
    // by the booking's version — the booking is confirmed with it or refunds it, never both.
    const marking = iso(this.d.clock());
    await this.d.settlements.markRefunding(paymentId, marking);
    const entry = (status: LatePayment['status'], refundId?: string): LatePayment => ({
      paymentId,
      sessionId: p.sessionId,
      amount: p.amount,
      reason,
      ...(ref.mismatch ? { code: 'PAYMENT_MISMATCH' as const } : {}),
      ...(refundId ? { refundId } : {}),
      status,
      at: iso(this.d.clock()),
    });
    await this.d.store.mutate(ref.userId, ref.bookingId, (d) => {
      if (keeps(d, paymentId)) throw new Error(`payment ${paymentId} confirmed booking ${d.id}; it is not refunded`);
      if (d.latePayments.some((l) => l.paymentId === paymentId)) return undefined;
      return { ...d, updatedAt: marking, latePayments: [...d.latePayments, entry('refunding')] };
    });
    if (ref.mismatch)
      await this.recordRejection(ref, {
        code: 'PAYMENT_MISMATCH',
        paymentId,
        sessionId: p.sessionId,
        amount: p.amount,
        reason,
        action: 'refund',
        at: iso(this.d.clock()),
      });
    const refund = await this.d.payments
      .refund({ paymentId, amount: p.amount, idempotencyKey: `late:${doc.id}:${paymentId}`, reason })
      .catch((err: unknown) => {
        refunded('late_payment', 'error', doc.id, doc.showId);
        throw err;
      });
    refunded('late_payment', refund.status, doc.id, doc.showId);
    const done = entry('refunded', refund.refundId);
    await this.d.store.mutate(ref.userId, ref.bookingId, (d) => {
      if (d.latePayments.some((l) => l.paymentId === paymentId && l.status === 'refunded')) return undefined;
      return {
        ...d,
        updatedAt: done.at,
        latePayments: [...d.latePayments.filter((l) => l.paymentId !== paymentId), done],
        history: [...d.history, { at: done.at, status: d.status, event: 'latePaymentRefunded', detail: reason }],
      };
    });
    return done;
  }
}

/** Whether the booking settled with this payment and keeps it (confirmed, or cancelled under the policy). */
const keeps = (doc: BookingDoc, paymentId: string) =>
  doc.payment?.paymentId === paymentId &&
  (doc.status === 'confirmed' ||
    doc.status === 'cancelling' ||
    doc.status === 'cancelled' ||
    doc.status === 'refund_failed');

/** One hold per booking attempt: a retried attempt must not inherit the refused one's seats. */
export const holdIdOf = (doc: Pick<BookingDoc, 'id' | 'attempt'>) =>
  doc.attempt > 1 ? `${doc.id}.${doc.attempt}` : doc.id;
