// Every setting the app reads, in one place, validated once, so a bad one stops start-up. Nothing else in the
// app reads process.env. A missing or malformed setting stops start-up with a line naming it.
import { z } from 'zod';

const url = z.string().url();
const intFrom = (def: number) => z.coerce.number().int().positive().default(def);
const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const ConfigSchema = z
  .object({
    // Cosmos DB for NoSQL. Without COSMOS_KEY the app signs in with DefaultAzureCredential (managed identity).
    COSMOS_ENDPOINT: url,
    COSMOS_KEY: z.string().min(1).optional(),
    COSMOS_DATABASE: z.string().min(1).default('marquee'),
    // OAuth2 bearer tokens: Entra ID in Azure, the local dev issuer on a laptop. Same code path.
    AUTH_ISSUER: url,
    AUTH_AUDIENCE: z.string().min(1),
    AUTH_JWKS_URL: url,
    AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).default(60),
    // Every outbound call carries a timeout; this is the default where a call has no stricter one.
    OUTBOUND_TIMEOUT_MS: intFrom(5000),
    // Service Bus topic for booking events (the local host plays the broker).
    BOOKING_EVENTS_TOPIC: z.string().min(1).default('booking-events'),
    // Key Vault: when set, named secrets are read from it; otherwise from the environment.
    KEY_VAULT_URL: url.optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    DEMO_DATA: flag(false),
    // The Functions host's storage account, read by GET /api/health (one Table service call).
    // "UseDevelopmentStorage=true" means Azurite's default endpoints; in Azure an identity-based
    // connection sets AzureWebJobsStorage__accountName instead.
    AzureWebJobsStorage: z.string().min(1).optional(),
    AzureWebJobsStorage__accountName: z.string().min(1).optional(),
    HEALTH_CHECK_TIMEOUT_MS: intFrom(2000),
    // Seat inventory: the sweeper frees holds that expired more than this long ago (correctness
    // never waits for it: an expired hold already reads as free), and seat maps are cached at most this long.
    HOLD_SWEEP_GRACE_SECONDS: z.coerce.number().int().min(0).default(60),
    AVAILABILITY_CACHE_MS: z.coerce.number().int().min(0).max(1000).default(1000),
    // Payment provider (the local host supplies its simulator at <origin>/.payments with random
    // per-start secrets). The two secrets and TICKET_SIGNING_KEY come from Key Vault when
    // KEY_VAULT_URL is set (names payments-api-key, payments-webhook-secret, ticket-signing-key).
    PAYMENTS_BASE_URL: url,
    PAYMENTS_API_KEY: z.string().min(16).optional(),
    PAYMENTS_WEBHOOK_SECRET: z.string().min(16).optional(),
    PAYMENTS_WEBHOOK_TOLERANCE_SECONDS: intFrom(300),
    PAYMENTS_TIMEOUT_MS: intFrom(5000),
    PAYMENTS_MAX_ATTEMPTS: intFrom(3),
    PAYMENTS_BREAKER_THRESHOLD: intFrom(5),
    PAYMENTS_BREAKER_COOLDOWN_MS: intFrom(30_000),
    // Key of the ticket verification codes (shared/booking/ticket-codes.ts).
    TICKET_SIGNING_KEY: z.string().min(32).optional(),
    SECRETS_CACHE_TTL_SECONDS: intFrom(300),
    // Booking rules (shared/domain/booking): convenience fee in basis points of the ticket price, its
    // floor in minor units, GST on the fee; tax on ticket prices (0 = listed prices include it).
    BOOKING_FEE_BP: z.coerce.number().int().min(0).max(10_000).default(1000),
    BOOKING_FEE_MIN_MINOR: z.coerce.number().int().min(0).default(0),
    BOOKING_FEE_TAX_BP: z.coerce.number().int().min(0).max(10_000).default(1800),
    BOOKING_PRICE_TAX_BP: z.coerce.number().int().min(0).max(10_000).default(0),
    // Cancellation: the full refund until this many hours before the show, then REFUND_PARTIAL_BP
    // of the ticket price until REFUND_PARTIAL_BEFORE_HOURS, then no cancellation.
    REFUND_FULL_BEFORE_HOURS: z.coerce.number().min(0).default(24),
    REFUND_PARTIAL_BEFORE_HOURS: z.coerce.number().min(0).default(4),
    REFUND_PARTIAL_BP: z.coerce.number().int().min(0).max(10_000).default(5000),
    // Realtime seat maps (docs/architecture.md, Realtime; docs/realtime.md): Web PubSub through a connection string
    // (key auth: the local emulator) or an endpoint with DefaultAzureCredential (Azure). One is required.
    WEBPUBSUB_CONNECTION_STRING: z.string().min(1).optional(),
    WEBPUBSUB_ENDPOINT: url.optional(),
    WEBPUBSUB_HUB: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/, 'a letter, then letters, digits or _`,.[]')
      .default('marquee'),
    // Diffs of one show are sent at most once per this many ms (a burst of holds = one message per viewer).
    REALTIME_COALESCE_MS: z.coerce.number().int().min(0).max(5000).default(100),
    // Lifetime of a negotiated client URL: it is only checked when the socket opens.
    REALTIME_TOKEN_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    // Booking saga: how long seats are held for payment; how long POST /api/bookings waits
    // for the hold before answering 202; how many refund attempts a cancellation makes (exponential
    // backoff from CANCEL_REFUND_RETRY_MS) before it ends refund_failed; the reconciler's schedule and
    // how far past its deadline a booking must be before the reconciler drives it to a final state.
    HOLD_TTL_SECONDS: intFrom(600),
    // Where the web client lives (payment return links point at its booking page). Unset: the API's
    // own origin, which is where the local host serves the client.
    WEB_APP_URL: url.optional(),
    BOOKING_HOLD_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2000),
    CANCEL_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2000),
    CANCEL_REFUND_ATTEMPTS: intFrom(5),
    CANCEL_REFUND_RETRY_MS: intFrom(2000),
    RECONCILE_SCHEDULE: z.string().min(1).default('0 */1 * * * *'),
    RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(0).default(60),
    // Paid means confirmed or refunded (docs/architecture.md, Sagas: Recovery and late payments): when
    // the provider cannot say at hold expiry whether a booking was paid, its seats are kept this long
    // past the hold, asking again every PAYMENT_GRACE_POLL_SECONDS; the reconciler reads the
    // provider's own list of payments this far back.
    PAYMENT_GRACE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
    PAYMENT_GRACE_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    PAYMENTS_RECONCILE_LOOKBACK_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
  })
  .superRefine(
    (c, ctx) => {
      if (!c.WEBPUBSUB_CONNECTION_STRING && !c.WEBPUBSUB_ENDPOINT) {
        ctx.addIssue({
          code: 'custom',
          path: ['WEBPUBSUB_CONNECTION_STRING'],
          message:
            'set WEBPUBSUB_CONNECTION_STRING (key auth) or WEBPUBSUB_ENDPOINT (managed identity); neither is set',
        });
      }
      // Without Key Vault the secrets must be settings.
      if (c.KEY_VAULT_URL) return;
      for (const name of ['PAYMENTS_API_KEY', 'PAYMENTS_WEBHOOK_SECRET', 'TICKET_SIGNING_KEY'] as const) {
        if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when KEY_VAULT_URL is not set' });
      }
      // Run even when other settings are bad, so start-up names every missing setting at once.
    },
    { when: () => true },
  );

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses settings; throws ConfigError with one line per bad setting, each naming it. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const value = env[name];
    const shown = value === undefined ? 'missing' : `got ${JSON.stringify(redact(name, value))}`;
    return `setting ${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(lines.join('\n'));
}

function redact(name: string, value: string): string {
  return /KEY|SECRET|PASSWORD|CONNECTION/i.test(name) ? '<redacted>' : value;
}

let cached: Config | undefined;

/** The process's settings, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
