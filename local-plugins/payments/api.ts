// The simulated provider's REST API under <base>/v1 (the wire format is shared/adapters/payments/
// wire.ts): sessions, payments (one, or a page of those made since a time, as a real provider
// lists them for reconciliation), refunds. Bearer API key required. Create and refund honour
// Idempotency-Key: the same key and body give the first result again (200, Idempotent-Replayed),
// the same key with another body is 422. A refund above what is left of the payment is refused.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, sendProblem } from '../../local/core/http-server.js';
import { canonicalJson } from '../../shared/domain/booking/fingerprint.js';
import { z } from 'zod';
import {
  CreateSessionRequestSchema,
  RefundRequestSchema,
  type PaymentListWire,
  type PaymentWire,
  type RefundWire,
  type SessionWire,
} from '../../shared/adapters/payments/wire.js';
import { applyOverride, BehaviourOverrideSchema, type Behaviour } from './settings.js';
import { newId, type SimPayment, type SimSession, type SimulatorStore } from './store.js';

export interface ApiContext {
  store: SimulatorStore;
  apiKey: string;
  /** Public base URL of the simulator, for checkout links. */
  baseUrl: string;
  behaviour: () => Behaviour;
  sessionTtlSeconds: number;
  now: () => number;
}

export function sessionWire(ctx: ApiContext, s: SimSession): SessionWire {
  const payment = s.paymentId ? ctx.store.payments.get(s.paymentId) : undefined;
  return {
    id: s.id,
    url: `${ctx.baseUrl}/checkout/${s.id}`,
    status: s.status,
    expiresAt: s.expiresAt,
    amount: s.request.amount,
    refunded: { minor: payment?.refunded ?? 0, currency: s.request.amount.currency },
    ...(s.paymentId ? { paymentId: s.paymentId } : {}),
  };
}

/** Serves <base>/v1/…; `rest` is the path after <base>. Returns false for paths it does not know. */
export async function serveApi(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
): Promise<boolean> {
  const [path = '', search = ''] = rest.split('?', 2);
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean); // ['v1', 'sessions', id?]
  if (parts[0] !== 'v1') return false;
  if (!authorized(req, ctx.apiKey)) {
    sendProblem(
      res,
      401,
      'Unauthorized',
      'Send the API key as "Authorization: Bearer <key>".',
      'UNAUTHORIZED',
      {},
      { 'www-authenticate': 'Bearer' },
    );
    return true;
  }
  const [, resource, id] = parts;
  const method = req.method ?? 'GET';
  if (resource === 'sessions' && !id && method === 'POST') return createSession(ctx, req, res);
  if (resource === 'sessions' && id && method === 'GET') {
    const s = ctx.store.session(id);
    if (!s) sendProblem(res, 404, 'Not Found', `No session ${id}.`, 'NOT_FOUND');
    else sendJson(res, 200, sessionWire(ctx, s));
    return true;
  }
  if (resource === 'payments' && id && method === 'GET') {
    const p = ctx.store.payments.get(id);
    if (!p) sendProblem(res, 404, 'Not Found', `No payment ${id}.`, 'NOT_FOUND');
    else sendJson(res, 200, paymentWire(ctx, p));
    return true;
  }
  if (resource === 'payments' && !id && method === 'GET') return listPayments(ctx, res, query);
  if (resource === 'refunds' && !id && method === 'POST') return createRefund(ctx, req, res);
  sendProblem(res, 404, 'Not Found', `The payment API has no ${method} ${rest}.`, 'NOT_FOUND');
  return true;
}

function paymentWire(ctx: ApiContext, p: SimPayment): PaymentWire {
  const session = ctx.store.sessions.get(p.sessionId);
  return {
    id: p.id,
    sessionId: p.sessionId,
    status: 'paid',
    amount: p.amount,
    refunded: ctx.store.refundedOf(p),
    ...(session ? { bookingId: session.request.bookingId, attemptId: session.request.attemptId } : {}),
    created: p.createdAt,
  };
}

