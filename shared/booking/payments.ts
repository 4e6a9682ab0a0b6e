// Payment webhooks and reconciliation (docs/architecture.md, Sagas: Recovery and late payments).
//
// Webhook: the adapter verifies the signature and freshness (forged → 400/401 problem), the event
// id is looked up in `payments` (a redelivery is acknowledged and dropped), then the outcome goes to
// the booking's saga as the external event PaymentResult. If the saga already ended (the hold
// expired, the payment was declined), a successful payment is a late one: latePaymentSaga refunds it
// and records why — unless the booking is still pending/held/paying (its saga failed or was
// terminated): then the payment is left to the reconciler, which confirms the booking with it. The
// event is recorded after it was handled, so a crash in between means the provider's redelivery
// handles it again (every step is idempotent), never that it is lost.
//
// Reconciler (a timer): bookings past their deadline in pending/held/paying are driven to an end
// state — the provider's answer is raised on a live saga, or the saga is terminated and
// bookingRecovery settles the booking — and successful payments whose booking ended without using
// them are refunded. Each action is idempotent, so two reconciler runs that overlap do no harm.
import type { BookingStore, WebhookRecord, WebhookRecords } from './store.js';
import type { PaymentEvent, PaymentProvider, WebhookHeaders } from '../ports/payments.js';
import { ACTIVE_STATUSES, type BookingDoc } from './model.js';
import { TERMINAL_INSTANCE_STATES, type SagaClient } from './ports.js';
import type { BookingSteps } from './steps.js';
import { Saga, SagaEvent, type PaymentResult } from './saga-contracts.js';
import { cancelInstanceId } from './cancel.js';

export interface PaymentsDeps {
  store: BookingStore;
  webhooks: WebhookRecords;
  payments: PaymentProvider;
  steps: BookingSteps;
  clock: () => number;
  graceSeconds: number;
}

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
      const raised = TERMINAL_INSTANCE_STATES.includes(instance.state)
        ? 'gone'
        : await saga.raise(event.bookingId, SagaEvent.paymentResult, result, instance);
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
  ): Promise<{ stuck: number; driven: string[]; settled: number; refunding: number }> {
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
    return { stuck: stuck.length, driven, settled, refunding };
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
    const used =
      doc &&
      doc.payment?.paymentId === rec.paymentId &&
      ['confirmed', 'cancelling', 'cancelled', 'refund_failed'].includes(doc.status);
    const refunded = doc?.latePayments.some((l) => l.paymentId === rec.paymentId && l.status === 'refunded');
    if (!doc || used || refunded) {
      await this.d.webhooks.settle(rec.bookingId, rec.eventId);
      return 'settled';
    }
    if (ACTIVE_STATUSES.includes(doc.status) || !rec.paymentId) return 'waiting';
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
