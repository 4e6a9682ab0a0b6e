// The PaymentProvider port over the provider's REST API (shared/adapters/payments/wire.ts).
// Every call: a per-attempt timeout (AbortSignal.timeout), retries with backoff for transient
// faults only (network, timeout, 408/409/425/429, 5xx), and a circuit breaker so a provider that is
// down is not hammered and callers fail fast. Creates and refunds carry Idempotency-Key, so a retry
// after a timeout whose request did reach the provider returns the first result instead of a
// second charge or refund.
import { z } from 'zod';
import {
  PaymentError,
  type CreateSessionInput,
  type PaymentEvent,
  type PaymentProvider,
  type PaymentRef,
  type PaymentSession,
  type PaymentStatus,
  type RefundInput,
  type RefundResult,
  type WebhookHeaders,
} from '../../ports/payments.js';
import { backoffDelay, CircuitBreaker, sleep, type RetryPolicy } from './resilience.js';
import { headerOf, SIGNATURE_HEADER, verifySignature } from './signature.js';
import { PaymentSchema, ProviderErrorSchema, RefundSchema, SessionSchema, WebhookEventSchema } from './wire.js';

export interface PaymentsClientSettings {
  /** e.g. https://payments.example/ or, locally, http://127.0.0.1:7071/.payments */
  baseUrl: string;
  /** Read on each call through the SecretSource (which caches), so a rotated key is picked up. */
  apiKey: () => Promise<string>;
  webhookSecret: () => Promise<string>;
  webhookToleranceSeconds: number;
  /** Per attempt. */
  timeoutMs: number;
  retry: RetryPolicy;
  breaker: { failureThreshold: number; cooldownMs: number };
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpPaymentProvider extends PaymentProvider {
  /** For health checks and tests. */
  readonly breaker: CircuitBreaker;
}

class TransientFault extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function createPaymentProvider(settings: PaymentsClientSettings): HttpPaymentProvider {
  const doFetch = settings.fetch ?? fetch;
  const now = settings.now ?? Date.now;
  const wait = settings.sleep ?? sleep;
  const breaker = new CircuitBreaker({ ...settings.breaker, now });
  const base = settings.baseUrl.replace(/\/+$/, '');

  /** One attempt; returns the parsed JSON of a 2xx, throws TransientFault or PaymentError. */
  async function attempt(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    idempotencyKey?: string,
  ): Promise<unknown> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await settings.apiKey()}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let res: Response;
    let text: string;
    try {
      const signal = AbortSignal.timeout(settings.timeoutMs);
      res = await doFetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await res.text();
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new TransientFault(`no answer within ${settings.timeoutMs} ms`);
      throw new TransientFault(`network fault: ${(err as Error)?.message ?? String(err)}`);
    }
    if (res.ok) {
      try {
        return JSON.parse(text);
      } catch {
        throw new PaymentError(
          'PAYMENT_PROVIDER_FAILED',
          `The provider answered ${method} ${path} with a body that is not JSON.`,
        );
      }
    }
    const problem = ProviderErrorSchema.safeParse(safeJson(text));
    const detail = problem.success ? (problem.data.detail ?? problem.data.code ?? '') : '';
    if (res.status >= 500 || [408, 409, 425, 429].includes(res.status)) {
      throw new TransientFault(
        `HTTP ${res.status}${detail ? `: ${detail}` : ''}`,
        retryAfterMs(res.headers.get('retry-after')),
      );
    }
    if (res.status === 404) throw new PaymentError('PAYMENT_NOT_FOUND', detail || `The provider knows no ${path}.`);
    throw new PaymentError(
      'PAYMENT_REQUEST_REFUSED',
      `The provider refused ${method} ${path} (HTTP ${res.status})${detail ? `: ${detail}` : '.'}`,
    );
  }

  async function call<S extends z.ZodType>(
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<z.infer<S>> {
    let last = '';
    for (let n = 1; n <= settings.retry.maxAttempts; n++) {
      if (!breaker.tryAcquire()) {
        throw new PaymentError(
          'PAYMENT_PROVIDER_UNAVAILABLE',
          `The payment provider is failing; calls are paused${last ? ` (last fault: ${last})` : ''}.`,
          {
            retryAfter: Math.max(1, Math.ceil(breaker.retryAfterMs() / 1000)),
          },
        );
      }
      try {
        const value = await attempt(method, path, body, idempotencyKey);
        breaker.success();
        const parsed = schema.safeParse(value);
        if (!parsed.success)
          throw new PaymentError(
            'PAYMENT_PROVIDER_FAILED',
            `The provider's answer to ${method} ${path} is not in the expected shape.`,
          );
        return parsed.data;
      } catch (err) {
        if (!(err instanceof TransientFault)) {
          breaker.neutral();
          throw err;
        }
        breaker.failure();
        last = err.message;
        if (n === settings.retry.maxAttempts) break;
        const delay = backoffDelay(settings.retry, n);
        await wait(
          err.retryAfterMs !== undefined
            ? Math.min(Math.max(delay, err.retryAfterMs), settings.retry.maxDelayMs)
            : delay,
        );
      }
    }
    throw new PaymentError(
      'PAYMENT_PROVIDER_FAILED',
      `${method} ${path} failed after ${settings.retry.maxAttempts} attempts (last fault: ${last}).`,
    );
  }

  return {
    breaker,

    async createSession(input: CreateSessionInput): Promise<PaymentSession> {
      const { idempotencyKey, ...body } = input;
      const s = await call(SessionSchema, 'POST', '/v1/sessions', body, idempotencyKey);
      return { sessionId: s.id, paymentUrl: s.url, expiresAt: s.expiresAt };
    },

    async verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<PaymentEvent> {
      const secret = await settings.webhookSecret();
      verifySignature(secret, rawBody, headerOf(headers, SIGNATURE_HEADER), {
        toleranceSeconds: settings.webhookToleranceSeconds,
        now: Math.floor(now() / 1000),
      });
      const parsed = WebhookEventSchema.safeParse(safeJson(rawBody));
      if (!parsed.success)
        throw new PaymentError(
          'WEBHOOK_PAYLOAD_INVALID',
          'The webhook is signed but is not an event this app understands.',
        );
      const { id, type, created, data } = parsed.data;
      return { eventId: id, type, createdAt: created, ...data };
    },

    async refund(input: RefundInput): Promise<RefundResult> {
      const { idempotencyKey, ...body } = input;
      const r = await call(RefundSchema, 'POST', '/v1/refunds', body, idempotencyKey);
      return { refundId: r.id, status: r.status };
    },

    async getPaymentStatus(ref: PaymentRef): Promise<PaymentStatus> {
      if ('sessionId' in ref) {
        const s = await call(SessionSchema, 'GET', `/v1/sessions/${encodeURIComponent(ref.sessionId)}`);
        return { status: s.status, sessionId: s.id, paymentId: s.paymentId, amount: s.amount, refunded: s.refunded };
      }
      const p = await call(PaymentSchema, 'GET', `/v1/payments/${encodeURIComponent(ref.paymentId)}`);
      return { status: p.status, sessionId: p.sessionId, paymentId: p.id, amount: p.amount, refunded: p.refunded };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
