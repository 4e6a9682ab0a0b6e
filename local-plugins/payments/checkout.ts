// The hosted checkout page, <base>/checkout/{sessionId}: plain, accessible HTML that works without
// JavaScript — one form, three submit buttons (Pay, Decline, Abandon). Submitting pays or declines
// the session, sends the signed webhook and redirects (303) to the booking's returnUrl. Tests may
// POST the same form (or JSON, with Accept: application/json to get JSON back) with behaviour
// overrides as query or form fields: decline, webhook=never, webhookDelayMs, duplicateWebhook,
// refundFailures.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../local/core/http-server.js';
import type { WebhookEventWire } from '../../shared/adapters/payments/wire.js';
import { sessionWire, type ApiContext } from './api.js';
import { applyOverride, overrideFromFields } from './settings.js';
import { newId, type SimSession } from './store.js';
import type { WebhookSender } from './webhooks.js';

export interface CheckoutContext extends ApiContext {
  sender: WebhookSender;
}

export async function serveCheckout(
  ctx: CheckoutContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sessionId: string,
): Promise<void> {
  const session = ctx.store.session(sessionId);
  const wantsJson = /application\/json/.test(req.headers.accept ?? '');
  if (!session)
    return page(
      res,
      404,
      'Payment not found',
      `<p>There is no payment session <code>${esc(sessionId)}</code>. It may have been created before the local host started with a fresh data folder.</p>`,
    );
  if (req.method === 'GET' || req.method === 'HEAD') return page(res, 200, 'Checkout', checkoutBody(session));
  if (req.method !== 'POST')
    return page(res, 405, 'Method not allowed', '<p>Use the form on this page.</p>', { allow: 'GET, POST' });

  const fields = { ...Object.fromEntries(url.searchParams), ...(await formFields(req)) };
  const override = overrideFromFields(fields);
  if ('error' in override) return answer(res, wantsJson, 400, session, `Bad override: ${override.error}`);
  const action = fields.action;
  if (action !== 'pay' && action !== 'decline' && action !== 'abandon')
    return answer(res, wantsJson, 400, session, 'Choose Pay, Decline or Abandon.');
  if (session.status !== 'pending') {
    // A second click (or a resubmitted form) must not charge twice: report the outcome instead.
    return answer(
      res,
      wantsJson,
      session.status === 'paid' ? 200 : 409,
      session,
      `This payment is already ${session.status}.`,
    );
  }
  session.behaviour = applyOverride(session.behaviour, override);
  if (action === 'abandon') {
    ctx.store.saved({ k: 'session', v: session });
    return finish(ctx, res, wantsJson, session, 'abandoned');
  }

  const declined = action === 'decline' || session.behaviour.decline;
  if (declined) {
    session.status = 'declined';
  } else {
    session.status = 'paid';
    session.paymentId = newId('pay');
    ctx.store.payments.set(session.paymentId, {
      id: session.paymentId,
      sessionId: session.id,
      amount: session.request.amount,
      refunded: 0,
      createdAt: new Date(ctx.now()).toISOString(),
      refundFailuresLeft: session.behaviour.refundFailures,
    });
    ctx.store.saved({ k: 'payment', v: ctx.store.payments.get(session.paymentId)! });
  }
  ctx.store.saved({ k: 'session', v: session });
  const { bookingId, attemptId, amount } = session.request;
  const event: WebhookEventWire = {
    id: newId('evt'),
    type: declined ? 'payment.declined' : 'payment.succeeded',
    created: new Date(ctx.now()).toISOString(),
    data: {
      sessionId: session.id,
      bookingId,
      attemptId,
      amount,
      ...(session.paymentId ? { paymentId: session.paymentId } : {}),
    },
  };
  ctx.sender.send(event, session.behaviour);
  return finish(ctx, res, wantsJson, session, session.status);
}

