// Payment webhooks and reconciliation (docs/architecture.md, Sagas: Recovery and late payments).
//
// Webhook: the adapter verifies the signature and freshness (forged → 400/401 problem), the event
// id is looked up in `payments` (a redelivery is acknowledged and dropped), a successful payment is
// checked against the booking as committed (its current session and amount; a mismatch is recorded
// as such), then the outcome goes to the booking's saga as the external event PaymentResult, which
// the saga verifies again against the provider before it may use it (and refunds it if not). If the saga already ended (the hold
// expired, the payment was declined), a successful payment is a late one: latePaymentSaga refunds it
// and records why — unless the booking is still pending/held/paying (its saga failed or was
// terminated): then the payment is left to the reconciler, which confirms the booking with it. The
// event is recorded after it was handled, so a crash in between means the provider's redelivery
// handles it again (every step is idempotent), never that it is lost.
//
// Reconciler (a timer): bookings past their deadline in pending/held/paying are driven to an end
// state — the provider's answer is raised on a live saga, or the saga is terminated and
// bookingRecovery settles the booking — and successful payments whose booking ended without using
// them are refunded: those the webhooks recorded, and those the provider lists (its own record, so
// a lost webhook or a refund that kept failing is found too). Each action is idempotent, so two
// reconciler runs that overlap do no harm.
import type { BookingStore, Settlements, WebhookRecord, WebhookRecords } from './store.js';
import type { PaymentEvent, PaymentProvider, PaymentStatus, WebhookHeaders } from '../ports/payments.js';
import { mismatchOf } from './verification.js';
import { ACTIVE_STATUSES, type BookingDoc } from './model.js';
import { TERMINAL_INSTANCE_STATES, type SagaClient } from './ports.js';
import type { BookingSteps } from './steps.js';
import { Saga, SagaEvent, type PaymentResult } from './saga-contracts.js';
import { cancelInstanceId } from './cancel.js';

export interface PaymentsDeps {
  store: BookingStore;
  webhooks: WebhookRecords;
  settlements: Settlements;
  payments: PaymentProvider;
  steps: BookingSteps;
  clock: () => number;
  graceSeconds: number;
  /** How far back the reconciler reads the provider's payments (PAYMENTS_RECONCILE_LOOKBACK_SECONDS). */
  providerLookbackSeconds: number;
}

/** Bookings whose own payment is accounted for by the booking itself (a seat, or a cancellation's refund and fees). */
const USED_STATUSES = ['confirmed', 'cancelling', 'cancelled', 'refund_failed'];
/** Pages of the provider's payments read per reconciler pass (each PROVIDER_PAGE long). */
const PROVIDER_PAGES = 5;
const PROVIDER_PAGE = 100;

export type WebhookOutcome = { eventId: string; duplicate: boolean; outcome: WebhookRecord['outcome'] };

const iso = (ms: number) => new Date(ms).toISOString();

export const toResult = (e: PaymentEvent): PaymentResult => ({
  outcome: e.type === 'payment.succeeded' ? 'paid' : 'declined',
  sessionId: e.sessionId,
  paymentId: e.paymentId,
  amount: e.amount,
  eventId: e.eventId,
});

export const lateInstanceId = (paymentId: string) => `late.${paymentId}`;

/** The booking saga's owner, read off its stored input: any saga instance may answer under that id. */
const userIdOf = (input: unknown): string | undefined =>
  typeof input === 'object' && input !== null && 'userId' in input && typeof input.userId === 'string'
    ? input.userId
    : undefined;

export class PaymentsService {
  constructor(private readonly d: PaymentsDeps) {}

