// What profiles rely on from a ProfileStore (shared/profile/ports.ts): one document per user, read
// back as written (nothing the store adds), replaced whole by the next put.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../shared/profile/service.js';
import type { ProfileStore } from '../../shared/profile/ports.js';
import { unique } from './fixtures.js';

const profile = (userId: string, over: Partial<Profile> = {}): Profile => ({
  id: userId,
  userId,
  name: 'Asha',
  languages: ['Hindi'],
  genres: [],
  notifications: { email: true, sms: false, push: true, whatsapp: false, reminderHours: [24] },
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  ...over,
});

export function profileStoreCases(make: () => ProfileStore): void {
  describe('ProfileStore', () => {
    it('answers nothing for a user who never saved a profile', async () => {
      expect(await make().get(unique('user'))).toBeUndefined();
    });

    it('reads back the profile put, and the next put replaces it whole', async () => {
      const store = make();
      const userId = unique('user');
      const first = profile(userId, { phone: '+919812345678', city: 'blr' });
      await store.put(first);
      expect(await store.get(userId)).toEqual(first);
      const second = profile(userId, { name: 'Asha R', updatedAt: '2030-01-02T00:00:00.000Z' });
      await store.put(second);
      expect(await make().get(userId)).toEqual(second);
    });
  });
}
