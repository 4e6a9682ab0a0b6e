// The acceptance bar for an operator's show cancellation (docs/architecture.md, Show cancellation), end to end through the local host: a show
// with 200 confirmed bookings, each booked and paid the way a customer does (POST /api/bookings, the
// simulator's checkout page, its webhook, the booking saga), is cancelled by an operator; every
// payment is refunded in full by the provider's own books, every holder gets exactly one "show
// cancelled" email, the operator's progress reads 200 refunded and none failed, and starting the
// cancellation a second time refunds and tells no one again. On the same host, a host crash in the
// middle of a cancellation's batches (SIGKILL, then a start on the same data folder) loses nothing
// and repeats nothing. (test/notifications/show-cancellation.test.ts covers the cases around it with
// fewer holders: a partly cancelled booking, a payment in flight, failed refunds, languages, bad input.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { api, createShow, signIn, startBookingHost, type Caller } from '../booking/helpers.js';
import { sleep } from './helpers.js';
import {
  cancelShow,
  expectRefundedOnce,
  fanout,
  holders as payingHolders,
  ledger,
  progress,
  showCancelledMails,
  waitUntil,
} from './show-cancel-helpers.js';

const HOLDERS = Number(process.env.SHOW_CANCEL_HOLDERS ?? 200);
/** Customers booking at once while the show fills up (each runs its own booking saga). */
const CONCURRENCY = 10;
/** Rows of 10 seats, labelled A–Z then AA–ZZ (a row's label is upper-case letters). */
const ROWS = Array.from({ length: Math.ceil(HOLDERS / 10) }, (_, i) =>
  String.fromCharCode(65 + (i % 26)).repeat(Math.floor(i / 26) + 1),
);

