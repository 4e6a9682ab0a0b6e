// The payment adapter against the simulator over real HTTP (the contract of the
// port, exercised through the real adapter).
import { afterEach, describe, expect, it } from 'vitest';
import { PaymentError, type PaymentEvent } from '../../shared/ports/payments.js';
import { SIGNATURE_HEADER } from '../../shared/adapters/payments/signature.js';
import { sessionInput, startRig, submitCheckout, type Received, type Rig } from './harness.js';

let rig: Rig;
afterEach(async () => {
  await rig?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function verified(received: Received): Promise<PaymentEvent> {
  return rig.provider().verifyWebhook(received.body, received.headers as Record<string, string>);
}

describe('payments: adapter against the simulator', () => {
  it('creates one session per idempotency key, and a new one for a new attempt', async () => {
    rig = await startRig();
    const p = rig.provider();
    const input = sessionInput();
    const first = await p.createSession(input);
    const again = await p.createSession(input);
    expect(again).toEqual(first);
    expect(first.paymentUrl).toBe(`${rig.baseUrl}/checkout/${first.sessionId}`);
    expect(Date.parse(first.expiresAt)).toBeGreaterThan(Date.now());
    const retry = await p.createSession({
      ...input,
      attemptId: `${input.bookingId}:2`,
      idempotencyKey: `session:${input.bookingId}:2`,
    });
    expect(retry.sessionId).not.toBe(first.sessionId);
    // The same key with a different body is refused for good, not retried.
    await expect(p.createSession({ ...input, description: 'something else' })).rejects.toMatchObject({
      code: 'PAYMENT_REQUEST_REFUSED',
      retryable: false,
    });
    expect(rig.sim.store.sessions.size).toBe(2);
  });

  it('refuses a session whose items do not add up to the amount, and a wrong API key', async () => {
    rig = await startRig();
    await expect(
      rig.provider().createSession(sessionInput({ amount: { minor: 1, currency: 'INR' } })),
    ).rejects.toMatchObject({ code: 'PAYMENT_REQUEST_REFUSED' });
    const before = rig.apiRequests();
    await expect(
      rig.provider({ apiKey: async () => 'sk_wrong_key_0000000000' }).createSession(sessionInput()),
    ).rejects.toMatchObject({ code: 'PAYMENT_REQUEST_REFUSED' });
    expect(rig.apiRequests() - before).toBe(1); // a 401 is not retried
  });

  it('shows an accessible checkout page with the amount, items and three buttons', async () => {
    rig = await startRig();
    const s = await rig.provider().createSession(sessionInput());
    const res = await fetch(s.paymentUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('₹447.20');
    expect(html).toContain('CLASSIC A1, A2');
    expect(html).toMatch(/<form method="post">/);
    for (const action of ['pay', 'decline', 'abandon']) expect(html).toContain(`name="action" value="${action}"`);
    expect(html).toContain('<th scope="col">');
    expect((await fetch(`${rig.baseUrl}/checkout/cs_nope`)).status).toBe(404);
  });

  it('pay: redirects back and delivers a signed payment.succeeded webhook', async () => {
    rig = await startRig();
    const p = rig.provider();
    const input = sessionInput();
    const s = await p.createSession(input);
    const res = await submitCheckout(s.paymentUrl, 'pay');
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location')!);
    expect(back.pathname).toBe('/bookings/return');
    expect(back.searchParams.get('status')).toBe('paid');
    expect(back.searchParams.get('sessionId')).toBe(s.sessionId);

    const [hook] = await rig.receiver.waitFor(1);
    expect(hook!.headers[SIGNATURE_HEADER]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = await verified(hook!);
    expect(event).toMatchObject({
      type: 'payment.succeeded',
      sessionId: s.sessionId,
      bookingId: input.bookingId,
      attemptId: input.attemptId,
      amount: input.amount,
    });
    expect(event.paymentId).toMatch(/^pay_/);
    expect(hook!.headers['marquee-event-id']).toBe(event.eventId);

    await expect(p.getPaymentStatus({ sessionId: s.sessionId })).resolves.toMatchObject({
      status: 'paid',
      paymentId: event.paymentId,
      amount: input.amount,
    });
    await expect(p.getPaymentStatus({ paymentId: event.paymentId! })).resolves.toMatchObject({
      status: 'paid',
      sessionId: s.sessionId,
      refunded: { minor: 0 },
    });
    // Paying twice does not charge twice.
    expect((await submitCheckout(s.paymentUrl, 'pay')).status).toBe(200);
    await sleep(100);
    expect(rig.receiver.received).toHaveLength(1);
    expect(rig.sim.store.payments.size).toBe(1);
  });

  it('decline: delivers payment.declined, ends the session, and a new attempt can pay', async () => {
    rig = await startRig();
    const p = rig.provider();
    const input = sessionInput();
    const s = await p.createSession(input);
    const res = await submitCheckout(s.paymentUrl, 'decline');
    expect(new URL(res.headers.get('location')!).searchParams.get('status')).toBe('declined');
    const event = await verified((await rig.receiver.waitFor(1))[0]!);
    expect(event).toMatchObject({ type: 'payment.declined', sessionId: s.sessionId });
    expect(event.paymentId).toBeUndefined();
    await expect(p.getPaymentStatus({ sessionId: s.sessionId })).resolves.toMatchObject({ status: 'declined' });
    expect((await submitCheckout(s.paymentUrl, 'pay')).status).toBe(409);

    const second = await p.createSession({
      ...input,
      attemptId: `${input.bookingId}:2`,
      idempotencyKey: `session:${input.bookingId}:2`,
    });
    await submitCheckout(second.paymentUrl, 'pay');
    expect(await verified((await rig.receiver.waitFor(2))[1]!)).toMatchObject({
      type: 'payment.succeeded',
      attemptId: `${input.bookingId}:2`,
    });
  });

  it('declines everything when the decline switch is on, and abandon changes nothing', async () => {
    rig = await startRig({ MARQUEE_PAYMENTS_DECLINE_ALL: 'true' });
    const p = rig.provider();
    const s = await p.createSession(sessionInput());
    const abandoned = await submitCheckout(s.paymentUrl, 'abandon');
    expect(new URL(abandoned.headers.get('location')!).searchParams.get('status')).toBe('abandoned');
    await expect(p.getPaymentStatus({ sessionId: s.sessionId })).resolves.toMatchObject({ status: 'pending' });
    await submitCheckout(s.paymentUrl, 'pay');
    expect(await verified((await rig.receiver.waitFor(1))[0]!)).toMatchObject({ type: 'payment.declined' });
  });

  it('sends the webhook twice with the same event id when asked to duplicate', async () => {
    rig = await startRig();
    const s = await rig.provider().createSession(sessionInput());
    await submitCheckout(s.paymentUrl, 'pay', {}, '?duplicateWebhook=1');
    const [a, b] = await rig.receiver.waitFor(2);
    const [ea, eb] = await Promise.all([verified(a!), verified(b!)]);
    expect(ea.eventId).toBe(eb.eventId);
    expect(ea).toEqual(eb);
  });

  it('never sends the webhook when told so; the status query still reports the payment', async () => {
    rig = await startRig();
    const p = rig.provider();
    const s = await p.createSession(sessionInput());
    await submitCheckout(s.paymentUrl, 'pay', { webhook: 'never' });
    await sleep(300);
    expect(rig.receiver.received).toHaveLength(0);
    await expect(p.getPaymentStatus({ sessionId: s.sessionId })).resolves.toMatchObject({ status: 'paid' });
  });

  it('delays the webhook by the requested time', async () => {
    rig = await startRig();
    const s = await rig.provider().createSession(sessionInput());
    const t0 = Date.now();
    await submitCheckout(s.paymentUrl, 'pay', { webhookDelayMs: '400' });
    await sleep(150);
    expect(rig.receiver.received).toHaveLength(0);
    await rig.receiver.waitFor(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  it('redelivers with backoff while the app answers non-2xx, re-signing each attempt', async () => {
    rig = await startRig();
    rig.receiver.answer = (n) => (n < 2 ? 500 : 200);
    const s = await rig.provider().createSession(sessionInput());
    await submitCheckout(s.paymentUrl, 'pay');
    const hooks = await rig.receiver.waitFor(3);
    expect(hooks.map((h) => h.answered)).toEqual([500, 500, 200]);
    expect(new Set(hooks.map((h) => h.headers['marquee-event-id'])).size).toBe(1);
    for (const h of hooks) await verified(h);
    await sleep(150);
    expect(rig.receiver.received).toHaveLength(3);
    expect(rig.sim.sender.deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
  });

  it('gives up after the configured redeliveries', async () => {
    rig = await startRig({ MARQUEE_PAYMENTS_WEBHOOK_RETRIES: '2' });
    rig.receiver.answer = () => 503;
    const s = await rig.provider().createSession(sessionInput());
    await submitCheckout(s.paymentUrl, 'pay');
    await rig.receiver.waitFor(3);
    await sleep(300);
    expect(rig.receiver.received).toHaveLength(3);
  });
});

describe('payments: refunds', () => {
  async function paid(query = '') {
    const p = rig.provider();
    const s = await p.createSession(sessionInput());
    await submitCheckout(s.paymentUrl, 'pay', {}, query);
    const status = await p.getPaymentStatus({ sessionId: s.sessionId });
    return { p, paymentId: status.paymentId! };
  }

  it('refunds once per idempotency key and refuses more than was paid', async () => {
    rig = await startRig();
    const { p, paymentId } = await paid();
    const input = {
      paymentId,
      amount: { minor: 20_000, currency: 'INR' },
      idempotencyKey: 'refund:bk:A1',
      reason: 'customer cancelled A1',
    };
    const r1 = await p.refund(input);
    expect(r1).toMatchObject({ status: 'succeeded' });
    expect(r1.refundId).toMatch(/^re_/);
    await expect(p.refund(input)).resolves.toEqual(r1);
    await expect(p.getPaymentStatus({ paymentId })).resolves.toMatchObject({
      refunded: { minor: 20_000, currency: 'INR' },
    });
    // 447.20 paid, 200.00 refunded: 247.21 is one paisa too many.
    await expect(
      p.refund({ ...input, amount: { minor: 24_721, currency: 'INR' }, idempotencyKey: 'refund:bk:rest' }),
    ).rejects.toMatchObject({ code: 'PAYMENT_REQUEST_REFUSED' });
    await expect(
      p.refund({ ...input, amount: { minor: 24_720, currency: 'INR' }, idempotencyKey: 'refund:bk:rest' }),
    ).resolves.toMatchObject({ status: 'succeeded' });
    await expect(
      p.refund({ ...input, amount: { minor: 1, currency: 'INR' }, idempotencyKey: 'refund:bk:more' }),
    ).rejects.toBeInstanceOf(PaymentError);
    await expect(p.refund({ ...input, paymentId: 'pay_unknown', idempotencyKey: 'refund:x' })).rejects.toMatchObject({
      code: 'PAYMENT_NOT_FOUND',
    });
  });

  it('retries a refund that fails transiently and succeeds within the adapter’s attempts', async () => {
    rig = await startRig();
    const { p, paymentId } = await paid('?refundFailures=2');
    const before = rig.apiRequests();
    const r = await p.refund({
      paymentId,
      amount: { minor: 100, currency: 'INR' },
      idempotencyKey: 'refund:flaky',
      reason: 'test',
    });
    expect(r.status).toBe('succeeded');
    expect(rig.apiRequests() - before).toBe(3);
  });

  it('reports a refund that always fails as a retryable provider failure', async () => {
    rig = await startRig({ MARQUEE_PAYMENTS_REFUND_FAILURES: 'always' });
    const { p, paymentId } = await paid();
    const err = await p
      .refund({ paymentId, amount: { minor: 100, currency: 'INR' }, idempotencyKey: 'refund:broken', reason: 'test' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentError);
    expect(err).toMatchObject({ code: 'PAYMENT_PROVIDER_FAILED', retryable: true });
    await expect(p.getPaymentStatus({ paymentId })).resolves.toMatchObject({ refunded: { minor: 0 } });
  });
});

describe('payments: listing payments for reconciliation', () => {
  it('lists the payments made since a time, oldest first, with the booking each was made for, page by page', async () => {
    rig = await startRig();
    const p = rig.provider();
    const since = new Date(Date.now() - 1000).toISOString();
    const made: { bookingId: string; paymentId: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const input = sessionInput();
      const s = await p.createSession(input);
      await submitCheckout(s.paymentUrl, 'pay');
      made.push({
        bookingId: input.bookingId,
        paymentId: (await p.getPaymentStatus({ sessionId: s.sessionId })).paymentId!,
      });
    }
    await p.createSession(sessionInput()); // never paid: not listed
    const first = await p.listPayments({ paidAfter: since, limit: 2 });
    expect(first.payments.map((x) => x.paymentId)).toEqual(made.slice(0, 2).map((m) => m.paymentId));
    expect(first.payments[0]).toMatchObject({ status: 'paid', bookingId: made[0]!.bookingId, refunded: { minor: 0 } });
    expect(first.next).toBe(made[1]!.paymentId);
    const second = await p.listPayments({ paidAfter: since, limit: 2, startingAfter: first.next! });
    expect(second.payments.map((x) => x.paymentId)).toEqual([made[2]!.paymentId]);
    expect(second.next).toBeUndefined();
    expect(
      (await p.listPayments({ paidAfter: new Date(Date.now() + 60_000).toISOString(), limit: 10 })).payments,
    ).toEqual([]);
  });
});

describe('payments: timeouts and the circuit breaker', () => {
  it("times out a hanging provider, opens that operation's breaker only, fails fast while open, and recovers after the cooldown", async () => {
    rig = await startRig({ MARQUEE_PAYMENTS_API_DELAY_MS: '5000' });
    const p = rig.provider({
      timeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
      breaker: { failureThreshold: 2, cooldownMs: 400 },
    });
    const t0 = Date.now();
    const first = await p.createSession(sessionInput()).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'PAYMENT_PROVIDER_FAILED', retryable: true });
    expect((first as Error).message).toMatch(/no answer within 100 ms/);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(rig.apiRequests()).toBe(2);
    expect(p.breakerState('createSession')).toBe('open');
    // Bulkheads: the other operations keep their own breakers.
    expect(p.breakerState('status')).toBe('closed');
    expect(p.breakerState('refund')).toBe('closed');

    const t1 = Date.now();
    const fast = await p.createSession(sessionInput()).catch((e: unknown) => e);
    expect(fast).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', retryAfter: 1, retryable: true });
    expect(Date.now() - t1).toBeLessThan(50);
    expect(rig.apiRequests()).toBe(2); // not called while open

    rig.settings.MARQUEE_PAYMENTS_API_DELAY_MS = 0; // the provider recovers
    await sleep(450);
    const s = await p.createSession(sessionInput());
    expect(s.sessionId).toMatch(/^cs_/);
    expect(p.breakerState('createSession')).toBe('closed');
  });

  it('counts an unreachable provider as a failure too', async () => {
    rig = await startRig();
    const p = rig.provider({
      baseUrl: 'http://127.0.0.1:1/.payments',
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      breaker: { failureThreshold: 1, cooldownMs: 10_000 },
    });
    await expect(p.createSession(sessionInput())).rejects.toMatchObject({ code: 'PAYMENT_PROVIDER_FAILED' });
    await expect(p.createSession(sessionInput())).rejects.toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
  });
});
