// Notifications and the stadium cancellation on the running stack (its own local host, Azurite and
// Cosmos server; docs/architecture.md, Notifications and Show cancellation).
//
// 1. Drain: EVENTS confirmed bookings (written straight into Cosmos, so the bench measures the
//    notifications, not the booking saga) of USERS users who want email and SMS are published as
//    booking.confirmed to the booking-events topic in one go; the `notifications` subscription turns
//    each into an in-app notification, an email (with its .ics) and an SMS through the ACS SDKs to
//    the host's emulator. Reports outbox messages/s, p50/p99 from the publish to the email in the
//    outbox, and host CPU per outbox message (every booking-events consumer runs, as deployed).
// 2. Stadium: STADIUM confirmed bookings of the demo stadium's show, each paid at the payment
//    simulator (a session and its payment, no webhook), then POST /api/ops/shows/{id}/cancel. Reports
//    the time until every booking is refunded (the fan-out's progress) and every holder notified
//    (their "show cancelled" email in the outbox), and the provider's books balanced.
//
// BENCH_NOTIFY_EVENTS (default 1000; 200 when CI=true; 0 skips the drain), BENCH_NOTIFY_STADIUM
// (default 1000; the figure is 5000: setting up 5,000 paid bookings takes a few minutes on a
// loaded laptop). While the stadium cancellation runs, a line every 30 s says how far it got, so a
// run cut short still tells the rate.
import { randomBytes } from 'node:crypto';
import type { SpawnedHost } from '../test/support/spawn-host.js';
import { createCosmos, type Cosmos } from '../shared/adapters/cosmos/client.js';
import { CosmosBookingStore } from '../shared/adapters/cosmos/booking-store.js';
import { cosmosCatalogStore } from '../shared/adapters/cosmos/catalog-store.js';
import { cosmosProfileStore } from '../shared/adapters/cosmos/profile-store.js';
import { CatalogService } from '../shared/catalog/service.js';
import { ProfileBodySchema } from '../shared/profile/service.js';
import { buildEvent } from '../shared/booking/events.js';
import { showSnapshot, type BookingDoc } from '../shared/booking/model.js';
import { breakdownOf, type PriceLine } from '../shared/domain/booking/index.js';
import type { Show } from '../shared/domain/catalog.js';
import { childrenOf, cpuMs } from './support/proc.js';
import { spawnDemoHost } from './support/standalone.js';
import { hostCall, type Json } from './support/host-call.js';

const CI = process.env.CI === 'true';
const EVENTS = Number(process.env.BENCH_NOTIFY_EVENTS ?? (CI ? 200 : 1000));
const STADIUM = Number(process.env.BENCH_NOTIFY_STADIUM ?? (CI ? 200 : 1000));
const USERS = 100;
const PUBLISH_BATCH = 50;
const API_KEY = `sk_bench_${randomBytes(8).toString('hex')}`;

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
};

function cpuSnapshot(host: SpawnedHost): Record<string, number> {
  const out: Record<string, number> = { host: cpuMs(host.child.pid!) ?? 0 };
  for (const c of childrenOf(host.child.pid!)) {
    const name = /azurite/.test(c.cmd) ? 'azurite' : /cosmos/.test(c.cmd) ? 'cosmos' : 'other';
    out[name] = (out[name] ?? 0) + (cpuMs(c.pid) ?? 0);
  }
  return out;
}

const email = (u: number) => `bench${u}@example.com`;

/** USERS profiles that want email and SMS (no push: nothing is subscribed), in English. */
async function profiles(cosmos: Cosmos): Promise<void> {
  const store = cosmosProfileStore(cosmos);
  const at = new Date().toISOString();
  for (let u = 0; u < USERS; u += 25)
    await Promise.all(
      Array.from({ length: Math.min(25, USERS - u) }, (_, k) =>
        store.put({
          id: `bench-notify-${u + k}`,
          userId: `bench-notify-${u + k}`,
          ...ProfileBodySchema.parse({
            name: `Bench ${u + k}`,
            email: email(u + k),
            phone: `+9198${String(10_000_000 + u + k).slice(-8)}`,
            notifications: { email: true, sms: true, push: false, whatsapp: false, reminderHours: [] },
          }),
          createdAt: at,
          updatedAt: at,
        }),
      ),
    );
}