const ListQuerySchema = z.object({
  created_gte: z.iso.datetime(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  starting_after: z.string().min(1).optional(),
});

/** Payments made at or after `created_gte`, oldest first (ties by id), a page after `starting_after`. */
function listPayments(ctx: ApiContext, res: ServerResponse, query: URLSearchParams): boolean {
  const parsed = ListQuerySchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    sendProblem(
      res,
      400,
      'Bad Request',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      'VALIDATION_FAILED',
    );
    return true;
  }
  const { created_gte: since, limit, starting_after: after } = parsed.data;
  const order = (p: SimPayment) => `${p.createdAt}|${p.id}`;
  const all = [...ctx.store.payments.values()]
    .filter((p) => Date.parse(p.createdAt) >= Date.parse(since))
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const cursor = after ? ctx.store.payments.get(after) : undefined;
  const from = cursor ? all.filter((p) => order(p) > order(cursor)) : all;
  const page = from.slice(0, limit);
  sendJson(res, 200, {
    data: page.map((p) => paymentWire(ctx, p)),
    has_more: from.length > limit,
  } satisfies PaymentListWire);
  return true;
}

async function createSession(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const key = idempotencyKey(req, res);
  const body = key && (await jsonBody(req, res));
  if (!key || body === undefined) return true;
  const { simulate, ...fields } = (body ?? {}) as Record<string, unknown>;
  const override = BehaviourOverrideSchema.optional().safeParse(simulate);
  const parsed = CreateSessionRequestSchema.safeParse(fields);
  if (!parsed.success || !override.success) {
    const issues = [
      ...(parsed.success ? [] : parsed.error.issues),
      ...(override.success ? [] : override.error.issues.map((i) => ({ ...i, path: ['simulate', ...i.path] }))),
    ];
    sendProblem(
      res,
      400,
      'Bad Request',
      issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      'VALIDATION_FAILED',
    );
    return true;
  }
  const request = parsed.data;
  const fingerprint = hash(body);
  const replayed = ctx.store.replay('session', key, fingerprint);
  if (replayed === 'conflict') {
    sendProblem(
      res,
      422,
      'Unprocessable Content',
      'This Idempotency-Key was used with a different request.',
      'IDEMPOTENCY_CONFLICT',
    );
    return true;
  }
  if (replayed) {
    sendJson(res, 200, sessionWire(ctx, ctx.store.session(replayed)!), { 'idempotent-replayed': 'true' });
    return true;
  }
  const itemsTotal = request.items.reduce((sum, i) => sum + i.quantity * i.unit.minor, 0);
  if (
    request.items.length &&
    (itemsTotal !== request.amount.minor || request.items.some((i) => i.unit.currency !== request.amount.currency))
  ) {
    sendProblem(
      res,
      400,
      'Bad Request',
      `The items add up to ${itemsTotal}, not the amount ${request.amount.minor} ${request.amount.currency}.`,
      'AMOUNT_MISMATCH',
    );
    return true;
  }
  const expiresAt = request.expiresAt ? Date.parse(request.expiresAt) : ctx.now() + ctx.sessionTtlSeconds * 1000;
  if (expiresAt <= ctx.now()) {
    sendProblem(res, 400, 'Bad Request', 'expiresAt is in the past.', 'VALIDATION_FAILED');
    return true;
  }
  const { expiresAt: _ignored, ...rest } = request;
  const session: SimSession = {
    id: newId('cs'),
    request: rest,
    status: 'pending',
    createdAt: new Date(ctx.now()).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    behaviour: applyOverride(ctx.behaviour(), override.data),
  };
  ctx.store.sessions.set(session.id, session);
  ctx.store.saved({ k: 'session', v: session });
  ctx.store.remember('session', key, fingerprint, session.id);
  sendJson(res, 201, sessionWire(ctx, session));
  return true;
}

