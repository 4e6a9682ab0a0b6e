// A late confirm (docs/architecture.md, Sagas: Seats of an ended attempt): the booking's seats are
// confirmed for a booking whose saga — or the reconciler — has already failed or expired it. Chaos
// runs saw it as seats booked in the inventory for a booking that owns none ("inventory agrees with
// bookings" broken): nobody can buy them, and the payment that came with it was not refunded by the
// step that took it. Here, through the local host (its sagas, bookingRecovery started through the
// Durable HTTP API as the reconciler starts it, the payment simulator), with the saga's own steps run
// from the test process as a second Function instance (steps-harness.ts) to make the interleavings:
// - bookingRecovery confirms with the provider's payment after the saga expired the booking;
// - a confirmation booked the seats just before the booking's end was committed;
// - the end was committed between a confirmation's first read and its seat write.
// Each time the seats end up free (the public seat map and the inventory as stored agree), another
// customer can book them, and a payment that came is refunded in full, once.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import type { Cosmos } from '../../shared/adapters/cosmos/client.js';
import type { BookingRef } from '../../shared/booking/saga-contracts.js';
import {
  book,
  checkout,
  createShow,
  providerCheckoutUrl,
  signIn,
  startBookingHost,
  waitForBooking,
  waitForEvents,
  type Caller,
  type TestShow,
} from './helpers.js';
import {
  connect,
  providerSession,
  seatsRead,
  startSaga,
  stepsInstance,
  terminateSaga,
  waitForSaga,
} from './steps-harness.js';