/** A confirmed booking of one seat, as the saga would have committed it. */
function confirmedBooking(show: Show, id: string, n: number, payment?: { sessionId: string; paymentId: string }) {
  const at = new Date().toISOString();
  const money = (minor: number) => ({ minor, currency: 'INR' });
  const lines: PriceLine[] = [
    {
      seatId: `S${n}`,
      category: 'classic',
      ticket: money(20000),
      ticketTax: money(0),
      fee: money(2000),
      feeTax: money(360),
      total: money(22360),
    },
  ];
  const doc: BookingDoc = {
    id,
    userId: `bench-notify-${n % USERS}`,
    showId: show.id,
    city: show.city,
    show: showSnapshot(show),
    seatIds: [`S${n}`],
    lines,
    price: breakdownOf('INR', lines),
    charged: money(22360),
    status: 'confirmed',
    attempt: 1,
    request: { fingerprint: `bench-${n}`, kind: 'seats' },
    deadline: show.startsAt,
    ...(payment
      ? {
          payment: {
            attemptId: `${id}.1`,
            sessionId: payment.sessionId,
            paymentUrl: 'https://payments.invalid/',
            expiresAt: at,
            paymentId: payment.paymentId,
            amount: money(22360),
            paidAt: at,
          },
        }
      : {}),
    cancelledSeatIds: [],
    cancellations: [],
    latePayments: [],
    history: [{ at, status: 'confirmed', event: 'paymentSucceeded' }],
    sortKey: `${show.startsAt}|${id}`,
    createdAt: at,
    updatedAt: at,
  };
  return doc;
}

/** The booking id an email is about: its text links to /bookings/<id>. */
const bookingOfEmail = (text: string | undefined) => /\/bookings\/([A-Za-z0-9_.:~-]+)/.exec(text ?? '')?.[1];

async function outboxSince(host: SpawnedHost, since: string, channel?: string): Promise<Json[]> {
  const q = new URLSearchParams({ since, ...(channel ? { channel } : {}) });
  return (await hostCall(host, undefined, 'GET', `/.local/outbox/api/messages?${q}`)).items as Json[];
}

