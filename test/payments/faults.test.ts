// The payment simulator under injected faults (local/core/faults.ts), through the real adapter over
// real HTTP: provider errors that process nothing, outage windows with Retry-After, webhooks lost
// or duplicated; and its ledger, which a chaos run balances the bookings against.
import { afterEach, describe, expect, it } from 'vitest';
import { Faults, parseFaultSettings } from '../../local/core/faults.js';
import type { Ledger } from '../../local-plugins/payments/ledger.js';
import { API_KEY, sessionInput, startRig, submitCheckout, type Rig } from './harness.js';

let rig: Rig;
afterEach(async () => {
  await rig?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function on(env: Record<string, string>, now?: () => number): Faults {
  const f = new Faults(parseFaultSettings(env), now);
  f.setEnabled(true);
  return f;
}

describe('payments simulator: injected faults', () => {
  it('answers 5xx without processing anything while errors are injected, and works once they stop', async () => {
    const faults = on({ LOCAL_FAULTS_PAYMENTS_ERROR: '1' });
    rig = await startRig({}, faults);
    const p = rig.provider({ retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    const input = sessionInput();
    await expect(p.createSession(input)).rejects.toMatchObject({ retryable: true });
    expect(rig.sim.store.sessions.size).toBe(0);
    expect(faults.report().counts['payments.error']).toBe(2);
    faults.setEnabled(false);
    await expect(p.createSession(input)).resolves.toMatchObject({ sessionId: expect.stringMatching(/^cs_/) });
  });

  it('is out for the outage window with Retry-After, and back after it', async () => {
    let now = 0;
    const faults = on(
      { LOCAL_FAULTS_PAYMENTS_OUTAGE_EVERY_MS: '10000', LOCAL_FAULTS_PAYMENTS_OUTAGE_MS: '1000' },
      () => now,
    );
    rig = await startRig({}, faults);
    const get = () => fetch(`${rig.baseUrl}/v1/sessions/cs_none`, { headers: { authorization: `Bearer ${API_KEY}` } });
    now = 10_500;
    const out = await get();
    expect(out.status).toBe(503);
    expect(out.headers.get('retry-after')).toBe('1');
    now = 11_500;
    expect((await get()).status).toBe(404);
  });

  it('loses every webhook at loss rate 1, and sends each twice at duplicate rate 1', async () => {
    rig = await startRig({}, on({ LOCAL_FAULTS_WEBHOOK_LOSS: '1' }));
    const lost = await rig.provider().createSession(sessionInput());
    await submitCheckout(lost.paymentUrl, 'pay');
    await sleep(300);
    expect(rig.receiver.received).toHaveLength(0);
    await rig.stop();

    rig = await startRig({}, on({ LOCAL_FAULTS_WEBHOOK_DUPLICATE: '1' }));
    const twice = await rig.provider().createSession(sessionInput());
    await submitCheckout(twice.paymentUrl, 'pay');
    const [a, b] = await rig.receiver.waitFor(2);
    expect(a!.headers['marquee-event-id']).toBe(b!.headers['marquee-event-id']);
  });

  it('keeps a ledger of sessions (with their bookings), payments and refunds', async () => {
    rig = await startRig();
    const p = rig.provider();
    const input = sessionInput();
    const s = await p.createSession(input);
    await submitCheckout(s.paymentUrl, 'pay');
    const { paymentId } = await p.getPaymentStatus({ sessionId: s.sessionId });
    await p.refund({
      paymentId: paymentId!,
      amount: { minor: 1000, currency: 'INR' },
      idempotencyKey: 'r1',
      reason: 'test',
    });
    const ledger = (await (await fetch(`${rig.baseUrl}/v1/_simulator/ledger`)).json()) as Ledger;
    expect(ledger.sessions).toEqual([
      expect.objectContaining({ id: s.sessionId, bookingId: input.bookingId, status: 'paid', paymentId }),
    ]);
    expect(ledger.payments).toEqual([expect.objectContaining({ id: paymentId, refunded: 1000 })]);
    expect(ledger.refunds).toEqual([expect.objectContaining({ paymentId, amount: { minor: 1000, currency: 'INR' } })]);
  });
});
