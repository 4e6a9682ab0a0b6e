// An operator cancels a show that has bookings, end to end through the local host: every confirmed
// booking (one of them partly cancelled by its customer before) is refunded everything it paid, by
// the provider's own books, and each holder is told exactly once ("show cancelled", in their
// language); a booking held at that moment and paid afterwards is refunded, never confirmed; the
// seat map says cancelled and no one can book; cancelling again and a redelivered event change
// nothing; a refund that fails is told to the customer as being retried, retried by the fan-out, and
// visible to operators. Bad input: 400 naming the field, 401/403, 404 for an unknown show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import {
  api,
  book,
  bookAndPay,
  checkout,
  createShow,
  signIn,
  startBookingHost,
  waitForBooking,
  type Caller,
} from '../booking/helpers.js';
import { inbox, masterKey, outbox, sleep, waitForOutbox } from './helpers.js';
import { fanout as fanoutOf, holder, ledger, progress as progressOf, type Holder } from './show-cancel-helpers.js';

const HOLDERS = 24;

describe('an operator cancels a show with bookings', () => {
  let host: TestHost;
  let operator: Caller;

  beforeAll(async () => {
    host = await startHostForShowCancellation();
    operator = await signIn(host, 'op-show-cancel', ['operator']);
  }, 180_000);
  afterAll(async () => {
    await host?.stop();
  });

  const progress = (showId: string) => progressOf(host, operator, showId);
  const fanout = (showId: string) => fanoutOf(host, showId);

  async function waitForFanout(showId: string, done: (f: NonNullable<Awaited<ReturnType<typeof fanout>>>) => boolean) {
    const deadline = Date.now() + 90_000;
    let last: Awaited<ReturnType<typeof fanout>>;
    while (Date.now() < deadline) {
      last = await fanout(showId);
      if (last && done(last)) return last;
      await sleep(200);
    }
    throw new Error(
      `the fan-out of ${showId} never got there; last ${JSON.stringify(last!)}; progress ${JSON.stringify(await progress(showId))}`,
    );
  }

  it('refunds every holder in full and tells each once; a second cancel and a redelivered event change nothing', async () => {
    const show = await createShow(host, operator, 48, 20000, ['A', 'B', 'C', 'D']);
    const holders: Holder[] = [];
    // A few dozen holders, booked a handful at a time (each pays on the simulator's checkout page);
    // holder 0 reads Hindi, holder 1 has two seats and cancels one of them before the show is cancelled.
    for (let i = 0; i < HOLDERS; i += 6) {
      holders.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(6, HOLDERS - i) }, (_, k) => {
            const n = i + k;
            const seats = n === 1 ? [show.seats[n]!, show.seats[HOLDERS + 4]!] : [show.seats[n]!];
            return holder(host, show.showId, seats, {
              userId: `show-cx-${n}`,
              email: `holder${n}@example.com`,
              ...(n === 0 ? { locale: 'hi' } : {}),
            });
          }),
        )),
      );
    }
    const partly = holders[1]!;
    const own = await api(host, partly.caller, 'POST', `/api/bookings/${partly.bookingId}/cancel`, {
      seatIds: [show.seats[HOLDERS + 4]],
    });
    expect(own.status, JSON.stringify(own.body)).toBeLessThan(300);
    const afterOwn = await waitForBooking(host, partly.caller, partly.bookingId, (b) =>
      b.cancellations.some((c: { status: string }) => c.status === 'completed'),
    );
    expect(afterOwn.status).toBe('confirmed');
    // Every holder's confirmation has gone out before the show is cancelled.
    for (const h of holders) await waitForOutbox(host, h.email, (items) => items.length >= 1);

    // Someone is in checkout when the show is cancelled: held, not paid yet.
    const late = await signIn(host, 'show-cx-late');
    const held = await book(host, late, { showId: show.showId, seatIds: [show.seats[HOLDERS + 8]] });
    expect(held.status, JSON.stringify(held.body)).toBe(201);

    const cancel = await api(host, operator, 'POST', `/api/ops/shows/${show.showId}/cancel`, {
      reason: 'The lead actor is unwell',
    });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(202);
    expect(cancel.headers.get('location')).toBe(`/api/ops/shows/${show.showId}/cancellation`);
    expect(cancel.body).toMatchObject({ showId: show.showId, status: 'cancelled' });

    // A holder can no longer cancel under the policy (which would keep the fees): the show refunds everything.
    const own2 = await api(host, holders[3]!.caller, 'POST', `/api/bookings/${holders[3]!.bookingId}/cancel`, {});
    expect(own2.status, JSON.stringify(own2.body)).toBe(409);
    expect(['SHOW_CANCELLED', 'CANCELLATION_IN_PROGRESS']).toContain(own2.body.code);

    // Sales stop at once: the seat map says cancelled and a new booking is refused.
    const seatMap = await api(host, undefined, 'GET', `/api/shows/${show.showId}/seats`);
    expect(seatMap.body.status).toBe('cancelled');
    const refused = await book(host, await signIn(host, 'show-cx-new'), {
      showId: show.showId,
      seatIds: [show.seats[HOLDERS + 9]],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('SHOW_NOT_ON_SALE');

    // The held booking pays after the cancellation: it is refunded in full, never confirmed.
    expect((await checkout(held.body.paymentUrl, 'pay')).status).toBe(303);
    const failed = await waitForBooking(host, late, held.body.bookingId, (b) => b.status === 'failed', 30_000);
    expect(failed.failure.code).toBe('SHOW_NOT_ON_SALE');

    const first = await waitForFanout(show.showId, (f) => f.runtimeStatus === 'Completed');
    const p = await progress(show.showId);
    expect(p.bookings).toMatchObject({ total: HOLDERS + 1, refunded: HOLDERS, failed: 0, refunding: 0, inFlight: 0 });
    expect(p.cancellation).toMatchObject({ reason: 'The lead actor is unwell', by: operator.userId });

    // Every holder's payment is refunded in full by the provider's own books, the partly cancelled
    // one in two refunds (theirs under the policy, the rest by the show's cancellation).
    const books = await ledger(host);
    const refundedInFull = (bookingId: string) => {
      const session = books.sessions.find((x) => x.bookingId === bookingId && x.paymentId);
      const pay = books.payments.find((x) => x.id === session?.paymentId);
      return pay !== undefined && pay.refunded === pay.amount.minor;
    };
    for (const h of holders) {
      const b = await waitForBooking(host, h.caller, h.bookingId, (x) => x.status === 'cancelled');
      const showCx = b.cancellations.find((c: { cause?: string }) => c.cause === 'show');
      expect(showCx).toMatchObject({ status: 'completed', refundBp: 10000, reason: 'The lead actor is unwell' });
      const refunded = b.cancellations.reduce((n: number, c: { refund: { minor: number } }) => n + c.refund.minor, 0);
      expect(refunded).toBe(b.charged.minor);
      expect(refundedInFull(h.bookingId), h.bookingId).toBe(true);
    }
    expect(refundedInFull(held.body.bookingId)).toBe(true);
    const refundsBefore = books.refunds.length;

    // Exactly one "show cancelled" notice per holder, in their language, and no separate refund
    // notice for it: a holder's mail is their confirmation and the show's cancellation (the partly
    // cancelled holder also has their own cancellation's two).
    for (const h of holders) {
      const mails = await waitForOutbox(host, h.email, (items) =>
        items.some((m) => /^(Show cancelled|शो रद्द)/.test(m.subject ?? '')),
      );
      await sleep(50);
      const kinds = (await outbox(host, { to: h.email })).map((m) => m.subject?.split(':')[0]);
      if (h === holders[0]) expect(kinds).toEqual(['बुकिंग पक्की', 'शो रद्द']);
      else if (h === partly)
        expect(kinds.sort()).toEqual(
          ['Booking cancelled', 'Booking confirmed', 'Refund issued', 'Show cancelled'].sort(),
        );
      else expect(kinds, h.email).toEqual(['Booking confirmed', 'Show cancelled']);
      expect(mails.length).toBeGreaterThan(0);
      const events = (await inbox(host, h.caller)).items.map((i) => i.event);
      expect(events.filter((e) => e === 'show.cancelled')).toHaveLength(1);
    }
    const hindi = (await outbox(host, { to: holders[0]!.email })).find((m) => m.subject?.startsWith('शो रद्द'));
    expect(hindi?.text).toContain('The lead actor is unwell');
    const english = (await outbox(host, { to: holders[2]!.email })).find((m) =>
      m.subject?.startsWith('Show cancelled'),
    );
    expect(english?.text).toContain('everything you paid');
    const mailsBefore = new Map<string, number>();
    for (const h of holders) mailsBefore.set(h.email, (await outbox(host, { to: h.email })).length);

    // Cancelling again: 202 with the first reason, and a new walk of the bookings that does nothing.
    // (A run is told from the next by createdTime, which has whole-second resolution: let a second pass.)
    await sleep(1100);
    const again = await api(host, operator, 'POST', `/api/ops/shows/${show.showId}/cancel`, {
      reason: 'Another reason',
    });
    expect(again.status).toBe(202);
    expect(again.body.cancellation).toEqual(cancel.body.cancellation);
    expect(again.body.eventId).toBe(cancel.body.eventId);
    await waitForFanout(show.showId, (f) => f.runtimeStatus === 'Completed' && f.createdTime !== first.createdTime);
    // The same event redelivered by the broker: the run it starts finds nothing to do either.
    const second = (await fanout(show.showId))!;
    await sleep(1100);
    const redelivered = await fetch(host.url('/.local/servicebus/topics/show-events/messages'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...masterKey(host) },
      body: JSON.stringify({
        body: {
          specversion: '1.0',
          id: cancel.body.eventId,
          source: '/marquee/shows',
          type: 'show.cancelled',
          subject: `shows/${show.showId}`,
          data: { showId: show.showId },
        },
      }),
    });
    expect(redelivered.status).toBeLessThan(300);
    await waitForFanout(show.showId, (f) => f.runtimeStatus === 'Completed' && f.createdTime !== second.createdTime);
    await sleep(1000);
    expect((await ledger(host)).refunds.length).toBe(refundsBefore);
    for (const h of holders)
      expect((await outbox(host, { to: h.email })).length, h.email).toBe(mailsBefore.get(h.email));
    expect((await progress(show.showId)).bookings).toMatchObject({ refunded: HOLDERS, failed: 0 });
  }, 240_000);

  it('tells the customer a failed refund is being retried, retries it, and shows operators what failed for good', async () => {
    const show = await createShow(host, operator, 48);
    const retried = await signIn(host, 'show-cx-retried');
    const stuck = await signIn(host, 'show-cx-stuck');
    const profile = (email: string) => ({
      name: email,
      email,
      notifications: { email: true, sms: false, push: false, whatsapp: false, reminderHours: [] },
    });
    await api(host, retried, 'PUT', '/api/me/profile', profile('retried@example.com'));
    await api(host, stuck, 'PUT', '/api/me/profile', profile('stuck@example.com'));
    // The provider refuses the first two refunds of one payment (one saga run's attempts), and
    // every refund of the other.
    const b1 = await bookAndPay(host, retried, show.showId, ['A1'], { refundFailures: '2' });
    const b2 = await bookAndPay(host, stuck, show.showId, ['A2'], { refundFailures: 'always' });

    const cancel = await api(host, operator, 'POST', `/api/ops/shows/${show.showId}/cancel`, {
      reason: 'Venue flooded',
    });
    expect(cancel.status).toBe(202);

    // Told once that the refund is delayed and being retried; then the retry succeeds and they are told the show is cancelled.
    const mails = await waitForOutbox(
      host,
      'retried@example.com',
      (items) => items.some((m) => m.subject?.startsWith('Show cancelled')),
      60_000,
    );
    expect(mails.map((m) => m.subject?.split(':')[0])).toEqual([
      'Booking confirmed',
      'Refund delayed',
      'Show cancelled',
    ]);
    expect(mails[1]!.text).toContain('We are retrying it');
    expect((await waitForBooking(host, retried, b1.bookingId, (b) => b.status === 'cancelled')).status).toBe(
      'cancelled',
    );

    // The other refund fails every run: the customer hears "delayed" once, operators see it.
    await waitForFanout(show.showId, (f) => f.runtimeStatus === 'Completed');
    const failed = await waitForBooking(host, stuck, b2.bookingId, (b) => b.status === 'refund_failed');
    expect(failed.cancellations[0]).toMatchObject({ cause: 'show', status: 'refund_failed', runs: 2 });
    const told = await outbox(host, { to: 'stuck@example.com' });
    expect(told.map((m) => m.subject?.split(':')[0])).toEqual(['Booking confirmed', 'Refund delayed']);
    expect((await inbox(host, stuck)).items.map((i) => i.event)).toContain('refund.failed');
    const p = await progress(show.showId);
    expect(p.bookings).toMatchObject({ total: 2, refunded: 1, failed: 1 });
    expect(p.fanout).toMatchObject({ state: 'Completed' });
    const list = await api(host, operator, 'GET', '/api/ops/bookings?status=refund_failed');
    expect(list.body.items.map((b: { bookingId: string }) => b.bookingId)).toContain(b2.bookingId);
  }, 180_000);

  it('answers bad input with problem+json', async () => {
    const show = await createShow(host, operator, 48);
    const customer = await signIn(host, 'show-cx-customer');
    const path = `/api/ops/shows/${show.showId}/cancel`;
    const forbidden = await api(host, customer, 'POST', path, { reason: 'Not mine to cancel' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    expect((await api(host, undefined, 'POST', path, { reason: 'Nobody signed in' })).status).toBe(401);
    expect((await api(host, customer, 'GET', `/api/ops/shows/${show.showId}/cancellation`)).status).toBe(403);

    const unknown = await api(host, operator, 'POST', '/api/ops/shows/shw-blr-nosuchshow/cancel', {
      reason: 'Whatever it is',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await api(host, operator, 'GET', '/api/ops/shows/shw-blr-nosuchshow/cancellation')).status).toBe(404);

    const noReason = await api(host, operator, 'POST', path, {});
    expect(noReason.status).toBe(400);
    expect((noReason.body.errors as { field: string }[]).map((e) => e.field)).toContain('body.reason');
    const extra = await api(host, operator, 'POST', path, { reason: 'A fine reason', refund: 'none' });
    expect(extra.status).toBe(400);
    const badId = await api(host, operator, 'POST', '/api/ops/shows/a%2Fb/cancel', { reason: 'A fine reason' });
    expect(badId.status).toBe(400);

    // Nothing was cancelled by any of those.
    expect((await api(host, undefined, 'GET', `/api/shows/${show.showId}/seats`)).body.status).toBe('scheduled');
  });
});

