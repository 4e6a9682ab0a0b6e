// The negotiate route's HTTP contract (functions/realtime-negotiate.ts) as zod schemas.
import { z } from 'zod';
import { Instant, type Assert, type Describes } from '../http/openapi/common.js';
import type { Negotiated } from './negotiate.js';

// Show ids are opaque but end up in a group name: keep them to a safe alphabet.
export const NegotiateQuerySchema = z.strictObject({
  showId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'a show id (letters, digits and . _ : -, at most 100)'),
});
export const NegotiatedSchema = z
  .object({
    url: z.string().meta({ description: 'wss://…/client/hubs/<hub>?access_token=… (a credential: never cache it)' }),
    expiresAt: Instant,
    groups: z.array(z.string()),
    showId: z.string(),
    userId: z.string().optional(),
  })
  .meta({ id: 'RealtimeAccess' });

export type RealtimeSchemasDescribeTheirTypes = [Assert<Describes<Negotiated, typeof NegotiatedSchema>>];
