// Set-up and reads shared by the show-cancellation tests (test/notifications/show-cancellation*.test.ts):
// holders who book and pay through the real booking path, the payment simulator's own books, the
// operator's progress, the fan-out instance, and the "show cancelled" emails in the outbox.
import { expect } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { api, book, checkout, settled, signIn, waitForBooking, type Caller } from '../booking/helpers.js';
import { masterKey, outbox, sleep } from './helpers.js';

/** The payment simulator's ledger (local-plugins/payments/ledger.ts). */
export interface Ledger {
  sessions: { bookingId: string; paymentId?: string }[];
  payments: { id: string; amount: { minor: number }; refunded: number }[];
  refunds: { id: string; paymentId: string }[];
}

export interface Holder {
  caller: Caller;
  email: string;
  bookingId: string;
  charged: number;
}

export interface Fanout {
  runtimeStatus: string;
  createdTime: string;
  customStatus: unknown;
}

export async function ledger(host: TestHost): Promise<Ledger> {
  const res = await fetch(host.url('/.payments/v1/_simulator/ledger'), { headers: masterKey(host) });
  expect(res.status).toBe(200);
  return (await res.json()) as Ledger;
}

/** The operator cancels the show (202); answers the time just before, for reading the outbox since. */
export async function cancelShow(host: TestHost, operator: Caller, showId: string, reason: string) {
  const since = new Date().toISOString();
  const cancel = await api(host, operator, 'POST', `/api/ops/shows/${showId}/cancel`, { reason });
  expect(cancel.status, JSON.stringify(cancel.body)).toBe(202);
  return { since, cancel };
}

/** The operator's view: GET /api/ops/shows/{showId}/cancellation. */
export async function progress(host: TestHost, operator: Caller, showId: string) {
  const r = await api(host, operator, 'GET', `/api/ops/shows/${showId}/cancellation`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** The fan-out instance's status from the Durable HTTP API (createdTime tells one run from the next). */
export async function fanout(host: TestHost, showId: string): Promise<Fanout | undefined> {
  const res = await fetch(host.url(`/runtime/webhooks/durabletask/instances/show-cancel.${showId}`), {
    headers: host.admin,
  });
  if (res.status === 404) return undefined;
  return (await res.json()) as Fanout;
}

/** Polls `read` every `everyMs` until `done` holds, or throws with what it last read. */
export async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 90_000,
  everyMs = 250,
) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await sleep(everyMs);
  }
  throw new Error(`${what} never happened; last ${JSON.stringify(last).slice(0, 2000)}`);
}

/** "Show cancelled" emails since `since`, counted per recipient. */
export async function showCancelledMails(host: TestHost, since: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await outbox(host, { channel: 'email', since }))
    if (m.subject?.startsWith('Show cancelled')) for (const to of m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/**
 * One customer with email notifications only books `seatIds` and pays on the checkout page, as in a
 * browser; answers the confirmed booking. (A 202 is "still working" on a busy machine: settled polls.)
 */
export async function holder(
  host: TestHost,
  showId: string,
  seatIds: string[],
  who: { userId: string; email: string; locale?: string },
): Promise<Holder> {
  const caller = await signIn(host, who.userId);
  const saved = await api(host, caller, 'PUT', '/api/me/profile', {
    name: who.userId,
    email: who.email,
    ...(who.locale ? { locale: who.locale } : {}),
    notifications: { email: true, sms: false, push: false, whatsapp: false, reminderHours: [] },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const held = await settled(host, caller, await book(host, caller, { showId, seatIds }));
  expect(held.status, JSON.stringify(held.body)).toBe(201);
  expect((await checkout(held.body.paymentUrl, 'pay')).status).toBe(303);
  const b = await waitForBooking(host, caller, held.body.bookingId, (x) => x.status === 'confirmed', 90_000);
  return { caller, email: who.email, bookingId: b.bookingId as string, charged: b.charged.minor as number };
}

/** `count` holders of one seat each (`seats[n]`), `concurrency` booking at once. */
export async function holders(
  host: TestHost,
  showId: string,
  seats: string[],
  count: number,
  who: (n: number) => { userId: string; email: string; locale?: string },
  concurrency = 6,
): Promise<Holder[]> {
  const out: Holder[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let n = next++; n < count; n = next++) out[n] = await holder(host, showId, [seats[n]!], who(n));
    }),
  );
  expect(new Set(out.map((h) => h.bookingId)).size).toBe(count);
  return out;
}

/** By the provider's own books: each holder's payment refunded in full, by exactly one refund. */
export function expectRefundedOnce(books: Ledger, paid: Holder[]) {
  const paymentOf = new Map(books.sessions.filter((s) => s.paymentId).map((s) => [s.bookingId, s.paymentId!]));
  for (const h of paid) {
    const pay = books.payments.find((p) => p.id === paymentOf.get(h.bookingId));
    expect(pay, h.bookingId).toBeDefined();
    expect(pay!.amount.minor).toBe(h.charged);
    expect(pay!.refunded, h.bookingId).toBe(pay!.amount.minor);
    expect(
      books.refunds.filter((r) => r.paymentId === pay!.id),
      h.bookingId,
    ).toHaveLength(1);
  }
}
