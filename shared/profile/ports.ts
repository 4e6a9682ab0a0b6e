// What profiles need from storage: one document per user, read and written whole. The Cosmos
// adapter is shared/adapters/cosmos/profile-store.ts, wired in shared/services.ts.
import type { Profile } from './service.js';

export interface ProfileStore {
  get(userId: string): Promise<Profile | undefined>;
  /** Creates or replaces the user's profile. */
  put(profile: Profile): Promise<void>;
}
