// Refunding a payment the booking cannot use (BookingSteps.refundUnusable: a late payment, seats
// lost, a mismatch) against a verification of the same payment (bookingVerifyPayment: a redelivered
// event, bookingRecovery, a second saga step): the refund is marked on the payment's settlement claim
// and on the booking before the provider is asked, so the payment can no longer confirm the booking
// — a booking is never confirmed with money that went back (docs/architecture.md, Sagas: Payment
// verification). Through the local host's Cosmos server and payment simulator, with the saga's steps
// run from the test process as two Function instances (steps-harness.ts); no saga runs for these bookings.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import type { Cosmos } from '../../shared/adapters/cosmos/client.js';
import type { BookingRef, PaymentResult } from '../../shared/booking/saga-contracts.js';
import { checkout, createShow, signIn, startBookingHost, type TestShow } from './helpers.js';
import { connect, draftBooking, providerSession, stepsInstance } from './steps-harness.js';

let host: TestHost;
let cosmos: Cosmos;
let show: TestShow;
const database = `refrace${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  host = await startBookingHost({ COSMOS_DATABASE: database }, 120_000);
  show = await createShow(host, await signIn(host, 'op-refund-race', ['operator']), 72);
  cosmos = connect(database);
}, 150_000);

afterAll(async () => {
  await host?.stop();
});

/** A booking held and paid on its own session (no webhook), and the payment as the provider reports it. */
async function paidBooking(seatIds: string[]) {
  const a = stepsInstance(host, cosmos);
  const doc = draftBooking(show, seatIds, { userId: `race-${randomBytes(3).toString('hex')}` });
  expect(await a.store.create(doc)).toBe(true);
  const ref: BookingRef = { bookingId: doc.id, userId: doc.userId, attempt: 1 };
  expect((await a.steps.holdSeats(ref)).ok).toBe(true);
  const session = await a.steps.createPayment({ ...ref, returnUrl: `${host.origin}/bookings/${doc.id}` });
  if (!session.ok) throw new Error(`no session: ${JSON.stringify(session)}`);
  expect((await checkout(session.paymentUrl, 'pay', { webhook: 'never' })).status).toBe(303);
  const s = await providerSession(host, session.sessionId);
  const payment: PaymentResult = {
    outcome: 'paid',
    sessionId: session.sessionId,
    paymentId: s.paymentId,
    amount: s.amount,
    eventId: `evt_${doc.id}`,
  };
  return { ref, payment, sessionId: session.sessionId, amount: s.amount };
}

describe('a refund against a verification of the same payment', () => {
  it('a payment whose refund has begun is refused by verification and confirms nothing', async () => {
    const { ref, payment, sessionId, amount } = await paidBooking(['A1']);
    const first = stepsInstance(host, cosmos);
    const second = stepsInstance(host, cosmos);
    // Verified (claimed to confirm) by one step — then the payment is refunded as unusable by another.
    expect(await first.steps.verifyPayment({ ...ref, payment })).toMatchObject({ verdict: 'paid' });
    const refunded = await second.steps.refundUnusable({ ...ref, payment, reason: 'test: the seats were lost' });
    expect(refunded).toMatchObject({ paymentId: payment.paymentId, status: 'refunded' });
    expect((await first.settlements.get(payment.paymentId!))?.refundingAt).toBeTruthy();

    // A later verification (a redelivered event, bookingRecovery) refuses it, and the claim it got
    // earlier does not let it confirm either.
    const again = await first.steps.verifyPayment({ ...ref, payment });
    expect(again).toMatchObject({ verdict: 'rejected' });
    expect(again.verdict === 'rejected' && again.reason).toMatch(/being refunded/);
    expect(await first.steps.confirmSeats(ref)).toEqual({ ok: true });
    await expect(first.steps.confirmBooking({ ...ref, payment })).rejects.toThrow(/refunded/);

    const stored = await first.store.get(ref.userId, ref.bookingId);
    expect(stored?.status).toBe('paying');
    expect(stored?.latePayments).toEqual([
      expect.objectContaining({ paymentId: payment.paymentId, status: 'refunded' }),
    ]);
    expect((await providerSession(host, sessionId)).refunded).toEqual(amount); // once, in full
  }, 60_000);

  it('a refund and a confirmation at once: the booking keeps the payment or it is refunded, never both', async () => {
    for (const seat of ['B1', 'B2', 'B3']) {
      const { ref, payment, sessionId, amount } = await paidBooking([seat]);
      const confirming = stepsInstance(host, cosmos);
      const refunding = stepsInstance(host, cosmos);
      expect(await confirming.steps.verifyPayment({ ...ref, payment })).toMatchObject({ verdict: 'paid' });
      const [confirmed, refund] = await Promise.allSettled([
        (async () => {
          const v = await confirming.steps.verifyPayment({ ...ref, payment });
          if (v.verdict !== 'paid') throw new Error(`refused: ${JSON.stringify(v)}`);
          expect(await confirming.steps.confirmSeats(ref)).toEqual({ ok: true });
          return confirming.steps.confirmBooking({ ...ref, payment: v.payment });
        })(),
        refunding.steps.refundUnusable({ ...ref, payment, reason: 'test: refunded at once' }),
      ]);
      const stored = await confirming.store.get(ref.userId, ref.bookingId);
      const back = (await providerSession(host, sessionId)).refunded.minor;
      const outcome = `${seat}: confirm ${confirmed.status}, refund ${refund.status}, booking ${stored?.status}, refunded ${back}`;
      // Exactly one of the two happened, and the books say the same.
      expect([confirmed.status, refund.status].sort(), outcome).toEqual(['fulfilled', 'rejected']);
      if (confirmed.status === 'fulfilled') {
        expect(stored?.status, outcome).toBe('confirmed');
        expect(back, outcome).toBe(0);
      } else {
        expect(stored?.status, outcome).toBe('paying');
        expect(back, outcome).toBe(amount.minor);
      }
    }
  }, 90_000);
});
