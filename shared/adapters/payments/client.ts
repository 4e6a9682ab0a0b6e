// The PaymentProvider port over the provider's REST API (shared/adapters/payments/wire.ts).
// Every call: a per-attempt timeout (AbortSignal.timeout), retries with backoff for transient
// faults only (network, timeout, 408/409/425/429, 5xx), and a circuit breaker so a provider that is
// down is not hammered and callers fail fast. Creates and refunds carry Idempotency-Key, so a retry
// after a timeout whose request did reach the provider returns the first result instead of a
// second charge or refund.
//
// Bulkheads: each operation has its own breaker (cockatiel), so one that keeps failing — refunds of
// a payment the provider will not refund — cannot stop status checks, listings or new sessions
// (docs/architecture.md, Security). Only transient faults count against a breaker; a 404 or a 4xx
// refusal says nothing about the provider's health.
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleType } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { z } from 'zod';
import { correlationOf, telemetry } from '../../telemetry/port.js';
import {
  PaymentError,
  type CreateSessionInput,
  type PaymentEvent,
  type PaymentPage,
  type PaymentProvider,
  type PaymentRef,
  type PaymentSession,
  type PaymentStatus,
  type RefundInput,
  type RefundResult,
  type WebhookHeaders,
} from '../../ports/payments.js';
import { backoffDelay, sleep, type RetryPolicy } from './resilience.js';
import { headerOf, SIGNATURE_HEADER, verifySignature } from './signature.js';
import {
  PaymentListSchema,
  PaymentSchema,
  ProviderErrorSchema,
  RefundSchema,
  SessionSchema,
  WebhookEventSchema,
  type PaymentWire,
} from './wire.js';

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
  /** Per operation (see PaymentOperation): consecutive transient faults that open it, and for how long. */
  breaker: { failureThreshold: number; cooldownMs: number };
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The provider operations, one bulkhead (breaker) each. */
export type PaymentOperation = 'createSession' | 'status' | 'listPayments' | 'refund';
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface HttpPaymentProvider extends PaymentProvider {
  /** For health checks and tests: the state of one operation's breaker. */
  breakerState(operation: PaymentOperation): BreakerState;
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

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
  const newBreaker = () =>
    circuitBreaker(handleType(TransientFault), {
      halfOpenAfter: settings.breaker.cooldownMs,
      breaker: new ConsecutiveBreaker(settings.breaker.failureThreshold),
    });
  const breakers: Record<PaymentOperation, CircuitBreakerPolicy> = {
    createSession: newBreaker(),
    status: newBreaker(),
    listPayments: newBreaker(),
    refund: newBreaker(),
  };
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

  function call<S extends z.ZodType>(
    operation: PaymentOperation,
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<z.infer<S>> {
    // One span per provider operation, its retries inside (docs/telemetry.md).
    return telemetry().span(
      `payments ${operation}`,
      { 'http.request.method': method, 'payments.operation': operation, ...correlationOf(body) },
      () => callWithRetries(operation, schema, method, path, body, idempotencyKey),
      'payments',
    );
  }

  async function callWithRetries<S extends z.ZodType>(
    operation: PaymentOperation,
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<z.infer<S>> {
    const breaker = breakers[operation];
    let last = '';
    for (let n = 1; n <= settings.retry.maxAttempts; n++) {
      try {
        const value = await breaker.execute(() => attempt(method, path, body, idempotencyKey));
        const parsed = schema.safeParse(value);
        if (!parsed.success)
          throw new PaymentError(
            'PAYMENT_PROVIDER_FAILED',
            `The provider's answer to ${method} ${path} is not in the expected shape.`,
          );
        return parsed.data;
      } catch (err) {
        if (err instanceof BrokenCircuitError) {
          throw new PaymentError(
            'PAYMENT_PROVIDER_UNAVAILABLE',
            `The payment provider is failing at ${operation}; those calls are paused${last ? ` (last fault: ${last})` : ''}.`,
            { retryAfter: Math.max(1, Math.ceil(settings.breaker.cooldownMs / 1000)) },
          );
        }
        if (!(err instanceof TransientFault)) throw err;
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
    breakerState: (operation) => STATE_NAMES[breakers[operation].state],

    async createSession(input: CreateSessionInput): Promise<PaymentSession> {
      const { idempotencyKey, ...body } = input;
      const s = await call('createSession', SessionSchema, 'POST', '/v1/sessions', body, idempotencyKey);
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
      const r = await call('refund', RefundSchema, 'POST', '/v1/refunds', body, idempotencyKey);
      return { refundId: r.id, status: r.status };
    },

    async getPaymentStatus(ref: PaymentRef): Promise<PaymentStatus> {
      if ('sessionId' in ref) {
        const s = await call('status', SessionSchema, 'GET', `/v1/sessions/${encodeURIComponent(ref.sessionId)}`);
        return { status: s.status, sessionId: s.id, paymentId: s.paymentId, amount: s.amount, refunded: s.refunded };
      }
      return paymentStatusOf(
        await call('status', PaymentSchema, 'GET', `/v1/payments/${encodeURIComponent(ref.paymentId)}`),
      );
    },

    async listPayments({ paidAfter, limit, startingAfter }): Promise<PaymentPage> {
      const query = new URLSearchParams({ created_gte: paidAfter, limit: String(limit) });
      if (startingAfter) query.set('starting_after', startingAfter);
      const page = await call('listPayments', PaymentListSchema, 'GET', `/v1/payments?${query.toString()}`);
      const payments = page.data.map(paymentStatusOf);
      return { payments, ...(page.has_more && payments.length ? { next: payments.at(-1)!.paymentId } : {}) };
    },
  };
}

function paymentStatusOf(p: PaymentWire): PaymentStatus {
  return {
    status: p.status,
    sessionId: p.sessionId,
    paymentId: p.id,
    amount: p.amount,
    refunded: p.refunded,
    ...(p.bookingId ? { bookingId: p.bookingId } : {}),
    ...(p.attemptId ? { attemptId: p.attemptId } : {}),
    ...(p.created ? { paidAt: p.created } : {}),
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
