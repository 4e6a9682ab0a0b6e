// The booking reconciler (functions/booking-reconcile.ts → PaymentsService.reconcile) end to end,
// with the timer firing every second, a 2 s grace and a 5 s hold: a payment whose webhook never
// comes is still honoured; a booking whose saga was lost (terminated through the Durable HTTP API while it waited
// for the payment) is driven past its deadline to expired — seats released, visible to operators
// with its history — or to confirmed when the provider says it was paid, without refunding that
// payment as a late one (or to failed and refunded when its seats went to someone else); and a
// second successful payment the saga never used is refunded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import {
  api,
  book,
  createShow,
  signIn,
  startBookingHost,
  statusIs,
  waitForBooking,
  waitForEvents,
  type Caller,
  type TestShow,
} from './helpers.js';

const API_KEY = 'sk_test_booking_0123456789abcdef';
const DURABLE = '/runtime/webhooks/durabletask/instances';

let host: TestHost;
let operator: Caller;
let show: TestShow;

beforeAll(async () => {
  host = await startBookingHost({
    HOLD_TTL_SECONDS: '5',
    RECONCILE_SCHEDULE: '*/1 * * * * *',
    RECONCILE_GRACE_SECONDS: '2',
  });
  operator = await signIn(host, 'op-reconcile', ['operator']);
  show = await createShow(host, operator, 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

interface Instance {
  runtimeStatus: string;
  customStatus: { step?: string } | null;
  output: unknown;
}

async function instance(id: string): Promise<Instance | undefined> {
  const res = await fetch(host.url(`${DURABLE}/${encodeURIComponent(id)}`), { headers: host.admin });
  if (res.status === 404) return undefined;
  return (await res.json()) as Instance;
}

async function waitForInstance(id: string, statuses: string[], timeoutMs = 20_000, step?: string): Promise<Instance> {
  const deadline = Date.now() + timeoutMs;
  let last: Instance | undefined;
  while (Date.now() < deadline) {
    last = await instance(id);
    if (last && statuses.includes(last.runtimeStatus) && (!step || last.customStatus?.step === step)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`instance ${id} did not reach ${statuses.join('/')} ${step ?? ''}; last: ${JSON.stringify(last)}`);
}

/**
 * Books `seatIds` and waits until the saga has its payment session and waits for the payment;
 * answers the booking and its session at the provider (checkout page URL and id).
 */
async function bookAwaitingPayment(u: Caller, seatIds: string[]) {
  const r = await book(host, u, { showId: show.showId, seatIds });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await waitForInstance(r.body.bookingId, ['Running'], 10_000, 'awaiting_payment');
  const checkoutUrl = await checkoutPage(r.body.paymentUrl);
  return { r, id: r.body.bookingId as string, checkoutUrl, sessionId: new URL(checkoutUrl).pathname.split('/').pop()! };
}

/** Polls the public seat map (cached up to 1 s) until `seatIds` read as `state`. */
async function seatsRead(seatIds: string[], state: string) {
  await expect
    .poll(
      async () => {
        const a = await availability(show.showId);
        return seatIds.map((s) => a.state.get(s));
      },
      { timeout: 5000, interval: 200 },
    )
    .toEqual(seatIds.map(() => state));
  return availability(show.showId);
}

/** Operator control of a saga through the Durable HTTP API (terminate, suspend, resume). */
async function control(id: string, op: 'terminate' | 'suspend' | 'resume', until: string): Promise<void> {
  const res = await fetch(
    host.url(`${DURABLE}/${encodeURIComponent(id)}/${op}?reason=${encodeURIComponent(`test: ${op}`)}`),
    { method: 'POST', headers: host.admin },
  );
  expect(res.status).toBe(202);
  await waitForInstance(id, [until], 10_000);
}

/** The show's availability as seat id → state character, and its version. */
async function availability(showId: string): Promise<{ state: Map<string, string>; version: number }> {
  const a = await api(host, undefined, 'GET', `/api/shows/${showId}/seats`);
  expect(a.status).toBe(200);
  const layout = await api(host, undefined, 'GET', `/api/layouts/${a.body.layoutId}`);
  const order = (layout.body.sections as { rows: { cells: ({ id: string } | null)[] }[] }[]).flatMap((s) =>
    s.rows.flatMap((r) => r.cells.filter((c) => c !== null)),
  );
  return {
    state: new Map(order.map((seat, i) => [seat!.id, (a.body.seats as string)[i]!])),
    version: a.body.version as number,
  };
}

async function provider<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${host.env.PAYMENTS_BASE_URL}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The provider's checkout page of a payment link: the link itself, or where it redirects to. */
async function checkoutPage(paymentUrl: string): Promise<string> {
  const res = await fetch(paymentUrl, { redirect: 'manual' });
  if (res.status >= 300 && res.status < 400) return new URL(res.headers.get('location')!, paymentUrl).toString();
  expect(res.status).toBe(200);
  return paymentUrl;
}

/** Submits the checkout page's form as a browser would; extra fields are the simulator's switches. */
async function checkout(
  paymentUrl: string,
  action: 'pay' | 'decline',
  extra: Record<string, string> = {},
): Promise<number> {
  const url = await checkoutPage(paymentUrl);
  const html = await (await fetch(url)).text();
  const form = /<form method="post"( action="([^"]*)")?>/.exec(html);
  expect(form, 'the checkout page has a form').toBeTruthy();
  const res = await fetch(new URL(form![2] ?? '', url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action, ...extra }).toString(),
  });
  return res.status;
}

type Session = { id: string; url: string; status: string; paymentId?: string; refunded: { minor: number } };
const session = async (sessionId: string) => (await provider<Session>(`/v1/sessions/${sessionId}`)).body;

async function deliveries(sessionId: string): Promise<{ status: number; eventId: string }[]> {
  const r = await provider<{ deliveries: { sessionId: string; status: number; eventId: string }[] }>(
    '/v1/_simulator/deliveries',
    { headers: host.admin },
  );
  return r.body.deliveries.filter((d) => d.sessionId === sessionId);
}

async function waitForDelivery(sessionId: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await deliveries(sessionId);
    if (all.length) return all;
    if (Date.now() > deadline) throw new Error(`no webhook delivery for ${sessionId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const statuses = (b: { history?: { status: string }[] }) => (b.history ?? []).map((h) => h.status);

describe('booking reconciler', () => {
  it('honours a payment whose webhook never comes: confirmed with tickets after the hold deadline', async () => {
    const u = await signIn(host, 'rc-nohook');
    const { r, id, checkoutUrl, sessionId } = await bookAwaitingPayment(u, ['A1']);
    expect(await checkout(checkoutUrl, 'pay', { webhook: 'never' })).toBe(303);
    const paid = await session(sessionId);
    expect(paid.status).toBe('paid');

    const confirmed = await waitForBooking(host, u, id, statusIs('confirmed'), 20_000);
    expect(statuses(confirmed)).toEqual(['pending', 'held', 'paying', 'confirmed']);
    expect(confirmed.paymentId).toBe(paid.paymentId);
    // Nothing told the app before the hold ran out: it asked the provider when the deadline came.
    expect(Date.parse(confirmed.history.at(-1).at)).toBeGreaterThanOrEqual(Date.parse(r.body.holdExpiresAt) - 50);
    expect(await deliveries(sessionId)).toEqual([]);
    const tickets = await api(host, u, 'GET', `/api/bookings/${id}/tickets`);
    expect(tickets.body.tickets.map((t: { seatId: string; status: string }) => `${t.seatId}:${t.status}`)).toEqual([
      'A1:valid',
    ]);
    await seatsRead(['A1'], '1');
  });

  it('drives a booking whose saga was lost to expired, releases its seats and keeps it visible to operators', async () => {
    const u = await signIn(host, 'rc-lost');
    const { id } = await bookAwaitingPayment(u, ['B1', 'B2']);
    await control(id, 'terminate', 'Terminated'); // nothing will move this booking now but the reconciler
    const held = await seatsRead(['B1', 'B2'], '1');

    // Past its deadline it is listed as stuck...
    const deadline = Date.now() + 15_000;
    let stuck: Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    while (!stuck && Date.now() < deadline) {
      const list = await api(host, operator, 'GET', '/api/ops/bookings?status=stuck');
      expect(list.status).toBe(200);
      stuck = list.body.items.find((x: { bookingId: string }) => x.bookingId === id);
      if (!stuck) await new Promise((res) => setTimeout(res, 100));
    }
    expect(stuck, 'the booking is listed as stuck past its deadline').toBeTruthy();
    expect(stuck!.status).toBe('paying');

    // ...until the reconciler settles it: released and expired by bookingRecovery.
    const expired = await waitForBooking(host, u, id, statusIs('expired'), 20_000);
    expect(expired.failure.code).toBe('HOLD_EXPIRED');
    expect(statuses(expired)).toEqual(['pending', 'held', 'paying', 'expired']);
    const recovery = await waitForInstance(`recover.${id}.1`, ['Completed']);
    expect(recovery.output).toEqual({ status: 'expired' });
    await waitForEvents(host, id, ['booking.expired']);

    // The hold was released (a new version of the seats), not merely read as expired.
    await expect
      .poll(
        async () => {
          const a = await availability(show.showId);
          return [a.state.get('B1'), a.state.get('B2'), a.version > held.version];
        },
        { timeout: 5000, interval: 200 },
      )
      .toEqual(['0', '0', true]);

    // Operators still see it, with its history; it is no longer stuck.
    const list = await api(host, operator, 'GET', '/api/ops/bookings?status=expired');
    const seen = list.body.items.find((x: { bookingId: string }) => x.bookingId === id);
    expect(seen).toMatchObject({
      status: 'expired',
      userId: 'rc-lost',
      seatIds: ['B1', 'B2'],
      failure: { code: 'HOLD_EXPIRED' },
    });
    expect(statuses(seen)).toEqual(['pending', 'held', 'paying', 'expired']);
    const stillStuck = await api(host, operator, 'GET', '/api/ops/bookings?status=stuck');
    expect(stillStuck.body.items.map((x: { bookingId: string }) => x.bookingId)).not.toContain(id);

    const other = await signIn(host, 'rc-lost-next');
    expect((await book(host, other, { showId: show.showId, seatIds: ['B1', 'B2'] })).status).toBe(201);
  }, 45_000);

  it('confirms a booking whose saga was lost when the provider says it was paid (no webhook)', async () => {
    const u = await signIn(host, 'rc-lost-paid');
    const { r, id, checkoutUrl, sessionId } = await bookAwaitingPayment(u, ['C1']);
    await control(id, 'terminate', 'Terminated');
    expect(await checkout(checkoutUrl, 'pay', { webhook: 'never' })).toBe(303);

    const confirmed = await waitForBooking(host, u, id, statusIs('confirmed'), 20_000);
    expect(confirmed.paymentId).toBe((await session(sessionId)).paymentId);
    expect(confirmed.charged).toEqual(r.body.price.total);
    expect(confirmed.latePayments).toEqual([]);
    expect((await waitForInstance(`recover.${id}.1`, ['Completed'])).output).toEqual({ status: 'confirmed' });
    const tickets = await api(host, u, 'GET', `/api/bookings/${id}/tickets`);
    expect(tickets.body.tickets.map((t: { seatId: string }) => t.seatId)).toEqual(['C1']);
    await seatsRead(['C1'], '1');
    expect((await session(sessionId)).refunded.minor).toBe(0);
    await waitForEvents(host, id, ['booking.confirmed']);
  }, 45_000);

  it('a webhook for a booking whose saga was lost leaves it to the reconciler: confirmed, the payment not refunded', async () => {
    const u = await signIn(host, 'rc-lost-hook');
    const { id, checkoutUrl, sessionId } = await bookAwaitingPayment(u, ['C2']);
    await control(id, 'terminate', 'Terminated');
    expect(await checkout(checkoutUrl, 'pay')).toBe(303);
    expect((await waitForDelivery(sessionId))[0]!.status).toBe(200);
    const paid = await session(sessionId);

    const confirmed = await waitForBooking(host, u, id, statusIs('confirmed'), 20_000);
    expect(confirmed.paymentId).toBe(paid.paymentId);
    expect((await waitForInstance(`recover.${id}.1`, ['Completed'])).output).toEqual({ status: 'confirmed' });
    // The payment the booking was confirmed with was never treated as a late one.
    expect(await instance(`late.${paid.paymentId}`)).toBeUndefined();
    const after = await api(host, u, 'GET', `/api/bookings/${id}`);
    expect(after.body).toMatchObject({ status: 'confirmed', latePayments: [] });
    expect((await session(sessionId)).refunded.minor).toBe(0);
    const tickets = await api(host, u, 'GET', `/api/bookings/${id}/tickets`);
    expect(tickets.body.tickets.map((t: { seatId: string; status: string }) => `${t.seatId}:${t.status}`)).toEqual([
      'C2:valid',
    ]);
  }, 45_000);

  it('refunds a payment left to the reconciler when the booking cannot use it (the seats went to someone else)', async () => {
    const u = await signIn(host, 'rc-lost-seats');
    const { r, id, checkoutUrl, sessionId } = await bookAwaitingPayment(u, ['D5']);
    await control(id, 'terminate', 'Terminated');
    expect(await checkout(checkoutUrl, 'pay')).toBe(303);
    expect((await waitForDelivery(sessionId))[0]!.status).toBe(200);
    // The hold runs out before the reconciler's grace does, and another buyer takes the seat.
    await new Promise((res) => setTimeout(res, Math.max(0, Date.parse(r.body.holdExpiresAt) + 50 - Date.now())));
    const other = await signIn(host, 'rc-lost-seats-next');
    expect((await book(host, other, { showId: show.showId, seatIds: ['D5'] })).status).toBe(201);

    const failed = await waitForBooking(host, u, id, statusIs('failed'), 20_000);
    expect(failed.failure.code).toBe('SEATS_UNAVAILABLE');
    expect(failed.latePayments).toHaveLength(1);
    expect(failed.latePayments[0]).toMatchObject({
      paymentId: (await session(sessionId)).paymentId,
      status: 'refunded',
      amount: r.body.price.total,
    });
    expect(failed.latePayments[0].reason).toMatch(/no longer available/);
    expect((await waitForInstance(`recover.${id}.1`, ['Completed'])).output).toEqual({
      status: 'failed',
      code: 'SEATS_UNAVAILABLE',
    });
    expect((await session(sessionId)).refunded.minor).toBe(r.body.price.total.minor);
    await waitForEvents(host, id, ['booking.failed', 'refund.issued']);
    expect((await api(host, u, 'GET', `/api/bookings/${id}/tickets`)).status).toBe(409);
  }, 45_000);

  it('refunds a second successful payment that the saga never used', async () => {
    const u = await signIn(host, 'rc-twice');
    const { r, id, checkoutUrl, sessionId } = await bookAwaitingPayment(u, ['D1']);
    // Both payments' webhooks reach the saga while it is suspended; it takes the first one only.
    await control(id, 'suspend', 'Suspended');
    expect(await checkout(checkoutUrl, 'pay')).toBe(303);
    await waitForDelivery(sessionId);
    const tab2 = await provider<{ id: string; url: string }>('/v1/sessions', {
      method: 'POST',
      headers: { 'idempotency-key': `tab2-${id}` },
      body: JSON.stringify({
        bookingId: id,
        attemptId: `${id}.tab2`,
        amount: r.body.price.total,
        description: 'a second tab',
        items: [],
        returnUrl: host.url(`/api/bookings/${id}`),
      }),
    });
    expect(tab2.status).toBe(201);
    expect(await checkout(tab2.body.url, 'pay')).toBe(303);
    expect((await waitForDelivery(tab2.body.id))[0]!.status).toBe(200);
    const first = await session(sessionId);
    const second = await session(tab2.body.id);
    expect(second.paymentId).toMatch(/^pay_/);
    await control(id, 'resume', 'Completed');

    const confirmed = await waitForBooking(host, u, id, statusIs('confirmed'));
    expect(confirmed.paymentId).toBe(first.paymentId);
    // Only the reconciler looks at a raised payment the booking did not use.
    const refunded = await waitForBooking(
      host,
      u,
      id,
      (b) => b.latePayments.some((l: { status: string }) => l.status === 'refunded'),
      20_000,
    );
    expect(refunded.status).toBe('confirmed');
    expect(refunded.latePayments).toHaveLength(1);
    expect(refunded.latePayments[0]).toMatchObject({
      paymentId: second.paymentId,
      status: 'refunded',
      refundId: expect.stringMatching(/^re_/),
      amount: r.body.price.total,
    });
    // Either of the reconciler's two sweeps may find it first (the raised payment, or the provider's
    // list once the grace has passed); both start the same late-payment refund, once.
    expect(refunded.latePayments[0].reason).toMatch(
      /after the booking was confirmed|the booking \(confirmed\) did not use it/,
    );
    expect((await session(tab2.body.id)).refunded.minor).toBe(r.body.price.total.minor);
    expect((await session(sessionId)).refunded.minor).toBe(0);
    const events = await waitForEvents(host, id, ['booking.confirmed', 'refund.issued']);
    expect(events.find((e) => e.body.type === 'refund.issued')!.body.data).toMatchObject({ late: true });
    const tickets = await api(host, u, 'GET', `/api/bookings/${id}/tickets`);
    expect(tickets.body.tickets.map((t: { seatId: string; status: string }) => `${t.seatId}:${t.status}`)).toEqual([
      'D1:valid',
    ]);
  }, 45_000);
});
