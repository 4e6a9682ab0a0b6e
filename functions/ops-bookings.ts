// Operators: GET /api/ops/bookings?status=refund_failed|stuck|failed|expired|… (newest first; stuck =
// pending/held/paying/cancelling past the deadline) with each booking's history, and
// POST /api/ops/bookings/{bookingId}/retry-refund to run a refund_failed cancellation again.
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { notFound } from '../shared/errors.js';
import { parseParams, parseQuery } from '../shared/http/validate.js';
import { bookingView } from '../shared/booking/model.js';
import { sagaClient } from '../shared/booking/ports.js';
import { BookingParamsSchema, OpsBookingsQuerySchema as OpsQuerySchema } from '../shared/booking/api-schemas.js';

app.http('ops-bookings-list', {
  route: 'ops/bookings',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const q = parseQuery(req, OpsQuerySchema);
    const now = s.clock();
    const items =
      q.status === 'stuck'
        ? await s.bookingStore.listByStatus(
            ['pending', 'held', 'paying', 'cancelling'],
            q.limit,
            new Date(now).toISOString(),
          )
        : await s.bookingStore.listByStatus([q.status], q.limit);
    return json(200, { status: q.status, items: items.map(bookingView) }, { 'cache-control': 'no-store' });
  }),
});

app.http('ops-bookings-retry-refund', {
  route: 'ops/bookings/{bookingId}/retry-refund',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: handle(async (req, context) => {
    const s = services();
    const operator = await s.auth.require(req, 'operator');
    const { bookingId } = parseParams(req, BookingParamsSchema);
    const doc = await s.bookingStore.findById(bookingId);
    if (!doc) throw notFound(`Booking ${bookingId}`);
    context.log(`operator ${operator.userId} retries the refund of ${bookingId}`);
    const r = await s.cancellations.retryRefund(doc, sagaClient(df.getClient(context)));
    return json(r.done ? 200 : 202, { booking: bookingView(r.booking), cancellation: r.cancellation });
  }),
});
