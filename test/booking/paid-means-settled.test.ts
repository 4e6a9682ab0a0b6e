// Paid means confirmed or refunded (docs/architecture.md, Sagas: Recovery and late payments), end to
// end over HTTP against the local host and the payment simulator:
// - bulkheads: one payment whose refunds keep failing opens the refund breaker only; another
//   customer's status check at hold expiry still works, and their paid booking is confirmed instead
//   of expiring unrefunded;
// - the reconciler reconciles from the provider's side: a payment taken for a booking that ended
//   without it, whose webhook never came, is found in the provider's list and refunded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import {
  book,
  checkout,
  createShow,
  PAYMENTS_API_KEY,
  providerCheckoutUrl,
  signIn,
  startBookingHost,
  statusIs,
  waitForBooking,
  waitForEvents,
  type Caller,
  type TestShow,
} from './helpers.js';

type Money = { minor: number; currency: string };

let host: TestHost;
let show: TestShow;

beforeAll(async () => {
  host = await startBookingHost({
    HOLD_TTL_SECONDS: '4',
    // Two transient faults open an operation's breaker, and it stays open for the whole test.
    PAYMENTS_BREAKER_THRESHOLD: '2',
    PAYMENTS_BREAKER_COOLDOWN_MS: '120000',
    RECONCILE_SCHEDULE: '*/1 * * * * *',
    RECONCILE_GRACE_SECONDS: '2',
  });
  show = await createShow(host, await signIn(host, 'op-settled', ['operator']), 72);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

const provider = (path: string, init: RequestInit = {}) =>
  fetch(`${host.env.PAYMENTS_BASE_URL}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${PAYMENTS_API_KEY}`, 'content-type': 'application/json', ...init.headers },
  });

const sessionOf = async (id: string) =>
  (await (await provider(`/v1/sessions/${id}`)).json()) as { paymentId?: string; refunded: Money; status: string };

/** A booking that expires unpaid, then paid on a second checkout (an old tab) with the given behaviour. */
async function paidAfterExpiry(caller: Caller, seatId: string, simulate: Record<string, unknown>) {
  const r = await book(host, caller, { showId: show.showId, seatIds: [seatId] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await waitForBooking(host, caller, r.body.bookingId, statusIs('expired'), 15_000);
  const created = await provider('/v1/sessions', {
    method: 'POST',
    headers: { 'idempotency-key': `tab2-${r.body.bookingId}` },
    body: JSON.stringify({
      bookingId: r.body.bookingId,
      attemptId: `${r.body.bookingId}.1`,
      amount: r.body.price.total,
      description: 'second tab',
      items: [],
      returnUrl: host.url(`/api/bookings/${r.body.bookingId}`),
      simulate,
    }),
  });
  expect(created.status).toBe(201);
  const s = (await created.json()) as { id: string; url: string };
  expect((await checkout(s.url, 'pay')).status).toBe(303);
  return { bookingId: r.body.bookingId as string, sessionId: s.id, price: r.body.price.total as Money };
}

describe('paid means confirmed or refunded', () => {
  it('refunds a payment only the provider knows about (no webhook) once its booking has ended without it', async () => {
    const c = await signIn(host, 'webhook-lost');
    const lost = await paidAfterExpiry(c, 'B1', { webhook: 'never' });
    const refunded = await waitForBooking(
      host,
      c,
      lost.bookingId,
      (x) => x.latePayments.some((l: { status: string }) => l.status === 'refunded'),
      30_000,
    ).catch((err: Error) => {
      const log = host
        .output()
        .split('\n')
        .filter((l) => /reconcile|warn|error/i.test(l))
        .slice(-20);
      throw new Error(`${err.message}\nhost:\n${log.join('\n')}`);
    });
    expect(refunded.status).toBe('expired');
    const paymentId = (await sessionOf(lost.sessionId)).paymentId;
    expect(refunded.latePayments).toEqual([
      expect.objectContaining({ paymentId, amount: lost.price, status: 'refunded' }),
    ]);
    await waitForEvents(host, lost.bookingId, ['refund.issued']);
    // Exactly once, however many reconciler passes see it.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await sessionOf(lost.sessionId)).refunded).toEqual(lost.price);
  }, 60_000);

  // Last: it leaves the refund breaker open for the rest of the run.
  it("a payment whose refunds keep failing does not make another customer's paid booking expire", async () => {
    // Customer A's late payment cannot be refunded: every refund attempt fails, opening the refund breaker.
    const a = await signIn(host, 'refunds-broken');
    const late = await paidAfterExpiry(a, 'A1', { refundFailures: 'always' });
    await new Promise((r) => setTimeout(r, 2500)); // the late-payment saga's first refunds have failed by now

    // Customer B pays in time, but no webhook comes: at hold expiry the saga must ask the provider.
    const b = await signIn(host, 'status-at-expiry');
    const r = await book(host, b, { showId: show.showId, seatIds: ['A2'] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await checkout(await providerCheckoutUrl(r.body.paymentUrl), 'pay', { webhook: 'never' });
    const confirmed = await waitForBooking(host, b, r.body.bookingId, statusIs('confirmed', 'failed'), 30_000);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.latePayments).toEqual([]);
    // Answered at once: the status check was not held up by the refund breaker (no grace needed).
    expect(confirmed.history.map((h: { event: string }) => h.event)).not.toContain('paymentUnknown');
    await waitForEvents(host, r.body.bookingId, ['booking.confirmed']);

    // A's payment is still not refunded (the provider refuses), and nothing pretends otherwise.
    const a1 = await waitForBooking(host, a, late.bookingId, statusIs('expired'));
    expect(a1.latePayments.filter((l: { status: string }) => l.status === 'refunded')).toEqual([]);
    expect((await sessionOf(late.sessionId)).refunded.minor).toBe(0);
  }, 60_000);
});
