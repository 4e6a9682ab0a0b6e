// Notifications end to end through the local host: a booking confirmed is one email (with the
// tickets' QR codes and an .ics), one SMS and one in-app notification per the user's preferences,
// however often the event is delivered; an SMS opt-out sends no SMS; a Hindi preference gets the
// Hindi template; a cancellation tells the customer the refund; a registered browser gets a web
// push; and bad input is a 4xx problem. Real ACS SDKs against the host's emulator, real web-push
// against its push service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import {
  api,
  bookAndPay,
  createShow,
  eventsOf,
  signIn,
  startBookingHost,
  waitForBooking,
  waitForEvents,
  type Caller,
  type TestShow,
} from '../booking/helpers.js';
import { inbox, masterKey, outbox, sleep, waitForOutbox } from './helpers.js';

const prefs = (over: Record<string, unknown> = {}) => ({
  email: true,
  sms: true,
  push: true,
  whatsapp: false,
  reminderHours: [24],
  ...over,
});

describe('notifications', () => {
  let host: TestHost;
  let show: TestShow;
  let operator: Caller;

  beforeAll(async () => {
    host = await startBookingHost({
      // web-push needs VAPID keys; these are a throwaway pair for the test host only.
      WEB_PUSH_VAPID_PUBLIC_KEY:
        'BDd3_hVL9fZi9Ybo2UUzA284WG5FZR30_95YeZJsiApwXKpNcF1rRPF3foIiBHXRdJI2Qhumhf6_LFTeZaNndIo',
      WEB_PUSH_VAPID_PRIVATE_KEY: 'xKZKYRNdFFn8iQIF2MH54KTfUHwH105zBdzMR7SI3xI',
      // Reminders 30 minutes before a show, at any hour; a booking may be cancelled until 6 minutes before.
      REMINDER_LEAD_MINUTES: '30',
      NOTIFY_QUIET_HOURS: '00-00',
      REFUND_FULL_BEFORE_HOURS: '0.1',
      REFUND_PARTIAL_BEFORE_HOURS: '0',
    });
    operator = await signIn(host, 'op-notify', ['operator']);
    show = await createShow(host, operator, 48);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('sends one confirmation email with QR codes and .ics, one SMS and one in-app notification, even when the event is delivered twice', async () => {
    const u = await signIn(host, 'notify-en');
    const email = 'asha@example.com';
    const phone = '+919812345678';
    const saved = await api(host, u, 'PUT', '/api/me/profile', { name: 'Asha', email, phone, notifications: prefs() });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const booking = await bookAndPay(host, u, show.showId, show.seats.slice(0, 2));
    const [mail] = await waitForOutbox(host, email, (items) => items.length >= 1);
    await waitForOutbox(host, phone, (items) => items.length >= 1);
    expect(mail!.subject).toBe(`Booking confirmed: ${booking.show.title}`);
    const names = mail!.attachments.map((a) => a.name).sort();
    expect(names).toEqual([...show.seats.slice(0, 2).map((s) => `ticket-${s}.svg`), 'show.ics'].sort());

    // The email renders with its QR codes inline, and the .ics names the show.
    const page = await fetch(host.url(`/.local/outbox/messages/${mail!.id}`), { headers: masterKey(host) });
    const html = await page.text();
    expect(html).toContain('data:image/svg+xml;base64,');
    expect(html).not.toContain('cid:');
    const ics = await fetch(host.url(`/.local/outbox/messages/${mail!.id}/attachments/show.ics`), {
      headers: masterKey(host),
    });
    const calendar = await ics.text();
    expect(calendar).toContain('BEGIN:VEVENT');
    expect(calendar).toContain(`UID:${booking.bookingId}@marquee`);

    // The same booking.confirmed delivered again (as a broker redelivery would) sends nothing more.
    const [event] = (await eventsOf(host, booking.bookingId)).filter((e) => e.body.type === 'booking.confirmed');
    const republished = await fetch(host.url('/.local/servicebus/topics/booking-events/messages'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...masterKey(host) },
      body: JSON.stringify({ body: event!.body, messageId: `${event!.messageId}-again` }),
    });
    expect(republished.status).toBeLessThan(300);
    const deadline = Date.now() + 10_000;
    while ((await eventsOf(host, booking.bookingId)).length < 2 && Date.now() < deadline) await sleep(100);
    await sleep(1500);

    expect((await outbox(host, { to: email })).length).toBe(1);
    expect((await outbox(host, { to: phone })).map((m) => m.channel)).toEqual(['sms']);
    const mine = await inbox(host, u);
    expect(mine.items.map((i) => i.event)).toEqual(['booking.confirmed']);
    expect(mine.unread).toBe(1);

    // Read: the unread count drops, and reading again is harmless.
    const read = await api(host, u, 'POST', `/api/me/notifications/${mine.items[0]!.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.read).toBe(true);
    expect((await api(host, u, 'POST', `/api/me/notifications/${mine.items[0]!.id}/read`)).status).toBe(200);
    expect((await inbox(host, u)).unread).toBe(0);
  });

  it('sends no SMS to a user who opted out, and writes to a Hindi speaker in Hindi', async () => {
    const u = await signIn(host, 'notify-hi');
    const email = 'ravi@example.com';
    const phone = '+919800000001';
    await api(host, u, 'PUT', '/api/me/profile', {
      name: 'Ravi',
      email,
      phone,
      locale: 'hi',
      notifications: prefs({ sms: false }),
    });
    const booking = await bookAndPay(host, u, show.showId, show.seats.slice(10, 11));
    const [mail] = await waitForOutbox(host, email, (items) => items.length >= 1);
    expect(mail!.subject).toBe(`बुकिंग पक्की: ${booking.show.title}`);
    expect(mail!.text).toContain('सीटें');
    expect((await inbox(host, u)).items[0]!.title).toContain('बुकिंग पक्की');
    await sleep(500);
    expect(await outbox(host, { to: phone })).toEqual([]);
  });

  it('tells the customer about the cancellation and the refund', async () => {
    const u = await signIn(host, 'notify-cancel');
    const email = 'meera@example.com';
    await api(host, u, 'PUT', '/api/me/profile', { name: 'Meera', email, notifications: prefs({ sms: false }) });
    const booking = await bookAndPay(host, u, show.showId, show.seats.slice(20, 22));
    await waitForOutbox(host, email, (items) => items.length >= 1);
    const cancel = await api(host, u, 'POST', `/api/bookings/${booking.bookingId}/cancel`, {});
    expect(cancel.status, JSON.stringify(cancel.body)).toBeLessThan(300);
    await waitForBooking(host, u, booking.bookingId, (b) => b.status === 'cancelled');
    await waitForEvents(host, booking.bookingId, ['booking.cancelled', 'refund.issued']);
    const mails = await waitForOutbox(host, email, (items) => items.length >= 3);
    const subjects = mails.map((m) => m.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([`Booking cancelled: ${booking.show.title}`, `Refund issued: ${booking.show.title}`]),
    );
    const refund = mails.find((m) => m.subject?.startsWith('Refund issued'))!;
    expect(refund.text).toContain('₹');
    const events = (await inbox(host, u)).items.map((i) => i.event).sort();
    expect(events).toEqual(['booking.cancelled', 'booking.confirmed', 'refund.issued']);
  });

  it('pushes to a registered browser, and forgets a subscription the push service says is gone', async () => {
    const u = await signIn(host, 'notify-push');
    await api(host, u, 'PUT', '/api/me/profile', { name: 'Kabir', notifications: prefs({ sms: false }) });
    const made = await fetch(host.url('/.local/push/subscriptions'), { method: 'POST', headers: masterKey(host) });
    const sub = (await made.json()) as { id: string; endpoint: string; keys: unknown };
    const registered = await api(host, u, 'POST', '/api/me/push-subscriptions', {
      endpoint: sub.endpoint,
      keys: sub.keys,
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);

    const booking = await bookAndPay(host, u, show.showId, show.seats.slice(30, 31));
    const [push] = await waitForOutbox(host, sub.id, (items) => items.length >= 1);
    expect(push!.channel).toBe('push');
    expect(JSON.parse(push!.text!)).toMatchObject({ title: `Booking confirmed: ${booking.show.title}` });

    // The browser unsubscribed: the next push is answered 410 and the subscription is removed.
    await fetch(host.url(`/.local/push/subscriptions/${sub.id}`), { method: 'DELETE', headers: masterKey(host) });
    const cancel = await api(host, u, 'POST', `/api/bookings/${booking.bookingId}/cancel`, {});
    expect(cancel.status).toBeLessThan(300);
    await waitForEvents(host, booking.bookingId, ['booking.cancelled']);
    const deadline = Date.now() + 15_000;
    // The cancellation's push may already have found the subscription gone; wait until it has.
    let left = (await api(host, u, 'GET', '/api/me/push-subscriptions')).body.items as unknown[];
    while (left.length && Date.now() < deadline) {
      await sleep(200);
      left = (await api(host, u, 'GET', '/api/me/push-subscriptions')).body.items;
    }
    expect(left).toEqual([]);
    expect(await api(host, u, 'DELETE', '/api/me/push-subscriptions', { endpoint: sub.endpoint })).toMatchObject({
      status: 404,
    });
  });

  it('answers bad input with problem+json: an invalid push subscription, an unknown or another user’s notification', async () => {
    const u = await signIn(host, 'notify-bad');
    const bad = await api(host, u, 'POST', '/api/me/push-subscriptions', {
      endpoint: 'not a url',
      keys: { p256dh: 'x', auth: 'y' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.endpoint', 'body.keys.p256dh', 'body.keys.auth']));

    const unknown = await api(host, u, 'POST', '/api/me/notifications/ntf_nothing/read');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');

    const owner = await signIn(host, 'notify-owner');
    await bookAndPay(host, owner, show.showId, show.seats.slice(35, 36));
    const deadline = Date.now() + 10_000;
    while (!(await inbox(host, owner)).items.length && Date.now() < deadline) await sleep(100);
    const theirs = (await inbox(host, owner)).items[0]!.id;
    const other = await api(host, u, 'POST', `/api/me/notifications/${theirs}/read`);
    expect(other.status).toBe(404);

    const badPage = await api(host, u, 'GET', '/api/me/notifications?continuation=abc');
    expect(badPage.status).toBe(400);
    expect((await fetch(host.url('/.local/outbox'))).status).toBe(401);
  });

  it('reminds a confirmed booking once before the show, and never a cancelled one', async () => {
    // The show starts 30 minutes and 25 seconds from now: the reminder is due in about 25 seconds.
    const soon = await createShow(host, operator, (30 * 60 + 25) / 3600);
    const kept = await signIn(host, 'notify-remind');
    const dropped = await signIn(host, 'notify-remind-cancel');
    await api(host, kept, 'PUT', '/api/me/profile', {
      name: 'Dev',
      email: 'dev@example.com',
      notifications: prefs({ sms: false }),
    });
    await api(host, dropped, 'PUT', '/api/me/profile', {
      name: 'Ila',
      email: 'ila@example.com',
      notifications: prefs({ sms: false }),
    });
    const b1 = await bookAndPay(host, kept, soon.showId, soon.seats.slice(0, 1));
    const b2 = await bookAndPay(host, dropped, soon.showId, soon.seats.slice(1, 2));
    expect((await api(host, dropped, 'POST', `/api/bookings/${b2.bookingId}/cancel`, {})).status).toBeLessThan(300);
    await waitForBooking(host, dropped, b2.bookingId, (b) => b.status === 'cancelled');

    const reminders = (items: { subject?: string }[]) => items.filter((m) => m.subject?.startsWith('Reminder:'));
    const mails = await waitForOutbox(host, 'dev@example.com', (items) => reminders(items).length >= 1, 60_000);
    expect(reminders(mails)[0]!.subject).toBe(`Reminder: ${b1.show.title}`);
    expect((await inbox(host, kept)).items.map((i) => i.event)).toContain('booking.reminder');

    // The cancelled booking's reminder was terminated — or never scheduled, when the consumer read
    // the booking.confirmed only after the cancellation was committed (a loaded machine) — and
    // nothing was sent for it.
    const status = await fetch(host.url(`/runtime/webhooks/durabletask/instances/reminder_${b2.bookingId}`), {
      headers: host.admin,
    });
    if (status.status !== 404)
      expect(((await status.json()) as { runtimeStatus?: string }).runtimeStatus).toBe('Terminated');
    await sleep(2000);
    expect(reminders(await outbox(host, { to: 'dev@example.com' }))).toHaveLength(1);
    expect(reminders(await outbox(host, { to: 'ila@example.com' }))).toEqual([]);
  });
});
