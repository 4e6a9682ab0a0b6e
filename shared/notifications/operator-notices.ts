// Notices for operators that are not about a booking (docs/architecture.md, Notifications): today a
// partner webhook endpoint disabled for failing (docs/webhooks.md, Answering). They go through the
// same store and channels as customers' notifications: an in-app item in the operator's inbox (the
// bell, /api/me/notifications) with its live nudge, and an email to the operator's profile address
// and to the operations mailbox when one is set.
//
// Exactly one message per (notice, channel, recipient), as for booking events: the delivery's id is
// derived from the three and claimed with a create, so telling the same notice again (a second
// process disabling the same endpoint, a retry) sends nothing twice. A transient email failure is
// retried with backoff here; one that persists is recorded on the delivery and thrown.
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { derivedId } from '../booking/model.js';
import type { Profile } from '../profile/service.js';
import type { RealtimeUserMessage } from '../ports/realtime.js';
import { maskEmail } from './masking.js';
import { ChannelError, type DeliveryDoc, type EmailSender, type NotificationStore } from './ports.js';

export interface OperatorNotice {
  /** The occurrence (e.g. an endpoint and when it was disabled): the same key is the same notice. */
  key: string;
  /** What the inbox lists it as, e.g. `partner.endpoint-disabled`. */
  kind: string;
  title: string;
  body: string;
  /** Where in the web client the operator acts on it. */
  link: string;
  subject: string;
  text: string;
  html: string;
}

export interface OperatorNoticeDeps {
  store: NotificationStore;
  profiles: { get(userId: string): Promise<Profile> };
  /** Absent when no Communication Services resource is configured: in-app only. */
  email?: EmailSender;
  live: { sendToUser(userId: string, message: RealtimeUserMessage): Promise<void> };
  clock: () => number;
  /** The operations mailbox, told besides the operator (PARTNER_WEBHOOK_OPS_EMAIL). */
  opsEmail?: string;
  /** Tries per email and the first backoff. */
  attempts: number;
  backoffMs: number;
  log: (message: string) => void;
}

/** The recipient the operations mailbox's deliveries are recorded under (it has no inbox). */
export const OPS_MAILBOX = 'ops-mailbox';

export class OperatorNotices {
  constructor(private readonly deps: OperatorNoticeDeps) {}

  /** Tells the operator (when known) and the operations mailbox (when set). */
  async send(notice: OperatorNotice, operatorId?: string): Promise<void> {
    const sends: Promise<void>[] = [];
    if (operatorId) {
      sends.push(this.inApp(notice, operatorId));
      const profile = await this.deps.profiles.get(operatorId);
      if (profile.email && profile.notifications.email)
        sends.push(this.email(notice, operatorId, profile.email, profile.name));
    }
    if (this.deps.opsEmail) sends.push(this.email(notice, OPS_MAILBOX, this.deps.opsEmail));
    const failed = (await Promise.allSettled(sends)).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw new Error(`notice ${notice.key}: ${failed.map((f) => String(f.reason)).join('; ')}`);
  }

  private async inApp(notice: OperatorNotice, userId: string): Promise<void> {
    const now = new Date(this.deps.clock()).toISOString();
    const claim = await this.deps.store.claim({
      id: derivedId('ntf', notice.key, 'inapp', userId),
      userId,
      kind: 'delivery',
      eventId: notice.key,
      eventType: notice.kind,
      channel: 'inapp',
      status: 'sent',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      title: notice.title,
      body: notice.body,
      link: notice.link,
      read: false,
    });
    if (!claim.created) return;
    const item = claim.stored.doc;
    // A lost nudge costs nothing: the bell reads the inbox when it opens.
    await this.deps.live
      .sendToUser(userId, { type: 'notification', id: item.id, title: item.title, at: item.createdAt })
      .catch((err: Error) => this.deps.log(`notice ${item.id}: live push failed: ${err.message}`));
  }

  private async email(notice: OperatorNotice, userId: string, address: string, name?: string): Promise<void> {
    const sender = this.deps.email;
    if (!sender) return;
    const { store, clock } = this.deps;
    const now = () => new Date(clock()).toISOString();
    const draft: DeliveryDoc = {
      id: derivedId('ntf', notice.key, 'email', userId),
      userId,
      kind: 'delivery',
      eventId: notice.key,
      eventType: notice.kind,
      channel: 'email',
      status: 'sending',
      attempts: 1,
      createdAt: now(),
      updatedAt: now(),
    };
    const claim = await store.claim(draft);
    let { doc, etag } = claim.stored;
    if (!claim.created) {
      if (doc.status === 'sent' || doc.status === 'failed') return;
      // Left pending or sending by an earlier try: the provider's idempotency key makes a resend one message.
      const takeover: DeliveryDoc = { ...doc, status: 'sending', attempts: doc.attempts + 1, updatedAt: now() };
      if (!(await store.update(takeover, etag))) return; // another process is on it
      const fresh = await store.get(userId, doc.id);
      if (!fresh) return;
      ({ doc, etag } = fresh);
    }
    const finish = (change: Partial<DeliveryDoc>) => store.update({ ...doc, ...change, updatedAt: now() }, etag);
    try {
      const providerId = await retry(
        handleWhen((err) => !(err instanceof ChannelError && err.permanent)),
        {
          maxAttempts: Math.max(0, this.deps.attempts - 1),
          backoff: new ExponentialBackoff({ initialDelay: this.deps.backoffMs, maxDelay: this.deps.backoffMs * 16 }),
        },
      ).execute(() =>
        sender.send({
          to: { address, displayName: name },
          subject: notice.subject,
          html: notice.html,
          text: notice.text,
          attachments: [],
          idempotencyKey: doc.id,
        }),
      );
      await finish({ status: 'sent', to: maskEmail(address), providerId });
    } catch (err) {
      const message = ((err as Error)?.message ?? String(err)).slice(0, 500);
      const permanent = err instanceof ChannelError && err.permanent;
      await finish({ status: permanent ? 'failed' : 'pending', error: message });
      throw err;
    }
  }
}