async function drain(host: SpawnedHost, bookings: CosmosBookingStore, show: Show) {
  const tag = randomBytes(3).toString('hex');
  const docs = Array.from({ length: EVENTS }, (_, n) => confirmedBooking(show, `bk_bench_ntf_${tag}_${n}`, n));
  for (let i = 0; i < docs.length; i += 100) await Promise.all(docs.slice(i, i + 100).map((d) => bookings.create(d)));
  const since = new Date().toISOString();
  const published = new Map<string, number>();
  const cpu0 = cpuSnapshot(host);
  const started = Date.now();
  for (let i = 0; i < docs.length; i += PUBLISH_BATCH) {
    const slice = docs.slice(i, i + PUBLISH_BATCH);
    const batch = slice.map((d) => {
      const event = buildEvent(d, { type: 'booking.confirmed', bookingId: d.id, userId: d.userId })!;
      return { body: event, messageId: event.id };
    });
    const at = Date.now();
    await hostCall(host, undefined, 'POST', '/.local/servicebus/topics/booking-events/messages', batch);
    for (const d of slice) published.set(d.id, at);
  }
  const expected = EVENTS * 2; // an email and an SMS each (the in-app one is in Cosmos, not the outbox)
  const deadline = Date.now() + 15 * 60_000;
  let items: Json[] = [];
  while (Date.now() < deadline) {
    items = await outboxSince(host, since);
    if (items.length >= expected) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const cpu1 = cpuSnapshot(host);
  if (items.length < expected) throw new Error(`only ${items.length} of ${expected} messages reached the outbox`);
  const last = Math.max(...items.map((m) => Date.parse(m.at as string)));
  const latencies = items
    .filter((m) => m.channel === 'email')
    .map((m) => Date.parse(m.at as string) - (published.get(bookingOfEmail(m.text as string) ?? '') ?? NaN))
    .filter((x) => Number.isFinite(x));
  const seconds = (last - started) / 1000;
  const emulators = Object.entries(cpu1)
    .filter(([k]) => k !== 'host')
    .reduce((n, [k, v]) => n + v - (cpu0[k] ?? 0), 0);
  // Exactly one email per event: anything more is a duplicate send (SMS texts do not name the booking).
  const emails = items.filter((m) => m.channel === 'email');
  const emailDuplicates = emails.length - new Set(emails.map((m) => bookingOfEmail(m.text as string))).size;
  return {
    events: EVENTS,
    outboxMessages: items.length,
    emailDuplicates,
    seconds: Math.round(seconds * 10) / 10,
    messagesPerSecond: Math.round((items.length / seconds) * 10) / 10,
    eventsPerSecond: Math.round((EVENTS / seconds) * 10) / 10,
    emailP50Ms: pct(latencies, 50),
    emailP99Ms: pct(latencies, 99),
    hostCpuMsPerMessage: Math.round(((cpu1.host! - cpu0.host!) / items.length) * 100) / 100,
    emulatorCpuMsPerMessage: Math.round((emulators / items.length) * 100) / 100,
  };
}

/** A paid session at the simulator for `bookingId` (no webhook: the booking is written as confirmed). */
async function paid(host: SpawnedHost, bookingId: string): Promise<{ sessionId: string; paymentId: string }> {
  const session = await fetch(`${host.origin}/.payments/v1/sessions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-session-${bookingId}`,
    },
    body: JSON.stringify({
      bookingId,
      attemptId: `${bookingId}.1`,
      amount: { minor: 22360, currency: 'INR' },
      description: 'bench',
      items: [],
      returnUrl: `${host.origin}/`,
    }),
  });
  if (session.status !== 201 && session.status !== 200)
    throw new Error(`session: ${session.status} ${await session.text()}`);
  const s = (await session.json()) as { id: string };
  const pay = await fetch(`${host.origin}/.payments/checkout/${s.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ action: 'pay', webhook: 'never' }).toString(),
  });
  const body = (await pay.json()) as { paymentId?: string };
  if (!body.paymentId) throw new Error(`checkout: ${pay.status} ${JSON.stringify(body)}`);
  return { sessionId: s.id, paymentId: body.paymentId };
}

async function stadium(host: SpawnedHost, op: string, bookings: CosmosBookingStore, show: Show) {
  const tag = randomBytes(3).toString('hex');
  const setupStarted = Date.now();
  const ids = Array.from({ length: STADIUM }, (_, n) => `bk_bench_std_${tag}_${n}`);
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids
        .slice(i, i + 20)
        .map(async (id, k) => bookings.create(confirmedBooking(show, id, i + k, await paid(host, id)))),
    );
    if ((i + 20) % 500 === 0)
      process.stdout.write(`stadium: ${i + 20} set up in ${((Date.now() - setupStarted) / 1000).toFixed(0)} s\n`);
  }
  const setupSeconds = (Date.now() - setupStarted) / 1000;
  process.stdout.write(`stadium: ${STADIUM} paid bookings set up in ${setupSeconds.toFixed(1)} s\n`);

  const since = new Date().toISOString();
  const cpu0 = cpuSnapshot(host);
  const started = Date.now();
  await hostCall(host, op, 'POST', `/api/ops/shows/${show.id}/cancel`, { reason: 'Bench: the stadium is closed' });
  let refundedAt = 0;
  let notifiedAt = 0;
  let progress: Json = {};
  // "Show cancelled" emails by outbox id → booking, gathered on every poll (the outbox keeps only its
  // last 10,000 messages, so one read at the end could miss some): each holder must be told once.
  const cancelledEmails = new Map<string, string>();
  const notified = new Map<string, number>();
  const deadline = Date.now() + 30 * 60_000;
  let cursor = since;
  let reportedAt = started;
  let progressAt = 0;
  while ((!refundedAt || !notifiedAt) && Date.now() < deadline) {
    // The progress counts every booking of the show (one query over 5,000): read it every 5 s, and
    // a read the database could not answer in time (503 after hostCall's retries) is read again.
    if (!refundedAt && Date.now() - progressAt >= 5000) {
      progressAt = Date.now();
      try {
        progress = await hostCall(host, op, 'GET', `/api/ops/shows/${show.id}/cancellation`);
        if (progress.bookings.refunded >= STADIUM) refundedAt = Date.now();
      } catch (err) {
        process.stdout.write(`stadium: progress not read: ${String(err).slice(0, 200)}\n`);
      }
    }
    // From the newest message seen on (inclusive: one of the same millisecond may have come after
    // the read; ids de-duplicate), so a poll reads what is new rather than every email again.
    const fresh = await outboxSince(host, cursor, 'email');
    for (const m of fresh) if ((m.at as string) > cursor) cursor = m.at as string;
    for (const m of fresh)
      if ((m.subject as string | undefined)?.startsWith('Show cancelled') && !cancelledEmails.has(m.id as string)) {
        const booking = bookingOfEmail(m.text) ?? '';
        cancelledEmails.set(m.id as string, booking);
        notified.set(booking, (notified.get(booking) ?? 0) + 1);
      }
    if (!notifiedAt && ids.every((id) => notified.has(id))) notifiedAt = Date.now();
    if (Date.now() - reportedAt >= 30_000) {
      reportedAt = Date.now();
      const b = progress.bookings ?? {};
      process.stdout.write(
        `stadium: ${((reportedAt - started) / 1000).toFixed(0)} s: ${refundedAt ? STADIUM : b.refunded} refunded, ${b.refunding ?? 0} refunding, ${notified.size} notified\n`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const cpu1 = cpuSnapshot(host);
  if (!refundedAt || !notifiedAt)
    throw new Error(`after 30 min: ${JSON.stringify(progress.bookings)}, ${notified.size} notified`);
  // The provider's own books: every stadium payment refunded in full, exactly.
  const books = await hostCall(host, undefined, 'GET', '/.payments/v1/_simulator/ledger');
  const sessions = new Set(
    (books.sessions as Json[]).filter((x) => ids.includes(x.bookingId as string)).map((x) => x.id as string),
  );
  const payments = (books.payments as Json[]).filter((p) => sessions.has(p.sessionId as string));
  const refundedInFull = payments.filter((p) => p.refunded === p.amount.minor).length;
  if (refundedInFull !== STADIUM) throw new Error(`${refundedInFull} of ${STADIUM} payments refunded in full`);
  const toldTwice = ids.filter((id) => (notified.get(id) ?? 0) > 1).length;
  if (toldTwice) throw new Error(`${toldTwice} holders got more than one "show cancelled" email`);
  return {
    bookings: STADIUM,
    setupSeconds: Math.round(setupSeconds),
    secondsToAllRefunded: Math.round((refundedAt - started) / 100) / 10,
    secondsToAllNotified: Math.round((notifiedAt - started) / 100) / 10,
    bookingsPerSecond: Math.round((STADIUM / ((Math.max(refundedAt, notifiedAt) - started) / 1000)) * 100) / 100,
    hostCpuMsPerBooking: Math.round(((cpu1.host! - cpu0.host!) / STADIUM) * 100) / 100,
    refundedAmount: progress.refundedAmount,
    paymentsRefundedInFull: refundedInFull,
    holdersNotifiedOnce: ids.filter((id) => notified.get(id) === 1).length,
  };
}

export async function run() {
  const { host, database } = await spawnDemoHost(
    {
      PAYMENTS_API_KEY: API_KEY,
      PAYMENTS_WEBHOOK_SECRET: `whsec_bench_${randomBytes(8).toString('hex')}`,
      NOTIFY_QUIET_HOURS: '00-00',
    },
    180_000,
  );
  try {
    const op = (await hostCall(host, undefined, 'POST', '/.identity/token', { sub: 'bench-op', roles: ['operator'] }))
      .access_token as string;
    const cosmos = createCosmos({ endpoint: host.env.COSMOS_ENDPOINT!, key: 'bench', database, timeoutMs: 10_000 });
    const catalog = new CatalogService(cosmosCatalogStore(cosmos), Date.now);
    const bookings = new CosmosBookingStore(cosmos);
    await profiles(cosmos);
    const tomorrow = (city: string) =>
      catalog.dayOfShows(city, new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10));
    const cinema = (await tomorrow('blr'))[0]!;
    const drained = EVENTS > 0 ? await drain(host, bookings, cinema) : 'skipped (BENCH_NOTIFY_EVENTS=0)';
    process.stdout.write(`drain: ${JSON.stringify(drained)}\n`);
    let arena: Show | undefined;
    for (let d = 1; d <= 7 && !arena; d++) {
      const date = new Date(Date.now() + d * 24 * 3600_000).toISOString().slice(0, 10);
      arena = (await catalog.dayOfShows('mum', date)).find((s) => s.venueId === 'ven-mum-arena');
    }
    if (!arena) throw new Error('the demo data has no stadium show this week');
    const cancelled = await stadium(host, op, bookings, arena);
    process.stdout.write(`stadium: ${JSON.stringify(cancelled)}\n`);
    return { drain: drained, stadium: cancelled };
  } catch (err) {
    // The host's own lines say why an answer failed; the bench's error alone names only the route.
    process.stderr.write(`host log (last 8 KB):\n${host.output().slice(-8192)}\n`);
    throw err;
  } finally {
    await host.stop();
  }
}