  async webhook(rawBody: string, headers: WebhookHeaders, saga: SagaClient): Promise<WebhookOutcome> {
    const event = await this.d.payments.verifyWebhook(rawBody, headers);
    const seen = await this.d.webhooks.seen(event.bookingId, event.eventId);
    if (seen) return { eventId: event.eventId, duplicate: true, outcome: seen.outcome };
    const result = toResult(event);
    const instance = await saga.status(event.bookingId);
    const userId = userIdOf(instance?.input);
    let outcome: WebhookRecord['outcome'] = 'ignored';
    if (instance && userId) {
      const live = !TERMINAL_INSTANCE_STATES.includes(instance.state);
      // Checked here first against the booking as committed: a signed payment on another session
      // or for another amount is marked, and the saga — which verifies every result against the
      // provider — refuses it, refunding it when the provider says it was made for this booking.
      const mismatch =
        live && result.outcome === 'paid' && result.paymentId ? await this.mismatch(userId, event) : undefined;
      const raised = !live ? 'gone' : await saga.raise(event.bookingId, SagaEvent.paymentResult, result, instance);
      if (mismatch && raised === 'raised') return this.recordWebhook(event, userId, 'mismatch');
      const doc =
        raised !== 'raised' && result.outcome === 'paid' && result.paymentId
          ? await this.d.store.get(userId, event.bookingId)
          : undefined;
      if (raised === 'raised') outcome = 'raised';
      else if (doc && doc.payment?.paymentId === result.paymentId) {
        outcome = 'used'; // the saga learnt of it from the provider before this (delayed) webhook came
      } else if (doc && ACTIVE_STATUSES.includes(doc.status)) {
        // The saga ended (failed, or was terminated) before the booking did: the payment is not late.
        // The reconciler drives the booking with the provider's answer (this payment confirms it)
        // and refunds the payment only if the booking ends without using it (the record stays unsettled).
        outcome = 'deferred';
      } else if (result.outcome === 'paid' && result.paymentId) {
        await saga.start(Saga.latePayment, lateInstanceId(result.paymentId), {
          bookingId: event.bookingId,
          userId,
          payment: result,
        });
        outcome = 'late';
      }
    }
    return this.recordWebhook(event, userId, outcome);
  }

  /** Why the signed event's payment may not settle its booking as committed (its current session and amount), if it may not. */
  private async mismatch(userId: string, event: PaymentEvent): Promise<string | undefined> {
    const doc = await this.d.store.get(userId, event.bookingId);
    // No session recorded yet: the saga's own verification decides once it has one.
    if (!doc || !doc.payment || !ACTIVE_STATUSES.includes(doc.status)) return undefined;
    return mismatchOf(doc, { sessionId: event.sessionId, amount: event.amount });
  }

  private async recordWebhook(
    event: PaymentEvent,
    userId: string | undefined,
    outcome: WebhookRecord['outcome'],
  ): Promise<WebhookOutcome> {
    const record: WebhookRecord = {
      id: `evt:${event.eventId}`,
      kind: 'webhook',
      bookingId: event.bookingId,
      ...(userId ? { userId } : {}),
      eventId: event.eventId,
      type: event.type,
      sessionId: event.sessionId,
      ...(event.paymentId ? { paymentId: event.paymentId } : {}),
      amount: event.amount,
      outcome,
      // A successful payment stays unsettled until the booking shows it used or refunded.
      settled: event.type !== 'payment.succeeded' || outcome === 'ignored' || outcome === 'used',
      receivedAt: iso(this.d.clock()),
    };
    const fresh = await this.d.webhooks.record(record);
    return { eventId: event.eventId, duplicate: !fresh, outcome };
  }

