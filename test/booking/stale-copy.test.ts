// The booking steps start a write from the version their process saw last (BookingSteps.forWrite)
// instead of reading it again. Here two "processes" (two BookingStore + BookingSteps, as two
// Function instances would have) share the real Cosmos server: one moves a booking on, the other
// then runs the same step from its stale copy. The conditional commit must catch it: no duplicate
// history, the right attempt's hold id, the end state unchanged.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import type { Cosmos } from '../../shared/adapters/cosmos/client.js';
import type { BookingRef } from '../../shared/booking/saga-contracts.js';
import { withHistory, type BookingDoc } from '../../shared/booking/model.js';
import { checkout, createShow, signIn, startBookingHost, type TestShow } from './helpers.js';
import { connect, draftBooking, stepsInstance } from './steps-harness.js';

let host: TestHost;
let cosmos: Cosmos;
let show: TestShow;
const database = `stale${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  host = await startBookingHost({ COSMOS_DATABASE: database });
  show = await createShow(host, await signIn(host, 'op-stale', ['operator']), 72);
  cosmos = connect(database);
}, 90_000);

afterAll(async () => {
  await host?.stop();
});

/** One Function instance's view: its own store (and so its own last-seen copies) and steps (test/booking/steps-harness.ts). */
const instance = () => stepsInstance(host, cosmos);

/** A pending booking document as POST /api/bookings writes it (no saga runs for it here). */
const draft = (seatIds: string[], attempt = 1, previous?: BookingDoc) =>
  draftBooking(show, seatIds, { userId: 'stale-user', attempt, ...(previous ? { previous } : {}) });

const statuses = (doc: BookingDoc | undefined) => doc?.history.map((h) => h.status);

describe('a step run from a stale copy of the booking', () => {
  it('holds once: the other instance already held the seats, the stale commit is refused and changes nothing', async () => {
    const a = instance();
    const b = instance();
    const doc = draft(['A1', 'A2']);
    expect(await a.store.create(doc)).toBe(true); // A's copy: pending
    const ref: BookingRef = { bookingId: doc.id, userId: doc.userId, attempt: 1 };
    const first = await b.steps.holdSeats(ref);
    expect(first.ok).toBe(true);
    expect(a.store.lastSeen(doc.id)?.doc.status).toBe('pending'); // stale on A

    const again = await a.steps.holdSeats(ref);
    expect(again).toMatchObject({ ok: true, seatIds: ['A1', 'A2'] });
    const stored = await b.store.get(doc.userId, doc.id);
    expect(statuses(stored)).toEqual(['pending', 'held']);
    expect(a.store.lastSeen(doc.id)?.doc.status).toBe('held'); // the refused commit read the stored version
  });

  it('never uses a copy of an earlier attempt: the hold goes to the current attempt', async () => {
    const a = instance();
    const b = instance();
    const first = draft(['B1']);
    expect(await a.store.create(first)).toBe(true); // A saw attempt 1 pending
    // Attempt 1 was refused and the same key retried: B writes attempt 2 (as POST does).
    const refused = withHistory(first, 'failed', 'seatsUnavailable', new Date().toISOString());
    const stored1 = (await b.store.read(first.userId, first.id))!;
    expect(await b.store.replace(refused, stored1.etag)).toBe(true);
    const second = draft(['B1'], 2, refused);
    expect(await b.store.replace(second, (await b.store.read(first.userId, first.id))!.etag)).toBe(true);

    const held = await a.steps.holdSeats({ bookingId: first.id, userId: first.userId, attempt: 2 });
    expect(held.ok).toBe(true);
    // The seat is held under attempt 2's hold id, not the booking id attempt 1 used.
    expect(await a.inventory.release(show.showId, first.id, ['B1'])).toMatchObject({ ok: true, seatIds: [] });
    expect(await a.inventory.release(show.showId, `${first.id}.2`, ['B1'])).toMatchObject({
      ok: true,
      seatIds: ['B1'],
    });
  });

  it('confirms once: a stale "paying" copy after the other instance confirmed changes nothing', async () => {
    const a = instance();
    const b = instance();
    const doc = draft(['C1']);
    expect(await a.store.create(doc)).toBe(true);
    const ref: BookingRef = { bookingId: doc.id, userId: doc.userId, attempt: 1 };
    expect((await a.steps.holdSeats(ref)).ok).toBe(true);
    const session = await a.steps.createPayment({ ...ref, returnUrl: `${host.origin}/bookings/${doc.id}` });
    expect(session.ok).toBe(true);
    expect(a.store.lastSeen(doc.id)?.doc.status).toBe('paying');
    if (!session.ok) throw new Error('no session');
    // The customer pays on the provider's page; the saga's result is verified against the provider.
    expect((await checkout(session.paymentUrl, 'pay', { webhook: 'never' })).status).toBe(303);
    const { paymentId } = await a.payments.getPaymentStatus({ sessionId: session.sessionId });
    const verdict = await b.steps.verifyPayment({
      ...ref,
      payment: {
        outcome: 'paid',
        sessionId: session.sessionId,
        paymentId,
        amount: doc.price.total,
        eventId: 'evt_stale',
      },
    });
    if (verdict.verdict !== 'paid') throw new Error(`not verified: ${JSON.stringify(verdict)}`);
    const payment = verdict.payment;
    expect(await b.steps.confirmSeats(ref)).toEqual({ ok: true });
    expect(await b.steps.confirmBooking({ ...ref, payment })).toEqual({ status: 'confirmed' });

    expect(await a.steps.confirmSeats(ref)).toEqual({ ok: true }); // idempotent for the same hold
    expect(await a.steps.confirmBooking({ ...ref, payment })).toEqual({ status: 'confirmed' });
    const stored = await b.store.get(doc.userId, doc.id);
    expect(statuses(stored)).toEqual(['pending', 'held', 'paying', 'confirmed']);
    expect(stored?.payment?.paymentId).toBe(paymentId);
  });

  it('confirmPaid run again after its answer was lost and the booking was cancelled: the seats freed by the cancellation stay with whoever took them', async () => {
    const a = instance();
    const doc = draft(['D1']);
    expect(await a.store.create(doc)).toBe(true);
    const ref: BookingRef = { bookingId: doc.id, userId: doc.userId, attempt: 1 };
    expect((await a.steps.holdSeats(ref)).ok).toBe(true);
    const session = await a.steps.createPayment({ ...ref, returnUrl: `${host.origin}/bookings/${doc.id}` });
    if (!session.ok) throw new Error('no session');
    expect((await checkout(session.paymentUrl, 'pay', { webhook: 'never' })).status).toBe(303);
    const { paymentId } = await a.payments.getPaymentStatus({ sessionId: session.sessionId });
    const verdict = await a.steps.verifyPayment({
      ...ref,
      payment: { outcome: 'paid', sessionId: session.sessionId, paymentId, amount: doc.price.total, eventId: 'evt_d' },
    });
    if (verdict.verdict !== 'paid') throw new Error(`not verified: ${JSON.stringify(verdict)}`);
    expect(await a.steps.confirmPaid({ ...ref, payment: verdict.payment })).toEqual({ ok: true, status: 'confirmed' });

    // The answer is lost (the worker died); meanwhile the owner cancels: the seat goes back and
    // another buyer holds it.
    const confirmed = (await a.store.read(doc.userId, doc.id))!;
    const at = new Date().toISOString();
    const cancelled = withHistory(
      withHistory(confirmed.doc, 'cancelling', 'cancelRequested', at),
      'cancelled',
      'refunded',
      at,
    );
    expect(await a.store.replace(cancelled, confirmed.etag)).toBe(true);
    expect(
      await a.inventory.releaseAttempt(show.showId, { bookingId: doc.id, holdId: doc.id, seatIds: ['D1'] }),
    ).toMatchObject({
      ok: true,
      seatIds: ['D1'],
    });
    expect((await a.inventory.hold(show.showId, ['D1'], 'someone-else', 'other-user', 120)).ok).toBe(true);

    // The step runs again: it answers the confirmation it made and books nothing.
    const b = instance();
    expect(await b.steps.confirmPaid({ ...ref, payment: verdict.payment })).toEqual({
      ok: true,
      status: 'cancelled',
      confirmedBefore: true,
    });
    expect(await a.inventory.confirm(show.showId, 'someone-else', 'bk-someone-else', ['D1'])).toMatchObject({
      ok: true,
    });
  });
});
