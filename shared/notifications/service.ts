// Turns each booking event into the messages its owner asked for (docs/architecture.md,
// Notifications). The event is never trusted: it is rebuilt from the committed booking
// (shared/booking/events.ts) and only a match is notified, with the booking's own facts.
//
// Exactly one message per (event, channel, recipient): the delivery's id is derived from the three
// and claimed with a create, so a redelivered event finds its deliveries and sends only what is
// not sent yet. A transient channel failure is retried here with backoff, then the handler throws
// and the broker redelivers; a permanent one is recorded on the delivery and never retried. The
// booking saga only publishes the event, so nothing here can hold it up.
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { renderSVG } from 'uqr';
import { z } from 'zod';
import { BOOKING_EVENT_TYPES, buildEvent, type CloudEvent } from '../booking/events.js';
import { derivedId, type BookingDoc } from '../booking/model.js';
import type { TicketDoc } from '../booking/store.js';
import type { Profile } from '../profile/service.js';
import type { RealtimeUserMessage } from '../ports/realtime.js';
import { showCalendar } from './calendar.js';
import { inQuietHours } from './quiet-hours.js';
import { maskEmail, maskPhone } from './masking.js';
import {
  ChannelError,
  type Channel,
  type DeliveryDoc,
  type EmailSender,
  type NotificationStore,
  type PushSender,
  type SmsSender,
} from './ports.js';
import {
  LOCALES,
  renderNotice,
  type Locale,
  type NoticeFacts,
  type NoticeKind,
  type RenderedNotice,
} from './templates.js';
import type { Money } from '../domain/money.js';
import { notificationSent } from '../telemetry/booking-signals.js';

const EventSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(BOOKING_EVENT_TYPES),
  data: z.object({
    bookingId: z.string().min(1).max(200),
    userId: z.string().min(1).max(200),
    cancellationId: z.string().max(200).optional(),
    paymentId: z.string().max(200).optional(),
  }),
});

export interface NotificationDeps {
  store: NotificationStore;
  profiles: { get(userId: string): Promise<Profile> };
  bookings: { get(userId: string, id: string): Promise<BookingDoc | undefined> };
  tickets: { list(doc: BookingDoc): Promise<TicketDoc[]> };
  /** Absent when no Communication Services resource is configured: the channel is off. */
  email?: EmailSender;
  sms?: SmsSender;
  push?: PushSender;
  /** The live nudge on the user's Web PubSub channel when an in-app notification arrives. */
  live: { sendToUser(userId: string, message: RealtimeUserMessage): Promise<void> };
  clock: () => number;
  /** The web client's origin, for links back to the booking. */
  webAppUrl: string;
  timeZone: string;
  /** Tries per channel within one delivery of the event, and the first backoff. */
  attempts: number;
  backoffMs: number;
  /** "HH-HH" in `timeZone`: no SMS or push reminder then (quiet-hours.ts). */
  quietHours: string;
  /** A delivery left `sending` this long ago by a handler that died is taken over. */
  staleSendingMs: number;
  log: (message: string) => void;
}

/** `covered`: another notice of the same outcome tells the customer (a show cancellation's refund). */
export type Outcome = 'ignored' | 'stale' | 'notified' | 'covered';

/** Thrown when some channel failed transiently: the broker redelivers, sent channels are skipped. */
export class DeliveryIncompleteError extends Error {
  override name = 'DeliveryIncompleteError';
}

interface Plan {
  /** The event (or reminder) the messages are about: part of each delivery's id. */
  eventId: string;
  kind: NoticeKind;
  at: string;
  doc: BookingDoc;
  profile: Profile;
  locale: Locale;
  notice: RenderedNotice;
  facts: NoticeFacts;
}

export class NotificationService {
  constructor(private readonly deps: NotificationDeps) {}