async function createRefund(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const key = idempotencyKey(req, res);
  const body = key && (await jsonBody(req, res));
  if (!key || body === undefined) return true;
  const parsed = RefundRequestSchema.safeParse(body);
  if (!parsed.success) {
    sendProblem(
      res,
      400,
      'Bad Request',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      'VALIDATION_FAILED',
    );
    return true;
  }
  const fingerprint = hash(body);
  const replayed = ctx.store.replay('refund', key, fingerprint);
  if (replayed === 'conflict') {
    sendProblem(
      res,
      422,
      'Unprocessable Content',
      'This Idempotency-Key was used with a different request.',
      'IDEMPOTENCY_CONFLICT',
    );
    return true;
  }
  if (replayed) {
    sendJson(res, 200, refundWire(ctx.store.refunds.get(replayed)!), { 'idempotent-replayed': 'true' });
    return true;
  }
  const { paymentId, amount, reason } = parsed.data;
  const payment = ctx.store.payments.get(paymentId);
  if (!payment) {
    sendProblem(res, 404, 'Not Found', `No payment ${paymentId}.`, 'NOT_FOUND');
    return true;
  }
  if (amount.currency !== payment.amount.currency) {
    sendProblem(
      res,
      422,
      'Unprocessable Content',
      `The payment was in ${payment.amount.currency}.`,
      'CURRENCY_MISMATCH',
    );
    return true;
  }
  const left = payment.amount.minor - payment.refunded;
  if (amount.minor > left) {
    sendProblem(
      res,
      422,
      'Unprocessable Content',
      `Only ${left} ${payment.amount.currency} minor units of this payment are left to refund.`,
      'REFUND_EXCEEDS_PAYMENT',
    );
    return true;
  }
  if (payment.refundFailuresLeft === 'always' || payment.refundFailuresLeft > 0) {
    if (payment.refundFailuresLeft !== 'always') {
      payment.refundFailuresLeft -= 1;
      ctx.store.saved({ k: 'payment', v: payment });
    }
    sendProblem(
      res,
      503,
      'Service Unavailable',
      'The refund could not be processed right now (simulated).',
      'REFUND_FAILED',
    );
    return true;
  }
  const refund = {
    id: newId('re'),
    paymentId,
    amount,
    reason,
    status: 'succeeded' as const,
    createdAt: new Date(ctx.now()).toISOString(),
  };
  payment.refunded += amount.minor;
  ctx.store.refunds.set(refund.id, refund);
  ctx.store.saved({ k: 'refund', v: refund });
  ctx.store.saved({ k: 'payment', v: payment });
  ctx.store.remember('refund', key, fingerprint, refund.id);
  sendJson(res, 201, refundWire(refund));
  return true;
}

const refundWire = (r: {
  id: string;
  paymentId: string;
  status: 'succeeded';
  amount: { minor: number; currency: string };
}): RefundWire => ({
  id: r.id,
  paymentId: r.paymentId,
  status: r.status,
  amount: r.amount,
});

function authorized(req: IncomingMessage, apiKey: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const given = createHash('sha256').update(match[1]!).digest();
  return timingSafeEqual(given, createHash('sha256').update(apiKey).digest());
}

function idempotencyKey(req: IncomingMessage, res: ServerResponse): string | undefined {
  const key = req.headers['idempotency-key'];
  if (typeof key === 'string' && key.length > 0 && key.length <= 255) return key;
  sendProblem(
    res,
    400,
    'Bad Request',
    'The Idempotency-Key header (1-255 characters) is required.',
    'VALIDATION_FAILED',
  );
  return undefined;
}

/** The parsed JSON body, or undefined after answering 400. */
async function jsonBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  try {
    return JSON.parse((await readBody(req, 256 * 1024)).toString('utf8')) as unknown;
  } catch {
    sendProblem(res, 400, 'Bad Request', 'The body must be JSON.', 'VALIDATION_FAILED');
    return undefined;
  }
}

const hash = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');
