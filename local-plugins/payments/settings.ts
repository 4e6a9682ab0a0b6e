// The simulator's settings and behaviour switches. Global switches come from settings (so a test
// can start the host with them); per-session overrides arrive in the create-session body
// (`simulate`) or on the checkout submission (query or form fields), and win over the settings.
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const ms = z.coerce.number().int().min(0).max(600_000);
const failures = z.union([z.literal('always'), z.coerce.number().int().min(0).max(1000)]);

export interface Behaviour {
  /** Every payment attempt is declined. */
  decline: boolean;
  /** 'never': no webhook is sent (the saga must fall back to its timer or a status query). */
  webhook: 'send' | 'never';
  /** Wait this long before the first delivery. */
  webhookDelayMs: number;
  /** Deliver every event twice (same event id). */
  duplicateWebhook: boolean;
  /** Refunds of this payment answer 503 this many times, or always. */
  refundFailures: number | 'always';
}

export const BehaviourOverrideSchema = z.strictObject({
  decline: bool.or(z.boolean()).optional(),
  webhook: z.enum(['send', 'never']).optional(),
  webhookDelayMs: ms.optional(),
  duplicateWebhook: bool.or(z.boolean()).optional(),
  refundFailures: failures.optional(),
});
export type BehaviourOverride = z.infer<typeof BehaviourOverrideSchema>;

export const SimulatorSettingsSchema = z.object({
  PAYMENTS_API_KEY: z.string().min(1),
  PAYMENTS_WEBHOOK_SECRET: z.string().min(1),
  PAYMENTS_WEBHOOK_URL: z.string().url(),
  MARQUEE_PAYMENTS_DECLINE_ALL: bool.default(false),
  MARQUEE_PAYMENTS_WEBHOOK: z.enum(['send', 'never']).default('send'),
  MARQUEE_PAYMENTS_WEBHOOK_DELAY_MS: ms.default(0),
  MARQUEE_PAYMENTS_WEBHOOK_DUPLICATE: bool.default(false),
  MARQUEE_PAYMENTS_REFUND_FAILURES: failures.default(0),
  /** Every API answer waits this long (a slow or hanging provider). */
  MARQUEE_PAYMENTS_API_DELAY_MS: ms.default(0),
  MARQUEE_PAYMENTS_SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  /** Redeliveries after the first attempt when the app answers non-2xx or cannot be reached. */
  MARQUEE_PAYMENTS_WEBHOOK_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
  MARQUEE_PAYMENTS_WEBHOOK_RETRY_BASE_MS: ms.default(500),
});
export type SimulatorSettings = z.infer<typeof SimulatorSettingsSchema>;

export function behaviourFrom(settings: SimulatorSettings): Behaviour {
  return {
    decline: settings.MARQUEE_PAYMENTS_DECLINE_ALL,
    webhook: settings.MARQUEE_PAYMENTS_WEBHOOK,
    webhookDelayMs: settings.MARQUEE_PAYMENTS_WEBHOOK_DELAY_MS,
    duplicateWebhook: settings.MARQUEE_PAYMENTS_WEBHOOK_DUPLICATE,
    refundFailures: settings.MARQUEE_PAYMENTS_REFUND_FAILURES,
  };
}

export function applyOverride(base: Behaviour, override: BehaviourOverride | undefined): Behaviour {
  if (!override) return base;
  const defined = Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined));
  return { ...base, ...defined } as Behaviour;
}

/** Picks the override fields out of a query or form; anything else is ignored. */
export function overrideFromFields(fields: Record<string, string>): BehaviourOverride | { error: string } {
  const keys = ['decline', 'webhook', 'webhookDelayMs', 'duplicateWebhook', 'refundFailures'] as const;
  const picked = Object.fromEntries(
    keys.filter((k) => fields[k] !== undefined && fields[k] !== '').map((k) => [k, fields[k]]),
  );
  const parsed = BehaviourOverrideSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