  async handle(message: unknown): Promise<Outcome> {
    const parsed = EventSchema.safeParse(typeof message === 'string' ? safeJson(message) : message);
    if (!parsed.success) return 'ignored';
    const { id, type, data } = parsed.data;
    // A refused payment is for operators (the booking's record); the customer hears of the refund it leads to.
    if (type === 'payment.rejected') return 'ignored';
    const doc = await this.deps.bookings.get(data.userId, data.bookingId);
    if (!doc) return 'ignored';
    const event = buildEvent(doc, { type, bookingId: doc.id, userId: doc.userId, ...pick(data) });
    // Not committed yet (a read that lags the write): try again later rather than guess.
    if (!event) throw new DeliveryIncompleteError(`booking ${doc.id} does not show ${type} yet`);
    // Another id: the message is not the committed event (forged, or superseded by a later run).
    if (event.id !== id) return 'stale';
    // A show cancelled by the operator is one notice per holder ("show cancelled", with the refund),
    // sent for its booking.cancelled; its refund.issued adds nothing (docs/architecture.md, Show cancellation).
    const cancellation = doc.cancellations.find((c) => c.id === data.cancellationId);
    if (cancellation?.cause === 'show' && type === 'refund.issued') return 'covered';
    // The first failure told the customer the refund is being retried; a retry that fails again adds nothing.
    if (type === 'refund.failed' && cancellation && cancellation.runs > 1) return 'covered';
    const plan = await this.plan(event, doc);
    const results = await Promise.allSettled(this.channelsFor(plan).map((channel) => this.deliver(plan, channel)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length)
      throw new DeliveryIncompleteError(
        `event ${id}: ${failed.map((f) => (f.reason as Error)?.message ?? String(f.reason)).join('; ')}`,
      );
    return 'notified';
  }

  /**
   * The reminder a `bookingReminder` timer fired for: only for a booking still confirmed before its
   * show, one per (booking, fire time) like any event, without SMS or push in quiet hours.
   */
  async remind(ref: { userId: string; bookingId: string; fireAt: string }): Promise<'sent' | 'skipped'> {
    const doc = await this.deps.bookings.get(ref.userId, ref.bookingId);
    const now = this.deps.clock();
    if (!doc || doc.status !== 'confirmed' || Date.parse(doc.show.startsAt) <= now) return 'skipped';
    const plan = await this.planFor(doc, {
      eventId: derivedId('rem', doc.id, ref.fireAt),
      kind: 'booking.reminder',
      at: new Date(now).toISOString(),
      seatIds: doc.seatIds,
    });
    const quiet = inQuietHours(now, this.deps.timeZone, this.deps.quietHours);
    const channels = this.channelsFor(plan).filter((c) => !(quiet && (c === 'sms' || c === 'push')));
    const results = await Promise.allSettled(channels.map((channel) => this.deliver(plan, channel)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length)
      throw new DeliveryIncompleteError(`reminder ${doc.id}: ${failed.map((f) => String(f.reason)).join('; ')}`);
    return 'sent';
  }

  private async plan(event: CloudEvent, doc: BookingDoc): Promise<Plan> {
    const data = event.data as { seatIds?: string[]; cancellationId?: string; amount?: Money };
    const cancellation = doc.cancellations.find((c) => c.id === data.cancellationId);
    const showCancelled = event.type === 'booking.cancelled' && cancellation?.cause === 'show';
    return this.planFor(doc, {
      eventId: event.id,
      kind: showCancelled ? 'show.cancelled' : (event.type as Exclude<typeof event.type, 'payment.rejected'>),
      reason: showCancelled ? cancellation.reason : undefined,
      at: event.time,
      seatIds: data.seatIds ?? doc.seatIds,
      amount:
        event.type === 'booking.confirmed' ? (doc.charged ?? doc.price.total) : (cancellation?.refund ?? data.amount),
      partial: event.type === 'booking.cancelled' && doc.status === 'confirmed',
    });
  }

  private async planFor(
    doc: BookingDoc,
    what: {
      eventId: string;
      kind: NoticeKind;
      at: string;
      seatIds: string[];
      amount?: Money;
      partial?: boolean;
      reason?: string;
    },
  ): Promise<Plan> {
    const profile = await this.deps.profiles.get(doc.userId);
    const locale: Locale = (LOCALES as readonly string[]).includes(profile.locale ?? '')
      ? (profile.locale as Locale)
      : 'en';
    const facts: NoticeFacts = {
      kind: what.kind,
      bookingId: doc.id,
      title: doc.show.title,
      venueName: doc.show.venueName,
      startsAt: doc.show.startsAt,
      seatIds: what.seatIds,
      amount: what.amount,
      partial: what.partial,
      ...(what.reason ? { reason: what.reason } : {}),
      link: `${this.deps.webAppUrl.replace(/\/$/, '')}/bookings/${encodeURIComponent(doc.id)}`,
      timeZone: this.deps.timeZone,
    };
    return {
      eventId: what.eventId,
      kind: what.kind,
      at: what.at,
      doc,
      profile,
      locale,
      facts,
      notice: renderNotice(facts, locale),
    };
  }

  private channelsFor(plan: Plan): Channel[] {
    const prefs = plan.profile.notifications;
    const channels: Channel[] = ['inapp'];
    if (this.deps.email && prefs.email && plan.profile.email) channels.push('email');
    if (this.deps.sms && prefs.sms && plan.profile.phone && plan.notice.sms) channels.push('sms');
    if (this.deps.push && prefs.push) channels.push('push');
    return channels;
  }

  private async deliver(plan: Plan, channel: Channel): Promise<void> {
    const { store, clock } = this.deps;
    const now = new Date(clock()).toISOString();
    const userId = plan.doc.userId;
    const draft: DeliveryDoc = {
      id: derivedId('ntf', plan.eventId, channel, userId),
      userId,
      kind: 'delivery',
      eventId: plan.eventId,
      eventType: plan.kind,
      channel,
      status: channel === 'inapp' ? 'sent' : 'sending',
      attempts: channel === 'inapp' ? 0 : 1,
      createdAt: now,
      updatedAt: now,
      ...(channel === 'inapp'
        ? { title: plan.notice.title, body: plan.notice.body, link: plan.facts.link, read: false }
        : {}),
    };
    const claim = await store.claim(draft);
    if (channel === 'inapp') {
      if (claim.created) await this.nudge(claim.stored.doc);
      return;
    }
    let { doc, etag } = claim.stored;
    if (!claim.created) {
      if (doc.status !== 'sending' && doc.status !== 'pending') return; // sent, failed for good or skipped: done
      if (doc.status === 'sending' && clock() - Date.parse(doc.updatedAt) < this.deps.staleSendingMs)
        throw new Error(`${channel}: another delivery of this event is sending it`);
      // Left pending by a failed try, or by a handler that died mid-send: this handler takes it.
      const takeover: DeliveryDoc = { ...doc, status: 'sending', attempts: doc.attempts + 1, updatedAt: now };
      if (!(await store.update(takeover, etag))) throw new Error(`${channel}: another delivery took it over`);
      const fresh = await store.get(userId, doc.id);
      if (!fresh) throw new Error(`${channel}: the delivery vanished`);
      ({ doc, etag } = fresh);
    }
    const finish = async (change: Partial<DeliveryDoc>) => {
      const done = { ...doc, ...change, updatedAt: new Date(clock()).toISOString() };
      if (!(await store.update(done, etag))) throw new Error(`${channel}: the delivery changed while sending`);
    };
    try {
      const outcome = await this.withRetry(() => this.send(plan, channel, doc.id));
      notificationSent(channel, outcome.skipped ? 'skipped' : 'sent', plan.kind, plan.doc.id);
      await finish({ status: outcome.skipped ? 'skipped' : 'sent', to: outcome.to, providerId: outcome.providerId });
    } catch (err) {
      const message = ((err as Error)?.message ?? String(err)).slice(0, 500);
      if (err instanceof ChannelError && err.permanent) {
        notificationSent(channel, 'failed', plan.kind, plan.doc.id);
        this.deps.log(`notification ${doc.id} (${channel}) failed for good: ${message}`);
        return finish({ status: 'failed', error: message });
      }
      notificationSent(channel, 'retry', plan.kind, plan.doc.id);
      // Transient: hand it back as pending, so the broker's redelivery tries it again.
      await finish({ status: 'pending', error: message });
      throw err;
    }
  }

  private withRetry<T>(fn: () => Promise<T>): Promise<T> {
    const policy = retry(
      handleWhen((err) => !(err instanceof ChannelError && err.permanent)),
      {
        maxAttempts: Math.max(0, this.deps.attempts - 1),
        backoff: new ExponentialBackoff({ initialDelay: this.deps.backoffMs, maxDelay: this.deps.backoffMs * 16 }),
      },
    );
    return policy.execute(fn);
  }

  private async send(
    plan: Plan,
    channel: Channel,
    deliveryId: string,
  ): Promise<{ to?: string; providerId?: string; skipped?: boolean }> {
    const { profile, notice } = plan;
    switch (channel) {
      case 'email': {
        const address = profile.email!;
        const { html, attachments } =
          plan.kind === 'booking.confirmed' ? await this.withTickets(plan) : { html: notice.html, attachments: [] };
        const providerId = await this.deps.email!.send({
          to: { address, displayName: profile.name },
          subject: notice.subject,
          html,
          text: notice.text,
          attachments,
          idempotencyKey: deliveryId,
        });
        return { to: maskEmail(address), providerId };
      }
      case 'sms': {
        const providerId = await this.deps.sms!.send({
          to: profile.phone!,
          text: notice.sms!,
          idempotencyKey: deliveryId,
        });
        return { to: maskPhone(profile.phone!), providerId };
      }
      case 'push': {
        const subs = await this.deps.store.pushSubscriptions(profile.userId);
        if (!subs.length) return { skipped: true };
        const payload = JSON.stringify({
          title: notice.title,
          body: notice.body,
          url: plan.facts.link,
          tag: plan.doc.id,
        });
        let delivered = 0;
        for (const sub of subs) {
          try {
            await this.deps.push!.send({ subscription: sub.subscription, payload, ttlSeconds: 24 * 3600 });
            delivered++;
          } catch (err) {
            if (!(err instanceof ChannelError && err.gone)) throw err;
            await this.deps.store.removePushSubscription(sub.userId, sub.id);
          }
        }
        return delivered ? { to: `${delivered} device(s)` } : { skipped: true };
      }
      case 'inapp':
        return {};
    }
  }

  /** The confirmation's HTML with its tickets as inline QR images (cid:), and the show's `.ics`. */
  private async withTickets(plan: Plan) {
    const tickets = (await this.deps.tickets.list(plan.doc)).filter((t) => t.status === 'valid');
    const qr = tickets.map((t) => ({ seatId: t.seatId, contentId: `qr-${t.seatId}` }));
    const html = renderNotice({ ...plan.facts, qr }, plan.locale).html;
    const attachments = [
      ...tickets.map((t) => ({
        name: `ticket-${t.seatId}.svg`,
        contentType: 'image/svg+xml',
        contentInBase64: Buffer.from(renderSVG(t.code)).toString('base64'),
        contentId: `qr-${t.seatId}`,
      })),
      {
        name: 'show.ics',
        contentType: 'text/calendar',
        contentInBase64: Buffer.from(
          showCalendar({
            bookingId: plan.doc.id,
            title: plan.doc.show.title,
            venueName: plan.doc.show.venueName,
            startsAt: plan.doc.show.startsAt,
            endsAt: plan.doc.show.endsAt,
            stampedAt: plan.at,
          }),
        ).toString('base64'),
      },
    ];
    return { html, attachments };
  }

  private async nudge(item: DeliveryDoc): Promise<void> {
    // A lost nudge costs nothing: the bell reads the inbox when it opens.
    await this.deps.live
      .sendToUser(item.userId, { type: 'notification', id: item.id, title: item.title, at: item.createdAt })
      .catch((err: Error) => this.deps.log(`notification ${item.id}: live push failed: ${err.message}`));
  }
}

function pick(data: { cancellationId?: string; paymentId?: string }) {
  return {
    ...(data.cancellationId ? { cancellationId: data.cancellationId } : {}),
    ...(data.paymentId ? { paymentId: data.paymentId } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
