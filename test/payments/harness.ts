// Test scaffolding for the payments tests: the simulator mounted on a plain node:http server (no
// local host needed), a webhook receiver that records what it gets, and the real adapter pointed
// at the simulator. Everything listens on 127.0.0.1:0 and stops in afterEach.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createPaymentProvider, type PaymentsClientSettings } from '../../shared/adapters/payments/client.js';
import { SimulatorSettingsSchema, type SimulatorSettings } from '../../local-plugins/payments/settings.js';
import type { Faults } from '../../local/core/faults.js';
import { createPaymentsSimulator, type PaymentsSimulator } from '../../local-plugins/payments/simulator.js';

export const API_KEY = 'sk_test_payments_0123456789';
export const WEBHOOK_SECRET = 'whsec_test_payments_0123456789';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  answered: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status to answer the n-th delivery (0-based) with; 200 by default. */
  answer: (n: number) => number;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
}

export interface Rig {
  sim: PaymentsSimulator;
  settings: SimulatorSettings;
  baseUrl: string;
  receiver: Receiver;
  /** Requests the provider's API (/v1/…) received. */
  apiRequests: () => number;
  provider(overrides?: Partial<PaymentsClientSettings>): ReturnType<typeof createPaymentProvider>;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)),
  );
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export async function startRig(env: Record<string, string> = {}, faults?: Faults): Promise<Rig> {
  const received: Received[] = [];
  const receiver: Receiver = {
    url: '',
    received,
    answer: () => 200,
    async waitFor(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} webhooks, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
  };
  const receiverServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = receiver.answer(received.length);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered).end();
    });
  });
  receiver.url = `${await listen(receiverServer)}/api/payments/webhook`;

  let api = 0;
  const holder: { sim?: PaymentsSimulator } = {};
  const simServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/.payments/v1/')) api++;
    void Promise.resolve(holder.sim!.handler(req, res, url)).then((handled) => {
      if (handled === false) res.writeHead(404).end();
    });
  });
  const origin = await listen(simServer);
  const baseUrl = `${origin}/.payments`;
  const settings = SimulatorSettingsSchema.parse({
    PAYMENTS_API_KEY: API_KEY,
    PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    PAYMENTS_WEBHOOK_URL: receiver.url,
    MARQUEE_PAYMENTS_WEBHOOK_RETRIES: '3',
    MARQUEE_PAYMENTS_WEBHOOK_RETRY_BASE_MS: '20',
    ...env,
  });
  const sim = createPaymentsSimulator({ settings, baseUrl, warn: () => undefined, faults });
  holder.sim = sim;

  return {
    sim,
    settings,
    baseUrl,
    receiver,
    apiRequests: () => api,
    provider: (overrides = {}) =>
      createPaymentProvider({
        baseUrl,
        apiKey: async () => API_KEY,
        webhookSecret: async () => WEBHOOK_SECRET,
        webhookToleranceSeconds: 300,
        timeoutMs: 2000,
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
        breaker: { failureThreshold: 5, cooldownMs: 30_000 },
        ...overrides,
      }),
    async stop() {
      await sim.stop();
      await Promise.all([close(simServer), close(receiverServer)]);
    },
  };
}

/** Submits the checkout form like a browser without JavaScript; returns the response (redirect not followed). */
export function submitCheckout(
  paymentUrl: string,
  action: 'pay' | 'decline' | 'abandon',
  fields: Record<string, string> = {},
  query = '',
): Promise<Response> {
  return fetch(paymentUrl + query, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action, ...fields }).toString(),
    redirect: 'manual',
  });
}

let counter = 0;
/** A create-session input for a fresh booking attempt: ₹447.20 for two tickets with fees. */
export function sessionInput(overrides: Record<string, unknown> = {}) {
  const n = ++counter;
  return {
    bookingId: `bk_${n}`,
    attemptId: `bk_${n}:1`,
    amount: { minor: 44_720, currency: 'INR' },
    description: 'Dune: Part Two — PVR Forum, 1 Dec 18:30',
    items: [
      { label: 'CLASSIC A1, A2', quantity: 2, unit: { minor: 20_000, currency: 'INR' } },
      { label: 'Convenience fee incl. 18% GST', quantity: 2, unit: { minor: 2_360, currency: 'INR' } },
    ],
    returnUrl: 'http://127.0.0.1:7071/bookings/return',
    idempotencyKey: `session:bk_${n}:1`,
    ...overrides,
  };
}
