// Payment verification end to end (docs/architecture.md, Sagas: Payment verification), over HTTP
// against the local host with the real Cosmos server and the payment simulator: a correctly signed
// webhook or a PaymentResult raised on the saga through the Durable HTTP API never confirms a
// booking with the wrong amount, another booking's session or a payment id another booking
// settled. A payment made for the booking is refunded in full (exactly once) and the refusal is
// recorded for operators (PAYMENT_MISMATCH) and published; a payment that settles another
// booking stays with it. Each booking still confirms with its own payment afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../shared/adapters/payments/signature.js';
import type { TestHost } from '../support/local-host.js';
import { raise } from '../durable/helpers.js';
import {
  api,
  book,
  checkout,
  createShow,
  PAYMENTS_API_KEY,
  providerCheckoutUrl,
  signIn,
  startBookingHost,
  statusIs,
  waitForBooking,
  waitForEvents,
  WEBHOOK_SECRET,
  type Caller,
  type TestShow,
} from './helpers.js';

type Money = { minor: number; currency: string };

let host: TestHost;
let operator: Caller;
let show: TestShow;

beforeAll(async () => {
  // A hold long enough for each attack to be decided while the booking is still payable.
  host = await startBookingHost({ HOLD_TTL_SECONDS: '30' });
  operator = await signIn(host, 'op-verify', ['operator']);
  show = await createShow(host, operator, 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

const provider = (path: string, init: RequestInit = {}) =>
  fetch(`${host.env.PAYMENTS_BASE_URL}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${PAYMENTS_API_KEY}`, 'content-type': 'application/json', ...init.headers },
  });

async function session(id: string) {
  return (await (await provider(`/v1/sessions/${id}`)).json()) as {
    status: string;
    paymentId?: string;
    amount: Money;
    refunded: Money;
  };
}

/** A booking awaiting payment: its id, its provider session and what it charges. */
async function awaitingPayment(caller: Caller, seatIds: string[]) {
  const r = await book(host, caller, { showId: show.showId, seatIds });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const page = await providerCheckoutUrl(r.body.paymentUrl);
  return {
    bookingId: r.body.bookingId as string,
    sessionId: page.split('/').pop()!,
    page,
    price: r.body.price.total as Money,
  };
}

/** A payment of `amount` taken at the provider for `bookingId` on a session of its own (no webhook sent). */
async function sidePayment(bookingId: string, attemptId: string, amount: Money) {
  const created = await provider('/v1/sessions', {
    method: 'POST',
    headers: { 'idempotency-key': `side-${bookingId}-${amount.minor}` },
    body: JSON.stringify({
      bookingId,
      attemptId,
      amount,
      description: 'a payment on the side',
      items: [],
      returnUrl: host.url(`/api/bookings/${bookingId}`),
      simulate: { webhook: 'never' },
    }),
  });
  expect(created.status).toBe(201);
  const { id, url } = (await created.json()) as { id: string; url: string };
  expect((await checkout(url, 'pay')).status).toBe(303);
  const paid = await session(id);
  expect(paid.status).toBe('paid');
  return { sessionId: id, paymentId: paid.paymentId! };
}

/** Posts a webhook signed with the provider's secret, as the provider would send it. */
async function signedWebhook(data: { bookingId: string; sessionId: string; paymentId: string; amount: Money }) {
  const body = JSON.stringify({
    id: `evt_${data.bookingId}_${data.paymentId}`,
    type: 'payment.succeeded',
    created: new Date().toISOString(),
    data: { ...data, attemptId: `${data.bookingId}.1` },
  });
  const res = await fetch(host.url('/api/payments/webhook'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'marquee-signature': signatureHeader(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)),
    },
    body,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { outcome: string };
}

const paidResult = (sessionId: string, paymentId: string, amount: Money) => ({
  outcome: 'paid',
  sessionId,
  paymentId,
  amount,
  eventId: `evt_raised_${paymentId}`,
});

/** The saga's custom status says it refused a result and is still waiting. */
async function waitForRefusal(bookingId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = await api(
      host,
      undefined,
      'GET',
      `/runtime/webhooks/durabletask/instances/${bookingId}`,
      undefined,
      host.admin,
    );
    if (s.body.customStatus?.rejected === 'PAYMENT_MISMATCH') return s.body;
    if (Date.now() > deadline) throw new Error(`the saga of ${bookingId} refused nothing: ${JSON.stringify(s.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The booking as operators see it (GET /api/ops/bookings lists it with its rejections). */
async function opsView(bookingId: string) {
  const r = await api(host, operator, 'GET', '/api/ops/bookings?status=paying');
  expect(r.status).toBe(200);
  return (r.body.items as { bookingId: string }[]).find((b) => b.bookingId === bookingId);
}

describe('payment verification', () => {
  it('never confirms a booking with the wrong amount, raised or signed; the payment is refunded once', async () => {
    const u = await signIn(host, 'verify-amount');
    const b = await awaitingPayment(u, ['A1', 'A2']);
    const small = { minor: 1, currency: b.price.currency };
    const side = await sidePayment(b.bookingId, `${b.bookingId}.1`, small);

    // Raised on the saga, claiming the booking's own session and full price for a 1-paisa payment.
    expect(await raise(host, b.bookingId, 'PaymentResult', paidResult(b.sessionId, side.paymentId, b.price))).toBe(202);
    await waitForRefusal(b.bookingId);
    // Signed by the provider's secret, naming the booking's session but the real (tiny) amount.
    const hook = await signedWebhook({
      bookingId: b.bookingId,
      sessionId: b.sessionId,
      paymentId: side.paymentId,
      amount: small,
    });
    expect(hook.outcome).toBe('mismatch');

    const refunded = await waitForBooking(host, u, b.bookingId, (x) =>
      x.latePayments.some(
        (l: { paymentId: string; status: string }) => l.paymentId === side.paymentId && l.status === 'refunded',
      ),
    );
    expect(refunded.status).toBe('paying');
    expect(refunded.latePayments).toEqual([
      expect.objectContaining({
        paymentId: side.paymentId,
        code: 'PAYMENT_MISMATCH',
        amount: small,
        status: 'refunded',
      }),
    ]);
    expect(refunded.paymentRejections).toEqual([
      expect.objectContaining({ code: 'PAYMENT_MISMATCH', paymentId: side.paymentId, action: 'refund' }),
    ]);
    expect(refunded.paymentRejections[0].reason).toMatch(/1 INR/);
    expect((await opsView(b.bookingId)) as unknown).toMatchObject({
      paymentRejections: [{ code: 'PAYMENT_MISMATCH' }],
    });
    expect((await session(side.sessionId)).refunded.minor).toBe(1); // in full, once

    // The booking's own payment still confirms it, for what it charges.
    await checkout(b.page, 'pay');
    const confirmed = await waitForBooking(host, u, b.bookingId, statusIs('confirmed'));
    expect(confirmed.charged).toEqual(b.price);
    expect(confirmed.paymentId).not.toBe(side.paymentId);
    const events = await waitForEvents(host, b.bookingId, ['payment.rejected', 'refund.issued', 'booking.confirmed']);
    expect(events.find((e) => e.body.type === 'payment.rejected')!.body.data).toMatchObject({
      code: 'PAYMENT_MISMATCH',
      paymentId: side.paymentId,
    });
    expect((await session(side.sessionId)).refunded.minor).toBe(1);
  });

  it("never confirms a booking with another booking's session; that payment stays with its own booking", async () => {
    const u = await signIn(host, 'verify-victim');
    const v = await signIn(host, 'verify-payer');
    const victim = await awaitingPayment(u, ['B1']);
    const other = await awaitingPayment(v, ['B2']);
    await checkout(other.page, 'pay', { webhook: 'never' }); // paid, not yet known to its booking
    const otherPayment = (await session(other.sessionId)).paymentId!;

    // Same price, the other booking's real session and payment: raised, then signed.
    const claim = paidResult(other.sessionId, otherPayment, victim.price);
    expect(await raise(host, victim.bookingId, 'PaymentResult', claim)).toBe(202);
    await waitForRefusal(victim.bookingId);
    const hook = await signedWebhook({
      bookingId: victim.bookingId,
      sessionId: other.sessionId,
      paymentId: otherPayment,
      amount: victim.price,
    });
    expect(hook.outcome).toBe('mismatch');

    const refused = await waitForBooking(host, u, victim.bookingId, (x) =>
      x.paymentRejections.some((r: { paymentId?: string }) => r.paymentId === otherPayment),
    );
    expect(refused.status).toBe('paying');
    expect(refused.paymentRejections).toEqual([
      expect.objectContaining({ code: 'PAYMENT_MISMATCH', paymentId: otherPayment, action: 'none' }),
    ]);
    expect(refused.paymentRejections[0].reason).toContain(other.bookingId);
    await waitForEvents(host, victim.bookingId, ['payment.rejected']);

    // The payment was the other booking's: a true result raised on its saga confirms it, unrefunded.
    expect(
      await raise(host, other.bookingId, 'PaymentResult', paidResult(other.sessionId, otherPayment, other.price)),
    ).toBe(202);
    const confirmed = await waitForBooking(host, v, other.bookingId, statusIs('confirmed'));
    expect(confirmed.paymentId).toBe(otherPayment);
    const victimNow = await api(host, u, 'GET', `/api/bookings/${victim.bookingId}`);
    expect(victimNow.body).toMatchObject({ status: 'paying', latePayments: [] });
    expect((await session(other.sessionId)).refunded.minor).toBe(0);
  });

  it('never lets one payment id settle two bookings', async () => {
    const u = await signIn(host, 'verify-first');
    const w = await signIn(host, 'verify-second');
    const first = await awaitingPayment(u, ['C1']);
    await checkout(first.page, 'pay');
    const paidFirst = await waitForBooking(host, u, first.bookingId, statusIs('confirmed'));
    const reused = paidFirst.paymentId as string;

    const second = await awaitingPayment(w, ['C2']);
    // Everything right for the second booking (its session, its price) except the payment id.
    const hook = await signedWebhook({
      bookingId: second.bookingId,
      sessionId: second.sessionId,
      paymentId: reused,
      amount: second.price,
    });
    expect(hook.outcome).toBe('raised'); // nothing on the event contradicts the booking: the saga decides
    await waitForRefusal(second.bookingId);
    expect(
      await raise(host, second.bookingId, 'PaymentResult', paidResult(second.sessionId, reused, second.price)),
    ).toBe(202);
    const refused = await waitForBooking(host, w, second.bookingId, (x) => x.paymentRejections.length > 0);
    expect(refused.status).toBe('paying');
    expect(refused.paymentRejections).toEqual([
      expect.objectContaining({ code: 'PAYMENT_MISMATCH', paymentId: reused, action: 'none' }),
    ]);
    expect(refused.paymentRejections[0].reason).toContain(first.bookingId);

    // The first booking keeps its payment (confirmed, nothing refunded); the second pays for itself.
    expect((await api(host, u, 'GET', `/api/bookings/${first.bookingId}`)).body.status).toBe('confirmed');
    expect((await session(first.sessionId)).refunded.minor).toBe(0);
    await checkout(second.page, 'pay');
    const own = await waitForBooking(host, w, second.bookingId, statusIs('confirmed'));
    expect(own.paymentId).not.toBe(reused);
  });
});
