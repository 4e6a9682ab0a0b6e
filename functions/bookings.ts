// Bookings. POST /api/bookings (customer; Idempotency-Key required) starts the booking saga and
// answers 201 (seats held, with the payment URL), 409 SEATS_UNAVAILABLE or 202 (still working);
// GET /api/bookings/{bookingId} (owner or operator; anyone else 404); GET …/tickets (owner);
// GET …/refund-quote[?seatIds=A1,A2] and POST …/cancel {seatIds?} (owner; Idempotency-Key honoured);
// POST …/release (owner: let held seats go before paying) and POST …/retry-payment (owner: a new
// payment try after a decline, on the same seats) — both idempotent, 200 when done, 202 while the saga works.
import { app, type HttpRequest } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { invalidInput, UserError } from '../shared/errors.js';
import { refusalError } from '../shared/inventory/problems.js';
import { parseBody, parseParams, parseQuery } from '../shared/http/validate.js';
import {
  BookingBodySchema,
  BookingParamsSchema as ParamsSchema,
  CancelBodySchema,
  CheckoutQuerySchema,
  IdempotencyKeySchema,
  RefundQuoteQuerySchema as QuoteQuerySchema,
} from '../shared/booking/api-schemas.js';
import { bookingIdFor, bookingView, type BookingDoc } from '../shared/booking/model.js';
import { sagaClient } from '../shared/booking/ports.js';
import { fingerprintOf } from '../shared/domain/booking/index.js';
import type { BookingLinks, BookingRequest } from '../shared/booking/service.js';
import { admissionTokenOf, outcomeOf } from '../shared/http/admission.js';

/** The Idempotency-Key header: required on create, optional on cancel; 1–255 visible characters. */
export function idempotencyKey(req: HttpRequest, required: boolean): string | undefined {
  const key = req.headers.get('idempotency-key');
  if (key === null) {
    if (!required) return undefined;
    throw invalidInput(
      'The Idempotency-Key header is required: send a unique value (e.g. a UUID) per booking attempt.',
      [{ field: 'headers.idempotency-key', message: 'required' }],
    );
  }
  if (!IdempotencyKeySchema.safeParse(key).success)
    throw invalidInput('The Idempotency-Key header must be 1–255 visible ASCII characters.', [
      { field: 'headers.idempotency-key', message: 'invalid' },
    ]);
  return key;
}

const location = (bookingId: string) => `/api/bookings/${bookingId}`;

/**
 * After checkout the provider sends the buyer back to the web client's booking page (the API URL
 * is JSON behind a token); WEB_APP_URL names the client when it is served elsewhere. The checkout
 * link is on this API, at the origin the request came to.
 */
function linksFor(requestUrl: string, webAppUrl: string | undefined): BookingLinks {
  const api = new URL(requestUrl).origin;
  const web = (webAppUrl ?? api).replace(/\/$/, '');
  return {
    returnUrl: (bookingId) => `${web}/bookings/${encodeURIComponent(bookingId)}`,
    checkoutUrl: (bookingId, userId, token) =>
      `${api}/api/bookings/${encodeURIComponent(bookingId)}/checkout?${new URLSearchParams({ u: userId, t: token }).toString()}`,
  };
}

app.http('bookings-create', {
  route: 'bookings',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(
    async (req, context) => {
      const s = services();
      const user = await s.auth.require(req, 'customer');
      const key = idempotencyKey(req, true)!;
      const body = await parseBody(req, BookingBodySchema);
      const request: BookingRequest = body.seatIds
        ? { showId: body.showId, seatIds: body.seatIds }
        : {
            showId: body.showId,
            quantity: body.quantity!,
            ...(body.category ? { category: body.category } : {}),
            ...(body.wheelchair ? { wheelchair: true } : {}),
          };
      // A show sold through its waiting room needs this user's admission, used for this booking
      // only, and room under the per-user cap (docs/architecture.md, Waiting room).
      const seats = body.seatIds?.length ?? body.quantity!;
      const bookingId = bookingIdFor(user.userId, key);
      const room = s.waitingRoom;
      await room.requireAdmission(user.userId, body.showId, admissionTokenOf(req.headers), seats, bookingId);
      const r = await s.bookings
        .start(user.userId, key, request, sagaClient(df.getClient(context)), linksFor(req.url, s.config.WEB_APP_URL))
        .catch(async (err: unknown) => {
          const outcome = outcomeOf(err);
          if (outcome) await room.recordOutcome(body.showId, outcome);
          // No seats held: the admission and the ledger line go back (kept if the booking holds after all).
          await room.release(user.userId, body.showId, bookingId).catch(() => undefined);
          throw err;
        });
      await room.recordOutcome(body.showId, r.kind === 'refused' ? 'conflict' : 'held');
      if (r.kind === 'refused') await room.release(user.userId, body.showId, bookingId);
      const headers = {
        location: location(r.booking.id),
        ...('replayed' in r && r.replayed ? { 'idempotent-replayed': 'true' } : {}),
      };
      if (r.kind === 'refused') throw refusalError(r.refusal, { bookingId: r.booking.id });
      if (r.kind === 'working')
        return json(
          202,
          { bookingId: r.booking.id, status: r.booking.status, statusUrl: location(r.booking.id) },
          { ...headers, 'retry-after': '1' },
        );
      return json(201, bookingView(r.booking), headers);
    },
    { limit: 'bookings' },
  ),
});

