// Every setting the app reads, in one place, validated once, so a bad one stops start-up. Nothing else in the
// app reads process.env. A missing or malformed setting stops start-up with a line naming it.
// Settings that only bindings read (`%BOOKING_EVENTS_TOPIC%`, `%RECONCILE_SCHEDULE%`) are resolved by the
// Functions host, not here; the deploy contract test checks both kinds against infra/terraform.
import { z } from 'zod';
import { SECRET_NAMES } from './ports/secrets.js';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './domain/partner-webhooks/retry-schedule.js';

const url = z.string().url();
const intFrom = (def: number) => z.coerce.number().int().positive().default(def);
const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Telemetry (docs/telemetry.md), read once at load by shared/telemetry/start.ts, before the other
 * settings are checked: `auto` exports to Application Insights when its connection string is set,
 * else over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the local host supplies one), else nowhere.
 * The OTEL_* settings are OpenTelemetry's own; its SDK reads them (headers, intervals, sampler).
 */
export const TelemetrySettingsSchema = z.object({
  TELEMETRY_EXPORTER: z.enum(['auto', 'none', 'azure-monitor', 'otlp', 'console']).default('auto'),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z
    .string()
    .regex(/InstrumentationKey=|IngestionEndpoint=/i, 'an Application Insights connection string')
    .optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('marquee-api'),
  // OpenTelemetry's setting, read here because the metric reader does not read it itself (only sdk-node does).
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(100).default(60_000),
  // Share of traces kept (1 = all); Application Insights' own sampling settings stay in host.json.
  TELEMETRY_SAMPLING_RATIO: z.coerce.number().min(0).max(1).default(1),
});

export type TelemetrySettings = z.infer<typeof TelemetrySettingsSchema>;

/** The telemetry settings alone; a bad one turns telemetry off (start-up's full check names it). */
export function telemetrySettings(env: Record<string, string | undefined>): TelemetrySettings | undefined {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = TelemetrySettingsSchema.safeParse(set);
  return result.success ? result.data : undefined;
}