function startHostForShowCancellation(): Promise<TestHost> {
  return startBookingHost(
    {
      // Pages of 5 bookings in batch activities of 2 (a few dozen holders are several pages and
      // continue-as-new episodes, each page a few batches side by side), a
      // short pause between passes, two saga runs per failed refund with two quick attempts each,
      // and one provider call per attempt (the client's own retries would absorb the simulated failures).
      // Holds last 10 minutes: with the booking tests' 6 s, a busy machine let a hold expire
      // between booking and the checkout page (a page without its form).
      HOLD_TTL_SECONDS: '600',
      SHOW_CANCEL_BATCH: '5',
      SHOW_CANCEL_CHUNK: '2',
      SHOW_CANCEL_PASS_SECONDS: '2',
      SHOW_CANCEL_REFUND_RUNS: '2',
      CANCEL_REFUND_ATTEMPTS: '2',
      CANCEL_REFUND_RETRY_MS: '200',
      PAYMENTS_MAX_ATTEMPTS: '1',
      // The refund breaker stays closed: the failures here are the simulator's, per payment.
      PAYMENTS_BREAKER_THRESHOLD: '100',
      REFUND_FULL_BEFORE_HOURS: '24',
    },
    // A host starts in seconds; on a machine shared by many runs it has taken over a minute.
    150_000,
  );
}
