// What the notification module needs from outside (docs/architecture.md, Notifications): one port per
// channel (email, SMS, web push; the in-app inbox is the store itself) and the store of deliveries,
// inbox items and push subscriptions. Adapters: shared/adapters/communication/ (ACS email and SMS),
// shared/adapters/webpush/, shared/adapters/cosmos/notification-store.ts, wired in shared/services.ts.
import type { Stored } from '../ports/documents.js';

export type Channel = 'email' | 'sms' | 'push' | 'inapp';

export interface EmailAttachment {
  name: string;
  contentType: string;
  contentInBase64: string;
  /** Set for inline images the HTML refers to as `cid:<contentId>`. */
  contentId?: string;
}

export interface EmailMessage {
  to: { address: string; displayName?: string };
  subject: string;
  html: string;
  text: string;
  attachments: EmailAttachment[];
  /** The provider's idempotency key: the same key is one send, however often it is tried. */
  idempotencyKey: string;
}

export interface SmsMessage {
  to: string;
  text: string;
  idempotencyKey: string;
}

export interface PushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushMessage {
  subscription: PushSubscription;
  payload: string;
  /** Seconds the push service may keep it for an offline device. */
  ttlSeconds: number;
}

/**
 * A channel's failure: `permanent` ones (a refused address, a gone subscription) are recorded and not
 * tried again; the others are retried with backoff, then left to the broker's redelivery.
 */
export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(
    message: string,
    readonly permanent: boolean,
    /** Web push: the subscription no longer exists (404/410) and must be forgotten. */
    readonly gone = false,
  ) {
    super(message);
  }
}

export interface EmailSender {
  /** Resolves with the provider's message id once the provider accepted the message. */
  send(message: EmailMessage): Promise<string>;
}
export interface SmsSender {
  send(message: SmsMessage): Promise<string>;
}
export interface PushSender {
  send(message: PushMessage): Promise<void>;
  /** The VAPID public key the browser subscribes with. */
  publicKey(): Promise<string | undefined>;
}

/** `pending`: a try failed transiently and nobody is sending it; `sending`: a handler is. */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** One message of one event on one channel to one recipient: id `ntf_<hash(event, channel, user)>`. */
export interface DeliveryDoc {
  id: string;
  userId: string;
  kind: 'delivery';
  eventId: string;
  eventType: string;
  channel: Channel;
  status: DeliveryStatus;
  attempts: number;
  /** The recipient as shown to operators: masked (a***@x.com, +91******4567). */
  to?: string;
  providerId?: string;
  error?: string;
  createdAt: string;
  updatedAt: string;
  /** In-app only: what the bell shows, and whether the user has read it. */
  title?: string;
  body?: string;
  link?: string;
  read?: boolean;
}

export interface PushSubscriptionDoc {
  /** `push_<hash(endpoint)>` */
  id: string;
  userId: string;
  kind: 'push-subscription';
  subscription: PushSubscription;
  createdAt: string;
}

export interface InboxPage {
  items: DeliveryDoc[];
  unread: number;
  next?: string;
}

export interface NotificationStore {
  /** Creates the delivery unless one with its id exists: the stored copy and whether this call created it. */
  claim(doc: DeliveryDoc): Promise<{ created: boolean; stored: Stored<DeliveryDoc> }>;
  /** Replaces the delivery if it is still at `etag`; false when another writer came first. */
  update(doc: DeliveryDoc, etag: string): Promise<boolean>;
  get(userId: string, id: string): Promise<Stored<DeliveryDoc> | undefined>;
  /** The user's in-app notifications, newest first, from an opaque continuation. */
  inbox(userId: string, limit: number, continuation?: string): Promise<InboxPage>;
  pushSubscriptions(userId: string): Promise<PushSubscriptionDoc[]>;
  savePushSubscription(doc: PushSubscriptionDoc): Promise<void>;
  /** True when there was one to remove. */
  removePushSubscription(userId: string, id: string): Promise<boolean>;
}
