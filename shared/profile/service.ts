// User profiles (Cosmos `users`, /id): name, phone, city, preferred languages and genres, and
// notification preferences. The body schema lives here beside its type; a user who
// never saved a profile reads the defaults, named from their token.
import { z } from 'zod';
import type { ProfileStore } from './ports.js';

export const NotificationPrefsSchema = z.strictObject({
  email: z.boolean(),
  sms: z.boolean(),
  push: z.boolean(),
  whatsapp: z.boolean(),
  /** Reminders before a show, in hours; an empty list means none. */
  reminderHours: z.array(z.number().int().min(1).max(168)).max(5),
});

export const ProfileBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +919812345678')
    .optional(),
  /** Where confirmations and receipts are emailed (shared/notifications/). */
  email: z.string().trim().email().max(254).optional(),
  /** The language of notifications; English when unset. */
  locale: z.enum(['en', 'hi']).optional(),
  city: z
    .string()
    .regex(/^[a-z]{2,10}$/, 'a city id such as blr')
    .optional(),
  languages: z.array(z.string().trim().min(1).max(30)).max(10).default([]),
  genres: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
  notifications: NotificationPrefsSchema.default({
    email: true,
    sms: false,
    push: true,
    whatsapp: false,
    reminderHours: [24],
  }),
});
export type ProfileBody = z.infer<typeof ProfileBodySchema>;

export interface Profile extends ProfileBody {
  id: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
}

export class ProfileService {
  constructor(
    private readonly store: ProfileStore,
    private readonly clock: () => number,
  ) {}

  async get(userId: string, fallbackName?: string): Promise<Profile> {
    const stored = await this.store.get(userId);
    if (stored) return stored;
    const at = new Date(0).toISOString();
    return {
      id: userId,
      userId,
      ...ProfileBodySchema.parse({ name: fallbackName || userId }),
      createdAt: at,
      updatedAt: at,
    };
  }

  async put(userId: string, body: ProfileBody): Promise<Profile> {
    const now = new Date(this.clock()).toISOString();
    const existing = await this.store.get(userId);
    const doc: Profile = {
      ...body,
      id: userId,
      userId,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.store.put(doc);
    return doc;
  }
}
