// Notifications in Cosmos DB (container `notifications`, partition key /userId): one document per
// delivery (event, channel, user), the in-app ones doubling as the user's inbox, and the user's web
// push subscriptions. A user's notifications are one partition; the inbox pages by `sortKey`
// (`<createdAt>|<id>`), one indexed field as the booking history does.
import type { DeliveryDoc, NotificationStore, PushSubscriptionDoc } from '../../notifications/ports.js';
import type { Cosmos } from './client.js';
import { withOutage } from './faults.js';
import { cosmosStatusOf, createOnce, queryDocs, readDoc, replaceIfMatch, storedOf } from './documents.js';

type InboxDoc = DeliveryDoc & { sortKey?: string };

export function cosmosNotificationStore(cosmos: Cosmos): NotificationStore {
  const container = cosmos.container('notifications');
  return {
    async claim(doc) {
      const withKey: InboxDoc = doc.channel === 'inapp' ? { ...doc, sortKey: `${doc.createdAt}|${doc.id}` } : doc;
      const created = await createOnce(container, withKey);
      if (created) return { created: true, stored: storedOf<DeliveryDoc>(created) };
      const existing = await readDoc<DeliveryDoc>(container, doc.id, doc.userId);
      if (!existing) throw new Error(`notification ${doc.id} conflicted on create but cannot be read`);
      return { created: false, stored: existing };
    },
    async update(doc, etag) {
      return (await replaceIfMatch(container, doc.id, doc.userId, doc, etag)) !== undefined;
    },
    get: (userId, id) => readDoc<DeliveryDoc>(container, id, userId),
    async inbox(userId, limit, continuation) {
      const where = "c.userId = @u AND c.kind = 'delivery' AND c.channel = 'inapp'";
      const page = await queryDocs<InboxDoc>(
        container,
        `SELECT TOP ${limit + 1} * FROM c WHERE ${where}${continuation ? ' AND c.sortKey < @after' : ''} ORDER BY c.sortKey DESC`,
        [{ name: '@u', value: userId }, ...(continuation ? [{ name: '@after', value: continuation }] : [])],
      );
      const {
        resources: [unread],
      } = await withOutage(() =>
        container.items
          .query<number>({
            query: `SELECT VALUE COUNT(1) FROM c WHERE ${where} AND c.read = false`,
            parameters: [{ name: '@u', value: userId }],
          })
          .fetchAll(),
      );
      const items = page.slice(0, limit);
      return {
        items: items.map(({ sortKey: _, ...d }) => d),
        unread: Number(unread ?? 0),
        ...(page.length > limit ? { next: items[items.length - 1]!.sortKey } : {}),
      };
    },
    pushSubscriptions: (userId) =>
      queryDocs<PushSubscriptionDoc>(
        container,
        "SELECT * FROM c WHERE c.userId = @u AND c.kind = 'push-subscription'",
        [{ name: '@u', value: userId }],
      ),
    async savePushSubscription(doc) {
      await container.items.upsert(doc);
    },
    async removePushSubscription(userId, id) {
      try {
        await container.item(id, userId).delete();
        return true;
      } catch (err) {
        if (cosmosStatusOf(err) === 404) return false;
        throw err;
      }
    },
  };
}
