// Property (fast-check, bounded), end to end over HTTP against the local host: for generated
// interleavings of customer behaviour (pay, decline, abandon, pay an old tab after the hold
// expired, raise a forged PaymentResult), webhook loss, duplication and delay, and refunds that
// fail at first, once everything has settled money balances — every amount the provider took for
// these bookings is either a confirmed booking's own payment (unrefunded, equal to what it was
// charged) or refunded in full, exactly once — and no seat is in two confirmed bookings.
// Host restarts are the chaos suite's part. CI runs one round; MONEY_PROPERTY_RUNS asks for more.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { raise } from '../durable/helpers.js';
import {
  api,
  book,
  checkout,
  createShow,
  PAYMENTS_API_KEY,
  providerCheckoutUrl,
  signIn,
  startBookingHost,
  waitForBooking,
  type Caller,
} from './helpers.js';

type Money = { minor: number; currency: string };
type Booking = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface ProviderPayment {
  id: string;
  sessionId: string;
  bookingId?: string;
  amount: Money;
  refunded: Money;
}

const RUNS = Number(process.env.MONEY_PROPERTY_RUNS ?? (process.env.CI ? 1 : 2));
const FINAL = ['confirmed', 'failed', 'expired'];

let host: TestHost;
let operator: Caller;

beforeAll(async () => {
  host = await startBookingHost({
    HOLD_TTL_SECONDS: '4',
    RECONCILE_SCHEDULE: '*/1 * * * * *',
    RECONCILE_GRACE_SECONDS: '2',
    PAYMENT_GRACE_SECONDS: '6',
    PAYMENT_GRACE_POLL_SECONDS: '1',
  });
  operator = await signIn(host, 'op-money', ['operator']);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

const customer = fc.record({
  seat: fc.constantFrom('A1', 'A2', 'A3'),
  action: fc.constantFrom('pay', 'decline', 'abandon', 'payLate', 'forge'),
  webhook: fc.constantFrom('send', 'never', 'duplicate', 'delay'),
  refundFailures: fc.constantFrom('0', '1'),
});
type Customer = typeof customer extends fc.Arbitrary<infer T> ? T : never;

const provider = (path: string, init: RequestInit = {}) =>
  fetch(`${host.env.PAYMENTS_BASE_URL}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${PAYMENTS_API_KEY}`, 'content-type': 'application/json', ...init.headers },
  });

function behaviour(c: Customer): Record<string, string> {
  return {
    refundFailures: c.refundFailures,
    ...(c.webhook === 'never' ? { webhook: 'never' } : {}),
    ...(c.webhook === 'duplicate' ? { duplicateWebhook: 'true' } : {}),
    ...(c.webhook === 'delay' ? { webhookDelayMs: '3000' } : {}),
  };
}

/** One customer's session of the booking flow; answers the booking id when a booking was made. */
async function play(
  c: Customer,
  showId: string,
  n: number,
): Promise<{ caller: Caller; bookingId: string } | undefined> {
  const caller = await signIn(host, `money-${randomUUID().slice(0, 8)}-${n}`);
  const r = await book(host, caller, { showId, seatIds: [c.seat] });
  if (r.status === 409) return undefined; // the seat was taken: nothing was charged
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const bookingId = r.body.bookingId as string;
  const page = await providerCheckoutUrl(r.body.paymentUrl);
  if (c.action === 'pay' || c.action === 'decline') await checkout(page, c.action, behaviour(c));
  if (c.action === 'forge')
    await raise(host, bookingId, 'PaymentResult', {
      outcome: 'paid',
      sessionId: page.split('/').pop(),
      paymentId: `pay_forged_${n}`,
      amount: r.body.price.total,
      eventId: `evt_forged_${n}`,
    });
  if (c.action === 'payLate') {
    await waitForBooking(host, caller, bookingId, (b) => FINAL.includes(String(b.status)), 20_000);
    const created = await provider('/v1/sessions', {
      method: 'POST',
      headers: { 'idempotency-key': `late-${bookingId}` },
      body: JSON.stringify({
        bookingId,
        attemptId: `${bookingId}.1`,
        amount: r.body.price.total,
        description: 'an old tab',
        items: [],
        returnUrl: host.url(`/api/bookings/${bookingId}`),
      }),
    });
    const s = (await created.json()) as { url: string };
    await checkout(s.url, 'pay', behaviour(c));
  }
  return { caller, bookingId };
}

async function paymentsSince(since: string): Promise<ProviderPayment[]> {
  const res = await provider(`/v1/payments?created_gte=${encodeURIComponent(since)}&limit=100`);
  return ((await res.json()) as { data: ProviderPayment[] }).data;
}

/** Money balances for these bookings: each payment is its booking's own (confirmed) or refunded in full. */
function balanced(payments: ProviderPayment[], bookings: Map<string, Booking>) {
  return payments.every((p) => {
    const b = p.bookingId ? bookings.get(p.bookingId) : undefined;
    if (!b) return true; // another run's booking
    const own = b.status === 'confirmed' && b.paymentId === p.id;
    return own ? p.refunded.minor === 0 && b.charged?.minor === p.amount.minor : p.refunded.minor === p.amount.minor;
  });
}

describe('money balances and no seat is sold twice', () => {
  it('for generated interleavings of payments, webhook faults and refund failures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(customer, { minLength: 2, maxLength: 4 }), async (customers) => {
        const show = await createShow(host, operator, 72);
        const since = new Date(Date.now() - 1000).toISOString();
        const made = (await Promise.all(customers.map((c, i) => play(c, show.showId, i)))).filter((x) => !!x);

        // Settle: every booking final, and every payment taken for them accounted for.
        const deadline = Date.now() + 45_000;
        let bookings = new Map<string, Booking>();
        let payments: ProviderPayment[] = [];
        for (;;) {
          bookings = new Map(
            await Promise.all(
              made.map(
                async (m) =>
                  [m.bookingId, (await api(host, m.caller, 'GET', `/api/bookings/${m.bookingId}`)).body] as const,
              ),
            ),
          );
          payments = (await paymentsSince(since)).filter((p) => p.bookingId && bookings.has(p.bookingId));
          const final = [...bookings.values()].every((b) => FINAL.includes(String(b.status)));
          if (final && balanced(payments, bookings)) break;
          if (Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        const summary = JSON.stringify({
          customers,
          bookings: [...bookings.values()].map((b) => ({
            s: b.status,
            seats: b.seatIds,
            p: b.paymentId,
            late: b.latePayments,
          })),
          payments,
        });
        expect(
          [...bookings.values()].every((b) => FINAL.includes(String(b.status))),
          summary,
        ).toBe(true);
        expect(balanced(payments, bookings), summary).toBe(true);
        // Every amount once: taken = kept by confirmed bookings + refunded.
        const taken = payments.reduce((sum, p) => sum + p.amount.minor, 0);
        const refunded = payments.reduce((sum, p) => sum + p.refunded.minor, 0);
        const kept = [...bookings.values()]
          .filter((b) => b.status === 'confirmed')
          .reduce((sum, b) => sum + (b.charged?.minor ?? 0), 0);
        expect(taken, summary).toBe(kept + refunded);
        // No seat in two confirmed bookings.
        const seats = [...bookings.values()]
          .filter((b) => b.status === 'confirmed')
          .flatMap((b) => b.seatIds as string[]);
        expect(new Set(seats).size, summary).toBe(seats.length);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 240_000);
});