let host: TestHost;
let cosmos: Cosmos;
let show: TestShow;
const database = `late${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  host = await startBookingHost(
    {
      COSMOS_DATABASE: database,
      // The tests end the bookings themselves: no hold runs out and no reconciler pass comes meanwhile.
      HOLD_TTL_SECONDS: '300',
      RECONCILE_SCHEDULE: '0 0 0 1 1 *',
    },
    120_000,
  );
  show = await createShow(host, await signIn(host, 'op-late', ['operator']), 72);
  cosmos = connect(database);
}, 150_000);

afterAll(async () => {
  await host?.stop();
});

/**
 * Books `seatIds` over HTTP and stops its saga once it waits for the payment, as the reconciler
 * does with a saga it gives up on: from then on only the test moves the booking.
 */
async function bookThenLoseSaga(u: Caller, seatIds: string[]) {
  const r = await book(host, u, { showId: show.showId, seatIds });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = r.body.bookingId as string;
  await waitForSaga(host, id, ['Running'], 30_000, 'awaiting_payment');
  await terminateSaga(host, id);
  const ref: BookingRef = { bookingId: id, userId: u.userId, attempt: 1 };
  return { id, ref, paymentUrl: r.body.paymentUrl as string };
}

/** The inventory as stored has none of the booking's seats booked, the public map reads them free, and someone else gets them. */
async function seatsGoBack(bookingId: string, seatIds: string[], next: string) {
  const booked = await stepsInstance(host, cosmos).bookedSeats(show.showId);
  expect([...booked].filter(([, owner]) => owner === bookingId)).toEqual([]);
  await seatsRead(host, show.showId, seatIds, '0');
  const other = await book(host, await signIn(host, next), { showId: show.showId, seatIds });
  expect(other.status, JSON.stringify(other.body)).toBe(201);
}

describe('a late confirm', () => {
  it("bookingRecovery with the provider's payment, after the saga expired the booking: seats back, refunded once", async () => {
    const u = await signIn(host, 'late-recovery');
    const seats = ['A1', 'A2'];
    const { id, ref, paymentUrl } = await bookThenLoseSaga(u, seats);
    const page = await providerCheckoutUrl(paymentUrl); // the customer opens the checkout
    // The saga's end at the hold's expiry when the provider had nothing to say: release, expire.
    const saga = stepsInstance(host, cosmos);
    await saga.steps.releaseSeats(ref);
    expect(await saga.steps.expire(ref)).toEqual({ status: 'expired' });
    await seatsRead(host, show.showId, seats, '0');

    // The customer still has the checkout open and pays now; the webhook is lost.
    expect((await checkout(page, 'pay', { webhook: 'never' })).status).toBe(303);
    const sessionId = new URL(page).pathname.split('/').pop()!;
    const paid = await providerSession(host, sessionId);
    expect(paid.status).toBe('paid');

    // The reconciler's recovery, with the provider's answer read before the booking ended.
    const recovery = `recover.${id}.1`;
    await startSaga(host, 'bookingRecovery', recovery, {
      bookingId: id,
      userId: u.userId,
      payment: {
        outcome: 'paid',
        sessionId,
        paymentId: paid.paymentId,
        amount: paid.amount,
        eventId: `reconcile:${sessionId}`,
      },
    });
    const done = await waitForSaga(host, recovery, ['Completed', 'Failed', 'Terminated'], 60_000);
    expect(done.runtimeStatus, JSON.stringify(done)).toBe('Completed');
    expect(done.output).toEqual({ status: 'expired' });

    const b = await waitForBooking(host, u, id, (x) =>
      x.latePayments.some((l: { status: string }) => l.status === 'refunded'),
    );
    expect(b.status).toBe('expired');
    expect(b.paymentId ?? null).toBeNull();
    expect(b.latePayments).toEqual([
      expect.objectContaining({ paymentId: paid.paymentId, amount: paid.amount, status: 'refunded' }),
    ]);
    expect((await providerSession(host, sessionId)).refunded).toEqual(paid.amount);
    const events = await waitForEvents(host, id, ['refund.issued']);
    expect(events.map((e) => e.body.type)).not.toContain('booking.confirmed');
    await seatsGoBack(id, seats, 'late-recovery-next');
  }, 90_000);

  it('a confirmation booked the seats just before the end was committed: the end gives them back', async () => {
    const u = await signIn(host, 'late-before-end');
    const seats = ['B1', 'B2'];
    const { id, ref } = await bookThenLoseSaga(u, seats);
    // The lost saga's confirmSeats, still on its way, books the seats while the booking is paying.
    const late = stepsInstance(host, cosmos);
    expect(await late.steps.confirmSeats(ref)).toEqual({ ok: true });
    await seatsRead(host, show.showId, seats, '1');

    // Then the reconciler ends the booking (bookingRecovery without a payment: release, abandon → expired).
    const recovery = `recover.${id}.1`;
    await startSaga(host, 'bookingRecovery', recovery, { bookingId: id, userId: u.userId });
    const done = await waitForSaga(host, recovery, ['Completed', 'Failed', 'Terminated'], 60_000);
    expect(done.runtimeStatus, JSON.stringify(done)).toBe('Completed');
    expect(done.output).toEqual({ status: 'expired' });
    expect((await waitForBooking(host, u, id, (x) => x.status !== 'paying')).status).toBe('expired');
    await seatsGoBack(id, seats, 'late-before-end-next');
  }, 90_000);

  it("the end was committed between a confirmation's read and its seat write: the confirmation gives the seats back", async () => {
    const u = await signIn(host, 'late-after-read');
    const seats = ['C1', 'C2'];
    const { id, ref } = await bookThenLoseSaga(u, seats);
    // The confirmation has read the booking (paying); before it writes the seats, the saga's end runs
    // in full on another instance — commit, then free what the attempt holds (nothing booked yet).
    const end = stepsInstance(host, cosmos);
    const late = stepsInstance(host, cosmos);
    const write = late.inventory.confirm.bind(late.inventory);
    let ended = false;
    late.inventory.confirm = async (...args) => {
      if (!ended) {
        ended = true;
        await end.steps.releaseSeats(ref);
        expect(await end.steps.expire(ref)).toEqual({ status: 'expired' });
      }
      return write(...args);
    };
    expect(await late.steps.confirmSeats(ref)).toMatchObject({ ok: false, code: 'BOOKING_ENDED', status: 'expired' });
    expect(ended).toBe(true);
    await seatsGoBack(id, seats, 'late-after-read-next');
  }, 90_000);
});