describe(`an operator cancels a show with ${HOLDERS} confirmed bookings`, () => {
  let host: TestHost;
  let operator: Caller;

  beforeAll(async () => {
    // Holds last 10 minutes (the booking tests' 6 s would run out while a busy machine pays 200 of them).
    // Pages of 100 (the default) in batch activities of 40: the crash case relies on its 40 bookings
    // being one batch, eight rounds of its 5 workers, that is still running when the host is killed.
    host = await startBookingHost(
      {
        HOLD_TTL_SECONDS: '600',
        NOTIFY_QUIET_HOURS: '00-00',
        REFUND_FULL_BEFORE_HOURS: '24',
        SHOW_CANCEL_BATCH: '100',
        SHOW_CANCEL_CHUNK: '40',
      },
      150_000,
    );
    operator = await signIn(host, 'op-show-cancel-200', ['operator']);
  }, 180_000);
  afterAll(async () => {
    await host?.stop();
  });

  it('refunds every payment in full, tells each holder once, and a second start changes nothing', async () => {
    // How long each phase took, printed at the end (and with a failure, up to where it got).
    const t0 = Date.now();
    const phase = (name: string) => console.log(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const show = await createShow(host, operator, 48, 20000, ROWS);
    const holders = await payingHolders(
      host,
      show.showId,
      show.seats,
      HOLDERS,
      (n) => ({ userId: `show-cx200-${n}`, email: `holder200-${n}@example.com` }),
      CONCURRENCY,
    );
    phase(`${HOLDERS} bookings confirmed`);

    const { since, cancel } = await cancelShow(host, operator, show.showId, 'The stage collapsed');

    const done = await waitUntil(
      'every booking refunded',
      () => progress(host, operator, show.showId),
      (p) => p.bookings.refunded === HOLDERS && p.fanout?.state === 'Completed',
      150_000,
    );
    expect(done.bookings).toMatchObject({
      total: HOLDERS,
      refunded: HOLDERS,
      refunding: 0,
      failed: 0,
      inFlight: 0,
      notStarted: 0,
    });
    phase('all refunded');
    const charged = holders.reduce((n, h) => n + h.charged, 0);
    expect(done.refundedAmount).toEqual({ minor: charged, currency: 'INR' });

    // The provider's own books: each holder's payment refunded in full, by exactly one refund.
    const books = await ledger(host);
    expectRefundedOnce(books, holders);

    // Exactly one "show cancelled" email per holder (the notifications drain after the refunds).
    const told = await waitUntil(
      'every holder told',
      () => showCancelledMails(host, since),
      (c) => holders.every((h) => c.has(h.email)),
      90_000,
    );
    for (const h of holders) expect(told.get(h.email), h.email).toBe(1);
    phase('all told');
    const first = (await fanout(host, show.showId))!;
    expect(first.runtimeStatus).toBe('Completed');

    // Starting it again: 202 with the first reason, and a new walk of the bookings that does nothing.
    // (A run is told from the next by createdTime, which has whole-second resolution: let a second pass.)
    await sleep(1100);
    const again = await api(host, operator, 'POST', `/api/ops/shows/${show.showId}/cancel`, {
      reason: 'Another reason',
    });
    expect(again.status).toBe(202);
    expect(again.body.cancellation).toEqual(cancel.body.cancellation);
    await waitUntil(
      'the second walk ended',
      () => fanout(host, show.showId),
      (f) => f?.runtimeStatus === 'Completed' && f.createdTime !== first.createdTime,
      150_000,
    );
    // Anything the second walk had sent would have reached the outbox by now (it reached it in
    // seconds above); give it a few more before counting again.
    await sleep(3000);
    const after = await ledger(host);
    expect(after.refunds.length).toBe(books.refunds.length);
    expect(after.payments.filter((p) => p.refunded > p.amount.minor)).toEqual([]);
    const toldAfter = await showCancelledMails(host, since);
    for (const h of holders) expect(toldAfter.get(h.email), h.email).toBe(1);
    expect((await progress(host, operator, show.showId)).bookings).toMatchObject({
      total: HOLDERS,
      refunded: HOLDERS,
      failed: 0,
    });
    phase('second start checked');
  }, 600_000);

  it('a host killed while the batches run finishes after a restart: each payment refunded once, each holder told once', async () => {
    const count = 40; // one batch (SHOW_CANCEL_CHUNK), eight rounds of its 5 workers
    const t0 = Date.now();
    const phase = (name: string) => console.log(`crash: ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const show = await createShow(host, operator, 48, 20000, ['A', 'B', 'C', 'D']);
    const paid = await payingHolders(host, show.showId, show.seats, count, (n) => ({
      userId: `show-cx-crash-${n}`,
      email: `crash-${n}@example.com`,
    }));
    const { since } = await cancelShow(host, operator, show.showId, 'The power failed');
    // SIGKILL as soon as a booking is refunded and finished: the batch is running (dozens of
    // bookings to go), so no booking event has been published yet (a batch publishes its events
    // when it ends) and every "show cancelled" email is the restarted host's,
    // in the outbox it keeps — those of bookings finished before the kill included, which the re-run
    // batch publishes again (shared/booking/show-cancel.ts, walkStartedAt).
    const started = await waitUntil(
      'a booking finished by a batch',
      () => progress(host, operator, show.showId),
      (p) => p.bookings.refunded > 0,
      60_000,
      0,
    );
    await host.kill();
    phase(`${count} bookings confirmed, killed at ${JSON.stringify(started.bookings)}`);
    expect(started.bookings.refunded).toBeLessThan(count);
    await sleep(500);
    await host.restart();
    phase('restarted');

    const done = await waitUntil(
      'every booking refunded after the restart',
      () => progress(host, operator, show.showId),
      (p) => p.bookings.refunded === count && p.fanout?.state === 'Completed',
    );
    expect(done.bookings).toMatchObject({ total: count, refunded: count, refunding: 0, failed: 0, inFlight: 0 });
    expect(done.refundedAmount).toEqual({ minor: paid.reduce((n, h) => n + h.charged, 0), currency: 'INR' });
    expectRefundedOnce(await ledger(host), paid);
    phase('all refunded');
    await waitUntil(
      'every holder told',
      () => showCancelledMails(host, since),
      (c) => paid.every((h) => c.has(h.email)),
    );
    // A second email would follow the first within the same drain: give it a few seconds.
    await sleep(3000);
    const told = await showCancelledMails(host, since);
    for (const h of paid) expect(told.get(h.email), h.email).toBe(1);
    phase('all told once');
  }, 600_000);
});