function finish(
  ctx: CheckoutContext,
  res: ServerResponse,
  wantsJson: boolean,
  session: SimSession,
  outcome: string,
): void {
  if (wantsJson) return json(res, 200, { ...sessionWire(ctx, session), outcome });
  const back = new URL(session.request.returnUrl);
  back.searchParams.set('sessionId', session.id);
  back.searchParams.set('status', outcome);
  res.writeHead(303, { location: back.toString(), 'content-length': 0 });
  res.end();
}

function answer(res: ServerResponse, wantsJson: boolean, status: number, session: SimSession, message: string): void {
  if (wantsJson)
    return json(res, status, {
      code: status === 400 ? 'VALIDATION_FAILED' : 'SESSION_NOT_PENDING',
      detail: message,
      status: session.status,
    });
  page(res, status, 'Checkout', `<p role="alert">${esc(message)}</p>${checkoutBody(session)}`);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function formFields(req: IncomingMessage): Promise<Record<string, string>> {
  const text = (await readBody(req, 64 * 1024)).toString('utf8');
  if (!text) return {};
  if (/application\/json/.test(req.headers['content-type'] ?? '')) {
    try {
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
    } catch {
      // Fall through: an unreadable body chooses no action, which is answered with 400.
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const format = (minor: number, currency: string) => {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat('en-IN', { style: 'currency', currency }).format(minor / 10 ** digits);
};

/**
 * "14:32 UTC (in 9 minutes)": a person reads the deadline, not an ISO timestamp; the page knows
 * no buyer's time zone, so it says UTC and how long is left (the machine form stays in datetime).
 */
function humanExpiry(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const clock = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')} UTC`;
  const minutes = Math.max(0, Math.round((at.getTime() - now) / 60_000));
  return `${clock} (${minutes < 1 ? 'in under a minute' : `in ${minutes} minute${minutes === 1 ? '' : 's'}`})`;
}

function checkoutBody(s: SimSession): string {
  const { amount, items, description } = s.request;
  const rows = items
    .map(
      (i) =>
        `<tr><th scope="row">${esc(i.label)}</th><td>${i.quantity}</td><td>${esc(format(i.unit.minor, i.unit.currency))}</td><td>${esc(format(i.quantity * i.unit.minor, i.unit.currency))}</td></tr>`,
    )
    .join('');
  const table = items.length
    ? `<table><caption>Items</caption><thead><tr><th scope="col">Item</th><th scope="col">Qty</th><th scope="col">Price</th><th scope="col">Amount</th></tr></thead><tbody>${rows}</tbody></table>`
    : '';
  const total = `<p class="total">Total to pay: <strong>${esc(format(amount.minor, amount.currency))}</strong> <span class="cur">(${esc(amount.currency)})</span></p>`;
  const form =
    s.status === 'pending'
      ? `<form method="post"><p>This is the Marquee payment simulator: no money moves.</p>
<button type="submit" name="action" value="pay">Pay ${esc(format(amount.minor, amount.currency))}</button>
<button type="submit" name="action" value="decline">Decline payment</button>
<button type="submit" name="action" value="abandon">Abandon and go back</button></form>
<p>Offer expires at <time datetime="${esc(s.expiresAt)}">${esc(humanExpiry(s.expiresAt))}</time>.</p>`
      : `<p role="status">This payment is <strong>${esc(s.status)}</strong>.</p><p><a href="${esc(s.request.returnUrl)}">Return to Marquee</a></p>`;
  return `<h1>${esc(description)}</h1>${table}${total}${form}`;
}

function page(
  res: ServerResponse,
  status: number,
  title: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — Marquee Pay (simulator)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#111}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ccc}
button{font:inherit;padding:.6rem 1rem;margin:.25rem .5rem .25rem 0;border:2px solid #111;border-radius:.3rem;background:#fff;cursor:pointer}
button[value=pay]{background:#066b33;color:#fff;border-color:#044d24}button:focus-visible{outline:3px solid #05f;outline-offset:2px}</style></head>
<body><main>${body}</main></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
