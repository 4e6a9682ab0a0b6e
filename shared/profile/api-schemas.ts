// The profile routes' HTTP contract (functions/me.ts) as zod schemas; shared/profile/openapi.ts
// describes the routes with them.
import { z } from 'zod';
import { documentId } from '../http/validate.js';
import { Instant, type Assert, type Describes } from '../http/openapi/common.js';
import { BookingSchema } from '../booking/api-schemas.js';
import { ProfileBodySchema, type Profile } from './service.js';

export { ProfileBodySchema };
export const HistoryQuerySchema = z.strictObject({
  when: z.enum(['upcoming', 'past', 'all']).default('upcoming'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  continuation: z.string().max(400).optional().meta({ description: 'The previous page’s `continuation`' }),
});
export const UserParamsSchema = z.object({ userId: documentId });

export const ProfileSchema = ProfileBodySchema.extend({
  id: z.string(),
  userId: z.string(),
  createdAt: Instant,
  updatedAt: Instant,
}).meta({ id: 'Profile' });
export const BookingHistorySchema = z.object({
  when: z.enum(['upcoming', 'past', 'all']),
  items: z.array(BookingSchema),
  continuation: z.string().optional(),
});

export type ProfileSchemasDescribeTheirTypes = [Assert<Describes<Profile, typeof ProfileSchema>>];