  /** One reconciler pass; returns what it did, for the log. */
  async reconcile(
    saga: SagaClient,
    limit = 50,
  ): Promise<{
    stuck: number;
    driven: string[];
    settled: number;
    refunding: number;
    providerSeen: number;
    /** Why the pass over the provider's payments stopped, when it did (it is tried again next pass). */
    providerError?: string;
  }> {
    const now = this.d.clock();
    const cutoff = iso(now - this.d.graceSeconds * 1000);
    const driven: string[] = [];
    const stuck = await this.d.store.listByStatus([...ACTIVE_STATUSES, 'cancelling'], limit, cutoff);
    for (const doc of stuck) {
      try {
        const action =
          doc.status === 'cancelling' ? await this.driveCancellation(doc, saga) : await this.driveBooking(doc, saga);
        if (action) driven.push(`${doc.id}:${action}`);
      } catch {
        // One bad booking must not stop the pass; it is looked at again next time.
      }
    }
    let settled = 0;
    let refunding = 0;
    for (const rec of await this.d.webhooks.unsettled(cutoff, limit)) {
      const r = await this.settlePayment(rec, saga).catch(() => 'error' as const);
      if (r === 'settled') settled++;
      if (r === 'refunding') refunding++;
    }
    const provider = await this.reconcileProvider(saga, iso(now - this.d.providerLookbackSeconds * 1000), cutoff).catch(
      (err: unknown) => ({ seen: 0, refunding: 0, error: String((err as Error)?.message ?? err) }),
    );
    return {
      stuck: stuck.length,
      driven,
      settled,
      refunding: refunding + provider.refunding,
      providerSeen: provider.seen,
      ...('error' in provider ? { providerError: provider.error } : {}),
    };
  }

  /**
   * Reconciles from the provider's side (docs/architecture.md, Sagas: Recovery and late payments):
   * every payment the provider took for one of our bookings, since `since` and before `cutoff`,
   * must end up either as the booking's own payment (confirmed, or cancelled under the policy) or
   * refunded. One that is neither — its webhook lost, the saga gave up, a refund that kept failing —
   * is refunded by latePaymentSaga (one instance per payment id, refund keyed by it: exactly once).
   */
  private async reconcileProvider(saga: SagaClient, since: string, cutoff: string) {
    let seen = 0;
    let refunding = 0;
    let startingAfter: string | undefined;
    for (let page = 0; page < PROVIDER_PAGES; page++) {
      const { payments, next } = await this.d.payments.listPayments({
        paidAfter: since,
        limit: PROVIDER_PAGE,
        ...(startingAfter ? { startingAfter } : {}),
      });
      for (const p of payments) {
        seen++;
        if ((await this.settleProviderPayment(p, saga, cutoff).catch(() => 'error')) === 'refunding') refunding++;
      }
      if (!next) break;
      startingAfter = next;
    }
    return { seen, refunding };
  }

  private async settleProviderPayment(p: PaymentStatus, saga: SagaClient, cutoff: string): Promise<string> {
    if (p.status !== 'paid' || !p.paymentId || !p.bookingId) return 'not-ours';
    if (p.paidAt && p.paidAt >= cutoff) return 'recent'; // its webhook and saga get the grace first
    if (p.refunded.minor >= p.amount.minor) return 'refunded';
    const settled = await this.d.settlements.get(p.paymentId);
    const doc =
      settled && settled.bookingId === p.bookingId
        ? await this.d.store.get(settled.userId, settled.bookingId)
        : await this.d.store.findById(p.bookingId);
    if (!doc) return 'not-ours';
    if (doc.payment?.paymentId === p.paymentId && USED_STATUSES.includes(doc.status)) return 'used';
    if (doc.latePayments.some((l) => l.paymentId === p.paymentId && l.status === 'refunded')) return 'refunded';
    if (ACTIVE_STATUSES.includes(doc.status)) return 'waiting'; // its saga (or bookingRecovery) decides
    const started = await saga.start(Saga.latePayment, lateInstanceId(p.paymentId), {
      bookingId: doc.id,
      userId: doc.userId,
      payment: {
        outcome: 'paid',
        sessionId: p.sessionId,
        paymentId: p.paymentId,
        amount: p.amount,
        eventId: `provider:${p.paymentId}`,
      },
      reason: `The provider reports this payment and the booking (${doc.status}) did not use it; refunded in full.`,
    });
    return started === 'started' ? 'refunding' : 'waiting';
  }

