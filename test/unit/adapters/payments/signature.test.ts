import { describe, expect, it } from 'vitest';
import { PaymentError } from '../../../../shared/ports/payments.js';
import { computeSignature, signatureHeader, verifySignature } from '../../../../shared/adapters/payments/signature.js';
import { createPaymentProvider } from '../../../../shared/adapters/payments/client.js';

const secret = 'whsec_test_0123456789abcdef';
const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded' });
const t = 1_800_000_000;
const opts = { toleranceSeconds: 300, now: t + 10 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof PaymentError ? err.code : `not a PaymentError: ${String(err)}`;
  }
  return undefined;
}

describe('webhook signatures', () => {
  it('accepts a body signed with the secret within the tolerance', () => {
    expect(verifySignature(secret, body, signatureHeader(secret, body, t), opts)).toBe(t);
  });

  it('rejects a signature made with another secret (forged)', () => {
    expect(
      codeOf(() => verifySignature(secret, body, signatureHeader('whsec_attacker_guess_000', body, t), opts)),
    ).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('rejects a tampered body', () => {
    const header = signatureHeader(secret, body, t);
    expect(codeOf(() => verifySignature(secret, body.replace('succeeded', 'declined'), header, opts))).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
    expect(codeOf(() => verifySignature(secret, body + ' ', header, opts))).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('rejects a timestamp older or newer than the tolerance, and accepts the edge', () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(secret, body, header, { toleranceSeconds: 300, now: t + 300 })).toBe(t);
    expect(codeOf(() => verifySignature(secret, body, header, { toleranceSeconds: 300, now: t + 301 }))).toBe(
      'WEBHOOK_TIMESTAMP_STALE',
    );
    expect(codeOf(() => verifySignature(secret, body, header, { toleranceSeconds: 300, now: t - 301 }))).toBe(
      'WEBHOOK_TIMESTAMP_STALE',
    );
  });

  it('rejects a replay that swaps in a fresh timestamp', () => {
    const captured = signatureHeader(secret, body, t);
    const v1 = /v1=([0-9a-f]+)/.exec(captured)![1];
    const now = t + 3600;
    expect(codeOf(() => verifySignature(secret, body, `t=${now},v1=${v1}`, { toleranceSeconds: 300, now }))).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
  });

  it('rejects missing or malformed headers', () => {
    for (const header of [
      undefined,
      '',
      'garbage',
      `t=${t}`,
      `v1=${computeSignature(secret, t, body)}`,
      `t=abc,v1=${computeSignature(secret, t, body)}`,
      `t=${t},v1=zz`,
    ]) {
      expect(codeOf(() => verifySignature(secret, body, header, opts))).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const header = `t=${t},v1=${computeSignature('old-secret-0000000000', t, body)},v1=${computeSignature(secret, t, body)}`;
    expect(verifySignature(secret, body, header, opts)).toBe(t);
  });

  it('verifyWebhook parses a signed event and refuses a signed body that is not one', async () => {
    const provider = createPaymentProvider({
      baseUrl: 'http://127.0.0.1:9/',
      apiKey: async () => 'unused',
      webhookSecret: async () => secret,
      webhookToleranceSeconds: 300,
      timeoutMs: 100,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      breaker: { failureThreshold: 5, cooldownMs: 1000 },
      now: () => t * 1000,
    });
    const event = JSON.stringify({
      id: 'evt_9',
      type: 'payment.succeeded',
      created: new Date(t * 1000).toISOString(),
      data: {
        sessionId: 'cs_1',
        bookingId: 'b1',
        attemptId: 'b1:1',
        paymentId: 'pay_1',
        amount: { minor: 100, currency: 'INR' },
      },
    });
    const headers = new Headers({ 'Marquee-Signature': signatureHeader(secret, event, t) });
    await expect(provider.verifyWebhook(event, headers)).resolves.toEqual({
      eventId: 'evt_9',
      type: 'payment.succeeded',
      createdAt: new Date(t * 1000).toISOString(),
      sessionId: 'cs_1',
      bookingId: 'b1',
      attemptId: 'b1:1',
      paymentId: 'pay_1',
      amount: { minor: 100, currency: 'INR' },
    });
    // Plain records with any header case work too.
    await expect(
      provider.verifyWebhook(event, { 'MARQUEE-SIGNATURE': signatureHeader(secret, event, t) }),
    ).resolves.toMatchObject({ eventId: 'evt_9' });
    const junk = '{"hello":"world"}';
    await expect(
      provider.verifyWebhook(junk, { 'marquee-signature': signatureHeader(secret, junk, t) }),
    ).rejects.toMatchObject({ code: 'WEBHOOK_PAYLOAD_INVALID', retryable: false });
    await expect(provider.verifyWebhook(event, {})).rejects.toMatchObject({
      code: 'WEBHOOK_SIGNATURE_INVALID',
      retryable: false,
    });
  });
});
