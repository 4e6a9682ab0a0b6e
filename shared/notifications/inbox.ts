// The user's side of notifications: the in-app inbox (paged, with the unread count), marking one
// read, and the web push subscriptions of their browsers. Another user's notification reads as
// unknown (404), as bookings do (docs/architecture.md, Security).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { notFound } from '../errors.js';
import type { DeliveryDoc, NotificationStore, PushSubscriptionDoc } from './ports.js';

/** A browser's PushSubscription.toJSON(): an https endpoint and the two keys, base64url. */
export const PushSubscriptionSchema = z.object({
  endpoint: z
    .string()
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL'),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    // An uncompressed P-256 point (65 bytes) and a 16-byte secret, base64url (RFC 8291).
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{86,88}={0,2}$/, 'a base64url P-256 public key'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{21,24}={0,2}$/, 'a base64url 16-byte secret'),
  }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionSchema>;

export interface InboxItem {
  id: string;
  event: string;
  title: string;
  body: string;
  link?: string;
  read: boolean;
  createdAt: string;
}

const subscriptionId = (endpoint: string) =>
  `push_${createHash('sha256').update(endpoint).digest('base64url').slice(0, 32)}`;

const itemOf = (d: DeliveryDoc): InboxItem => ({
  id: d.id,
  event: d.eventType,
  title: d.title ?? '',
  body: d.body ?? '',
  ...(d.link ? { link: d.link } : {}),
  read: d.read === true,
  createdAt: d.createdAt,
});

export class InboxService {
  constructor(
    private readonly store: NotificationStore,
    private readonly clock: () => number,
  ) {}

  async list(userId: string, limit: number, continuation?: string) {
    const page = await this.store.inbox(userId, limit, continuation);
    return { items: page.items.map(itemOf), unread: page.unread, ...(page.next ? { next: page.next } : {}) };
  }

  async markRead(userId: string, id: string): Promise<InboxItem> {
    for (;;) {
      const found = await this.store.get(userId, id);
      if (!found || found.doc.channel !== 'inapp') throw notFound(`Notification ${id}`);
      if (found.doc.read) return itemOf(found.doc);
      const read = { ...found.doc, read: true, updatedAt: new Date(this.clock()).toISOString() };
      // Another write in between (a second tab marking it read): read again and look.
      if (await this.store.update(read, found.etag)) return itemOf(read);
    }
  }

  async subscribe(userId: string, body: PushSubscriptionBody): Promise<{ id: string }> {
    const doc: PushSubscriptionDoc = {
      id: subscriptionId(body.endpoint),
      userId,
      kind: 'push-subscription',
      subscription: { endpoint: body.endpoint, keys: body.keys },
      createdAt: new Date(this.clock()).toISOString(),
    };
    await this.store.savePushSubscription(doc);
    return { id: doc.id };
  }

  /** The user's registered browsers (the endpoint says which push service; the keys stay inside). */
  async subscriptions(userId: string) {
    const docs = await this.store.pushSubscriptions(userId);
    return docs.map((d) => ({ id: d.id, endpoint: d.subscription.endpoint, createdAt: d.createdAt }));
  }

  async unsubscribe(userId: string, endpoint: string): Promise<void> {
    if (!(await this.store.removePushSubscription(userId, subscriptionId(endpoint))))
      throw notFound('Push subscription');
  }
}
