// The provider's wire format: requests and answers of its REST API and its webhook body. Shared by
// the adapter (which parses answers) and the local simulator (which produces them), so the two
// cannot drift apart. Answers are parsed leniently (a provider may add fields); webhooks strictly.
import { z } from 'zod';

export const MoneySchema = z.object({
  minor: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

export const SessionStatusSchema = z.enum(['pending', 'paid', 'declined', 'expired']);

export const CreateSessionRequestSchema = z.strictObject({
  bookingId: z.string().min(1).max(200),
  attemptId: z.string().min(1).max(200),
  amount: MoneySchema.refine((m) => m.minor > 0, 'must be positive'),
  description: z.string().min(1).max(500),
  items: z
    .array(
      z.strictObject({ label: z.string().min(1).max(200), quantity: z.number().int().positive(), unit: MoneySchema }),
    )
    .max(50),
  returnUrl: z.string().url(),
  expiresAt: z.iso.datetime().optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

export const SessionSchema = z.object({
  id: z.string(),
  url: z.string().url(),
  status: SessionStatusSchema,
  expiresAt: z.string(),
  amount: MoneySchema,
  refunded: MoneySchema,
  paymentId: z.string().optional(),
});
export type SessionWire = z.infer<typeof SessionSchema>;

export const PaymentSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  status: SessionStatusSchema,
  amount: MoneySchema,
  refunded: MoneySchema,
  /** The session's metadata: which booking and attempt it was created for. */
  bookingId: z.string().optional(),
  attemptId: z.string().optional(),
  created: z.string().optional(),
});
export type PaymentWire = z.infer<typeof PaymentSchema>;

/** GET /v1/payments?created_gte=&limit=&starting_after=: oldest first, cursor = the last id. */
export const PaymentListSchema = z.object({
  data: z.array(PaymentSchema),
  has_more: z.boolean(),
});
export type PaymentListWire = z.infer<typeof PaymentListSchema>;

export const RefundRequestSchema = z.strictObject({
  paymentId: z.string().min(1),
  amount: MoneySchema.refine((m) => m.minor > 0, 'must be positive'),
  reason: z.string().min(1).max(500),
});
export type RefundRequest = z.infer<typeof RefundRequestSchema>;

export const RefundSchema = z.object({
  id: z.string(),
  paymentId: z.string(),
  status: z.enum(['succeeded', 'pending']),
  amount: MoneySchema,
});
export type RefundWire = z.infer<typeof RefundSchema>;

export const WebhookEventSchema = z.strictObject({
  id: z.string().min(1),
  type: z.enum(['payment.succeeded', 'payment.declined']),
  created: z.iso.datetime(),
  data: z.strictObject({
    sessionId: z.string().min(1),
    bookingId: z.string().min(1),
    attemptId: z.string().min(1),
    paymentId: z.string().min(1).optional(),
    amount: MoneySchema,
  }),
});
export type WebhookEventWire = z.infer<typeof WebhookEventSchema>;

export const ProviderErrorSchema = z.object({ code: z.string().optional(), detail: z.string().optional() }).loose();
