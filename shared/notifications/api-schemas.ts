// The notification routes' HTTP contract (functions/me-notifications.ts) as zod schemas;
// shared/notifications/openapi.ts describes the routes with them.
import { z } from 'zod';
import { documentId } from '../http/validate.js';
import { Instant, type Assert, type Describes } from '../http/openapi/common.js';
import { PushSubscriptionSchema, type InboxItem } from './inbox.js';

export { PushSubscriptionSchema };
export const InboxQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  continuation: z.string().max(200).optional(),
});
export const NotificationParamsSchema = z.object({ id: documentId });
export const UnsubscribeBodySchema = z.strictObject({ endpoint: z.string().url().max(2000) });

export const InboxItemSchema = z
  .object({
    id: z.string(),
    event: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().optional(),
    read: z.boolean(),
    createdAt: Instant,
  })
  .meta({ id: 'InboxItem' });
export const InboxPageSchema = z.object({
  items: z.array(InboxItemSchema),
  unread: z.int(),
  continuation: z.string().optional(),
});
export const PushKeySchema = z.object({ publicKey: z.string().meta({ description: 'VAPID public key, base64url' }) });
export const PushSubscriptionListSchema = z.object({
  items: z.array(z.object({ id: z.string(), endpoint: z.string(), createdAt: Instant })),
});
export const PushSubscribedSchema = z.object({ id: z.string() });

export type NotificationSchemasDescribeTheirTypes = [Assert<Describes<InboxItem, typeof InboxItemSchema>>];
