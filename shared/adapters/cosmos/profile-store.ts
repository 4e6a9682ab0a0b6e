// User profiles in Cosmos DB (container `users`, partition key /id): one document per user, with
// the user id as both id and partition key.
import type { Profile } from '../../profile/service.js';
import type { ProfileStore } from '../../profile/ports.js';
import type { Cosmos } from './client.js';
import { clean } from './documents.js';

export function cosmosProfileStore(cosmos: Cosmos): ProfileStore {
  const users = cosmos.container('users');
  return {
    async get(userId) {
      const res = await users.item(userId, userId).read<Profile>();
      return res.resource ? clean<Profile>(res.resource) : undefined;
    },
    async put(profile) {
      await users.items.upsert(profile);
    },
  };
}