// The booking's payment link, followed by a browser (no bearer token: the link's token is the
// credential). 303 to the provider's checkout once the session exists (waiting briefly for it);
// 503 + Retry-After while it is still being created; 409 when there is nothing left to pay.
app.http('bookings-checkout', {
  route: 'bookings/{bookingId}/checkout',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { bookingId } = parseParams(req, ParamsSchema);
    const { u, t } = parseQuery(req, CheckoutQuerySchema);
    const target = await services().bookings.checkout(bookingId, u, t);
    return {
      status: 303,
      headers: { location: target, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    };
  }),
});

app.http('bookings-get', {
  route: 'bookings/{bookingId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    const user = await s.auth.require(req);
    const { bookingId } = parseParams(req, ParamsSchema);
    const doc = await s.bookings.visible(bookingId, user.userId, user.roles.includes('operator'));
    const cancellationPolicy = {
      nonRefundable: doc.show.nonRefundable,
      tiers: s.refunds.tiers.map(({ minHoursBefore, refundBp }) => ({ minHoursBefore, refundBp })),
    };
    return json(200, { ...bookingView(doc), cancellationPolicy }, { 'cache-control': 'no-store' });
  }),
});

/** The caller's own booking (404 for anyone else's, operators included: tickets and money are the owner's). */
async function owned(req: HttpRequest): Promise<BookingDoc> {
  const s = services();
  const user = await s.auth.require(req, 'customer');
  const { bookingId } = parseParams(req, ParamsSchema);
  return s.bookings.visible(bookingId, user.userId, false);
}

app.http('bookings-tickets', {
  route: 'bookings/{bookingId}/tickets',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const doc = await owned(req);
    if (
      doc.status !== 'confirmed' &&
      doc.status !== 'cancelling' &&
      doc.status !== 'refund_failed' &&
      doc.status !== 'cancelled'
    ) {
      throw new UserError('BOOKING_NOT_CONFIRMED', {
        detail: `The booking is ${doc.status}; tickets are issued when it is confirmed.`,
        extra: { bookingStatus: doc.status },
      });
    }
    const tickets = await services().tickets.list(doc);
    return json(
      200,
      {
        bookingId: doc.id,
        showId: doc.showId,
        show: doc.show,
        tickets: tickets.map(({ seatId, category, code, status, usedAt }) => ({
          seatId,
          category,
          code,
          status,
          ...(usedAt ? { usedAt } : {}),
        })),
      },
      { 'cache-control': 'no-store' },
    );
  }),
});

app.http('bookings-refund-quote', {
  route: 'bookings/{bookingId}/refund-quote',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const doc = await owned(req);
    const { seatIds } = parseQuery(req, QuoteQuerySchema);
    const seats = seatIds
      ? seatIds
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : undefined;
    const q = services().cancellations.quote(doc, seats);
    if (!q.ok)
      return json(
        200,
        { bookingId: doc.id, cancellable: false, reason: q.code, detail: q.detail },
        { 'cache-control': 'no-store' },
      );
    const { ok: _ok, remaining, tier, ...rest } = q;
    return json(
      200,
      {
        bookingId: doc.id,
        cancellable: true,
        ...rest,
        refundBp: tier.refundBp,
        remainingSeatIds: remaining.map((l) => l.seatId),
      },
      { 'cache-control': 'no-store' },
    );
  }),
});

app.http('bookings-cancel', {
  route: 'bookings/{bookingId}/cancel',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(async (req, context) => {
    const doc = await owned(req);
    const key = idempotencyKey(req, false);
    const hasBody = (req.headers.get('content-length') ?? '0') !== '0' || req.headers.get('content-type');
    const body = hasBody ? await parseBody(req, CancelBodySchema.optional()) : undefined;
    const seatIds = body?.seatIds;
    const fingerprint = key ? await fingerprintOf({ seatIds: seatIds ? [...seatIds].sort() : null }) : undefined;
    const r = await services().cancellations.request(
      doc,
      seatIds,
      key ? { value: key, fingerprint: fingerprint! } : undefined,
      sagaClient(df.getClient(context)),
    );
    const { fingerprint: _f, ...cancellation } = r.cancellation;
    return json(
      r.done ? 200 : 202,
      { booking: bookingView(r.booking), cancellation },
      { location: location(doc.id), ...(r.done ? {} : { 'retry-after': '1' }) },
    );
  }),
});

/** 200 with the booking once the saga has acted; 202 + Retry-After while it still works on it. */
function sagaAnswer(r: { booking: BookingDoc; done: boolean }) {
  return json(r.done ? 200 : 202, bookingView(r.booking), {
    location: location(r.booking.id),
    'cache-control': 'no-store',
    ...(r.done ? {} : { 'retry-after': '1' }),
  });
}

app.http('bookings-release', {
  route: 'bookings/{bookingId}/release',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(async (req, context) => {
    const doc = await owned(req);
    return sagaAnswer(await services().bookings.release(doc, sagaClient(df.getClient(context))));
  }),
});

app.http('bookings-retry-payment', {
  route: 'bookings/{bookingId}/retry-payment',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(async (req, context) => {
    const doc = await owned(req);
    return sagaAnswer(await services().bookings.retryPayment(doc, sagaClient(df.getClient(context))));
  }),
});
