// The delivery log's query string, shared by the operators' and the partners' routes.
import { z } from 'zod';
import { PartnerEventTypeSchema } from './payloads.js';

export const DeliveryQuerySchema = z.strictObject({
  status: z.enum(['pending', 'retrying', 'delivered', 'failed', 'cancelled']).optional(),
  eventType: PartnerEventTypeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});
