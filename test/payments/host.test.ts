// The simulator as the local host runs it: the host fills PAYMENTS_* at start, mounts the
// simulator at <origin>/.payments and signs webhooks with the per-start secret. Runs the compiled
// host (build first), like a user's `npm start`.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentProvider } from '../../shared/adapters/payments/client.js';
import { startHost, type TestHost } from '../support/local-host.js';
import { sessionInput } from './harness.js';

const API_KEY = 'sk_host_test_0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_host_test_0123456789abcdef';
let host: TestHost;
let receiver: Server;
const received: { headers: Record<string, string>; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const port = (receiver.address() as { port: number }).port;
  host = await startHost({
    env: {
      PAYMENTS_API_KEY: API_KEY,
      PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PAYMENTS_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
    },
  });
});

afterAll(async () => {
  await host?.stop();
  await new Promise<void>((r) => receiver?.close(() => r()));
});

describe('payments simulator in the local host', () => {
  it('is the provider at <origin>/.payments, and a payment made on its checkout form arrives as a signed webhook', async () => {
    expect(host.env.PAYMENTS_BASE_URL).toBe(`${host.origin}/.payments`);
    expect(host.output()).not.toContain(WEBHOOK_SECRET);
    const provider = createPaymentProvider({
      baseUrl: host.env.PAYMENTS_BASE_URL!,
      apiKey: async () => API_KEY,
      webhookSecret: async () => WEBHOOK_SECRET,
      webhookToleranceSeconds: 300,
      timeoutMs: 2000,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
      breaker: { failureThreshold: 5, cooldownMs: 1000 },
    });
    const input = sessionInput();
    const session = await provider.createSession(input);
    expect(session.paymentUrl.startsWith(`${host.origin}/.payments/checkout/`)).toBe(true);

    const page = await fetch(session.paymentUrl);
    expect(await page.text()).toContain('Pay ₹447.20');
    const res = await fetch(session.paymentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pay',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);

    const until = Date.now() + 5000;
    while (received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(received).toHaveLength(1);
    const event = await provider.verifyWebhook(received[0]!.body, received[0]!.headers);
    expect(event).toMatchObject({
      type: 'payment.succeeded',
      bookingId: input.bookingId,
      sessionId: session.sessionId,
    });
  });
});