export const ConfigSchema = z
  .object({
    ...TelemetrySettingsSchema.shape,
    // Feature flags (docs/feature-flags.md): read from Azure App Configuration when
    // APP_CONFIGURATION_ENDPOINT is set (managed identity; each read has a timeout and the answer is
    // cached this long), else — and whenever the store cannot answer — from the FEATURE_* settings.
    APP_CONFIGURATION_ENDPOINT: url.optional(),
    FEATURE_FLAGS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    FEATURE_RECOMMENDATIONS_RAIL: flag(true),
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
    // Key of the waiting room's queue tickets and admission tokens (HS256; Key Vault when KEY_VAULT_URL is set).
    WAITING_ROOM_SIGNING_KEY: z.string().min(32).optional(),
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
    // backoff from CANCEL_REFUND_RETRY_MS) before it ends refund_failed; how far past its deadline a booking must be before the reconciler drives it to a final state.
    HOLD_TTL_SECONDS: intFrom(600),
    // Where the web client lives (payment return links point at its booking page). Unset: the API's
    // own origin, which is where the local host serves the client.
    WEB_APP_URL: url.optional(),
    BOOKING_HOLD_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2000),
    CANCEL_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2000),
    CANCEL_REFUND_ATTEMPTS: intFrom(5),
    CANCEL_REFUND_RETRY_MS: intFrom(2000),
    RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(0).default(60),
    // An operator's show cancellation (docs/architecture.md, Show cancellation): bookings per page of
    // the fan-out and per batch activity (a page's batches run side by side), the pause before another pass while
    // bookings are in flight and the most passes, and how many runs a failed refund gets before it is
    // left to operators.
    SHOW_CANCEL_BATCH: z.coerce.number().int().min(1).max(500).default(100),
    SHOW_CANCEL_CHUNK: z.coerce.number().int().min(1).max(100).default(20),
    SHOW_CANCEL_PASS_SECONDS: intFrom(30),
    SHOW_CANCEL_MAX_PASSES: intFrom(120),
    SHOW_CANCEL_REFUND_RUNS: intFrom(3),
    // Rate limits at the HTTP edge (shared/http/rate-limit.ts), per instance, behind API Management's
    // (infra/terraform/apim.tf): requests per second per signed-in user and per client IP without a
    // verified token, POST /api/bookings per minute per user, and how many proxies append to
    // X-Forwarded-For in front of the app (1 behind API Management). RATE_LIMIT_ENABLED=false turns
    // the edge's limits off (the gateway's remain).
    RATE_LIMIT_ENABLED: flag(true),
    RATE_LIMIT_USER_PER_SECOND: intFrom(1000),
    RATE_LIMIT_ANONYMOUS_PER_SECOND: intFrom(200),
    RATE_LIMIT_BOOKINGS_PER_MINUTE: intFrom(30),
    RATE_LIMIT_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Partner webhooks (docs/webhooks.md): the pauses between attempts ("5s,5m,…", ~3 days by
    // default; tests shorten it), each attempt's timeout, how long a rotated secret keeps signing,
    // whether http:// and loopback URLs are allowed (the local host's receivers; never in Azure),
    // how long an endpoint may fail before it is disabled, first attempts in flight per endpoint.
    PARTNER_WEBHOOK_RETRY_SCHEDULE: z
      .string()
      .default(DEFAULT_RETRY_SCHEDULE)
      .transform((text, ctx) => {
        const pauses = parseRetrySchedule(text);
        if (!pauses) ctx.addIssue({ code: 'custom', message: 'a comma-separated list like 5s,5m,2h' });
        return pauses ?? [];
      }),
    PARTNER_WEBHOOK_TIMEOUT_MS: intFrom(10_000),
    PARTNER_WEBHOOK_SECRET_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(86_400),
    PARTNER_WEBHOOK_ALLOW_LOOPBACK: flag(false),
    PARTNER_WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().positive().default(120),
    PARTNER_WEBHOOK_ENDPOINT_CONCURRENCY: intFrom(4),
    // Each endpoint's lane (shared/partners/endpoint-lanes.ts): how long a send may wait for one of
    // its slots before it is scheduled as a retry instead, failed sends in a row that open its
    // circuit, and how long an open circuit waits before one send probes the endpoint again.
    PARTNER_WEBHOOK_QUEUE_WAIT_MS: intFrom(1000),
    PARTNER_WEBHOOK_CIRCUIT_FAILURES: intFrom(3),
    PARTNER_WEBHOOK_CIRCUIT_OPEN_SECONDS: z.coerce.number().positive().default(30),
    // Also told when an endpoint is disabled for failing, besides the operator who registered it
    // (an on-call mailbox); unset: only that operator.
    PARTNER_WEBHOOK_OPS_EMAIL: z.email().optional(),
    // The vault the endpoints' signing secrets are written to (the app may write there, unlike
    // KEY_VAULT_URL, which it only reads). Unset: the local store (a Cosmos container), for laptops only.
    PARTNER_WEBHOOK_VAULT_URL: url.optional(),
    // Notifications (docs/architecture.md, Notifications). Email and SMS go through Azure
    // Communication Services: a connection string (key auth; the local host plays the service) or
    // ACS_ENDPOINT with managed identity. With neither, those two channels are off.
    ACS_CONNECTION_STRING: z
      .string()
      .regex(/^endpoint=.+;accesskey=.+$/i, 'endpoint=…;accesskey=…')
      .optional(),
    ACS_ENDPOINT: url.optional(),
    NOTIFY_EMAIL_SENDER: z.string().email().default('DoNotReply@marquee.local'),
    NOTIFY_SMS_SENDER: z.string().min(3).max(20).default('+18005550100'),
    // Web push (VAPID); without the keys the push channel is off. The private key is a secret: on Azure
    // the setting is a Key Vault reference (infra/terraform/communication.tf).
    WEB_PUSH_VAPID_PUBLIC_KEY: z.string().min(80).optional(),
    WEB_PUSH_VAPID_PRIVATE_KEY: z.string().min(40).optional(),
    WEB_PUSH_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:)/, 'mailto:… or https://…')
      .default('mailto:ops@marquee.local'),
    // Times in messages are shown in this zone; a channel is tried NOTIFY_ATTEMPTS times per delivery
    // of an event (backoff from NOTIFY_RETRY_MS) before the broker's redelivery takes over.
    NOTIFY_TIMEZONE: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Kolkata').default('Asia/Kolkata'),
    // The app's own host name (set by the platform; the local host sets it too): links in messages
    // point at the web client there unless WEB_APP_URL names it.
    WEBSITE_HOSTNAME: z.string().min(1).optional(),
    // Reminders: this long before the show (fractions allowed); no SMS or push reminder in the
    // quiet hours "HH-HH" of NOTIFY_TIMEZONE ("00-00": none).
    REMINDER_LEAD_MINUTES: z.coerce.number().positive().default(180),
    NOTIFY_QUIET_HOURS: z
      .string()
      .regex(/^([01]\d|2[0-3])-([01]\d|2[0-3])$/, 'HH-HH, e.g. 22-08')
      .default('22-08'),
    NOTIFY_ATTEMPTS: intFrom(3),
    NOTIFY_RETRY_MS: intFrom(500),
    // Paid means confirmed or refunded (docs/architecture.md, Sagas: Recovery and late payments): when
    // the provider cannot say at hold expiry whether a booking was paid, its seats are kept this long
    // past the hold, asking again every PAYMENT_GRACE_POLL_SECONDS; the reconciler reads the
    // provider's own list of payments this far back.
    PAYMENT_GRACE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
    PAYMENT_GRACE_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    // The waiting room (docs/architecture.md, Waiting room): arrivals after opening are admitted only
    // once this old (a join still being written is never overtaken), the request paths reuse the room
    // and cursor this long, and one client address may join this many queues a minute.
    WAITING_ROOM_SETTLE_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
    WAITING_ROOM_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(1000),
    WAITING_ROOM_JOINS_PER_IP_PER_MINUTE: intFrom(30),
    /** Joins of one show arriving this close together are written as one Cosmos batch (0: one write each). */
    WAITING_ROOM_JOIN_BATCH_MS: z.coerce.number().int().min(0).max(50).default(2),
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
      // Where Key Vault is used, partner signing secrets must be in a vault too, never in Cosmos.
      if (c.KEY_VAULT_URL && !c.PARTNER_WEBHOOK_VAULT_URL)
        ctx.addIssue({
          code: 'custom',
          path: ['PARTNER_WEBHOOK_VAULT_URL'],
          message: 'required when KEY_VAULT_URL is set',
        });
      if (c.WEB_PUSH_VAPID_PUBLIC_KEY && !c.WEB_PUSH_VAPID_PRIVATE_KEY)
        ctx.addIssue({
          code: 'custom',
          path: ['WEB_PUSH_VAPID_PRIVATE_KEY'],
          message: 'required with WEB_PUSH_VAPID_PUBLIC_KEY',
        });
      // Without Key Vault the secrets must be settings.
      if (c.KEY_VAULT_URL) return;
      for (const name of SECRET_NAMES) {
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
  // An empty value means unset, as in the Functions host (Terraform sets AzureWebJobsStorage to "" on purpose).
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = ConfigSchema.safeParse(set);
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
