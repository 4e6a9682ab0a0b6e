// The local host's own settings (an app's are its own business: its plugins may check them). Read from the environment
// after local.settings.json was loaded into it, validated with zod, failing with one clear line.
import { z } from 'zod';

const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);

export const LocalConfigSchema = z.object({
  MARQUEE_HOST: z.string().default('127.0.0.1'),
  MARQUEE_PORT: port(7071),
  MARQUEE_WEBPUBSUB_PORT: port(7072),
  /** The Communication Services (email, SMS) emulator; 0 = any free port (the app learns it from ACS_CONNECTION_STRING). */
  MARQUEE_COMMUNICATION_PORT: port(0),
  MARQUEE_COSMOS_PORT: port(8081),
  MARQUEE_AZURITE_BLOB_PORT: port(10000),
  MARQUEE_AZURITE_QUEUE_PORT: port(10001),
  MARQUEE_AZURITE_TABLE_PORT: port(10002),
  /** Folder for Azurite's data; by default `azurite/` in the data folder (in memory without one). */
  MARQUEE_AZURITE_LOCATION: z.string().optional(),
  /**
   * The data folder: Azurite, the embedded Cosmos server's journal, the payment simulator's state,
   * the host's keys and per-install secrets. Relative to the app root; empty keeps everything in
   * memory (nothing survives a restart).
   */
  MARQUEE_DATA_DIR: z.string().default('.marquee'),
  /** "true" empties the data folder at start (as `--fresh` does). */
  MARQUEE_FRESH: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** "UseDevelopmentStorage=true" starts Azurite; a full connection string uses that storage. */
  AzureWebJobsStorage: z.string().min(1).default('UseDevelopmentStorage=true'),
  /** The host's spans and the app's OTLP export to the host (local/telemetry); the Traces view shows them. */
  MARQUEE_TELEMETRY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  MARQUEE_LOG_LEVEL: z.enum(['trace', 'debug', 'information', 'warning', 'error']).default('information'),
  /** The real host's app setting of the same name: the largest request body an HTTP function receives. */
  FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  /** Largest request head (request line and headers) the host reads; more is 431. Node's own default. */
  MARQUEE_MAX_HEADER_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024),
  /**
   * Keys for authLevel function/admin and the control plane, as the real host's keys. Unset, each
   * is random, made once and kept in the data folder (local/README.md, Keys).
   */
  MARQUEE_FUNCTION_KEY: z.string().min(16).optional(),
  MARQUEE_MASTER_KEY: z.string().min(16).optional(),
  /** The role a dev-identity token needs to use the Durable console and API without a key. */
  MARQUEE_OPERATOR_ROLE: z.string().min(1).default('operator'),
  /** Prefix of the Azurite queues the local Service Bus keeps (tests sharing one Azurite vary it). */
  MARQUEE_SB_PREFIX: z
    .string()
    .regex(/^[a-z0-9]{1,16}$/, 'lowercase letters and digits, 1-16 characters')
    .default('sb'),
  /** Prefix of the Cosmos DB trigger's lease ids (tests sharing one lease container vary it). */
  MARQUEE_LEASE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -, 1-32 characters')
    .default('local'),
});

export type LocalConfig = z.infer<typeof LocalConfigSchema>;

export function parseLocalConfig(env: NodeJS.ProcessEnv): LocalConfig {
  const result = LocalConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.join('.');
  throw new Error(`setting ${name}: ${issue.message} (got ${JSON.stringify(env[name])})`);
}