  private async driveBooking(doc: BookingDoc, saga: SagaClient): Promise<string | undefined> {
    const ref = { bookingId: doc.id, userId: doc.userId };
    const provider = await this.d.steps
      .paymentStatus(ref)
      .catch(() => ({ status: 'unknown' as const, paymentId: undefined, amount: undefined }));
    const sessionId = doc.payment?.sessionId ?? '';
    const payment: PaymentResult | undefined =
      provider.status === 'paid' && provider.paymentId && provider.amount
        ? {
            outcome: 'paid',
            sessionId,
            paymentId: provider.paymentId,
            amount: provider.amount,
            eventId: `reconcile:${sessionId}`,
          }
        : provider.status === 'declined' && provider.amount
          ? { outcome: 'declined', sessionId, amount: provider.amount, eventId: `reconcile:${sessionId}` }
          : undefined;
    const instance = await saga.status(doc.id);
    const live = instance && !TERMINAL_INSTANCE_STATES.includes(instance.state);
    if (live && payment && (await saga.raise(doc.id, SagaEvent.paymentResult, payment, instance)) === 'raised')
      return `raised-${payment.outcome}`;
    if (live) await saga.terminate(doc.id, 'reconciler: past the hold deadline');
    const started = await saga.start(Saga.recovery, `recover.${doc.id}.${doc.attempt}`, {
      ...ref,
      ...(payment ? { payment } : {}),
    });
    return started === 'started' ? `recovery-${payment?.outcome ?? 'none'}` : undefined;
  }

  /** A cancellation whose saga is gone is marked refund_failed, so operators see it and can retry. */
  private async driveCancellation(doc: BookingDoc, saga: SagaClient): Promise<string | undefined> {
    const c = doc.cancellations.find((x) => x.status === 'requested' || x.status === 'refunded');
    if (!c) return undefined;
    const instance = await saga.status(cancelInstanceId(doc.id, c));
    if (instance && !TERMINAL_INSTANCE_STATES.includes(instance.state)) return undefined;
    if (c.status === 'refunded') return undefined; // money went back; the seats wait for an operator retry
    const at = iso(this.d.clock());
    await this.d.store.mutate(doc.userId, doc.id, (d) =>
      d.status !== 'cancelling'
        ? undefined
        : {
            ...d,
            status: 'refund_failed',
            updatedAt: at,
            history: [
              ...d.history,
              {
                at,
                status: 'refund_failed',
                event: 'refundFailed',
                detail: 'reconciler: the cancellation saga ended without an outcome',
              },
            ],
            cancellations: d.cancellations.map((x) =>
              x.id === c.id
                ? {
                    ...x,
                    status: 'refund_failed' as const,
                    lastError: 'the cancellation saga ended without an outcome',
                  }
                : x,
            ),
          },
    );
    return 'cancellation-refund_failed';
  }

  private async settlePayment(rec: WebhookRecord, saga: SagaClient): Promise<'settled' | 'refunding' | 'waiting'> {
    const doc = rec.userId ? await this.d.store.get(rec.userId, rec.bookingId) : undefined;
    const used = doc && doc.payment?.paymentId === rec.paymentId && USED_STATUSES.includes(doc.status);
    const refunded = doc?.latePayments.some((l) => l.paymentId === rec.paymentId && l.status === 'refunded');
    if (!doc || used || refunded) {
      await this.d.webhooks.settle(rec.bookingId, rec.eventId);
      return 'settled';
    }
    if (ACTIVE_STATUSES.includes(doc.status) || !rec.paymentId) return 'waiting';
    // A payment another booking settles, or that the provider says was made for another booking, is
    // that booking's to account for (the pass over the provider's payments sees to it).
    const claim = await this.d.settlements.get(rec.paymentId);
    const madeFor = claim
      ? undefined
      : (await this.d.payments.getPaymentStatus({ paymentId: rec.paymentId })).bookingId;
    if ((claim && claim.bookingId !== rec.bookingId) || (madeFor && madeFor !== rec.bookingId)) {
      await this.d.webhooks.settle(rec.bookingId, rec.eventId);
      return 'settled';
    }
    const payment: PaymentResult = {
      outcome: 'paid',
      sessionId: rec.sessionId,
      paymentId: rec.paymentId,
      amount: rec.amount,
      eventId: rec.eventId,
    };
    await saga.start(Saga.latePayment, lateInstanceId(rec.paymentId), {
      bookingId: doc.id,
      userId: doc.userId,
      payment,
    });
    return 'refunding';
  }
}
