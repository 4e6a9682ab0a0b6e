// The environment of a benchmark's own local host: every port picked by the OS, and its own
// Azurite and Cosmos server as children (like `npm start`), so runs never collide with anything.
import { randomBytes } from 'node:crypto';
import { spawnHost, type SpawnedHost } from '../../test/support/spawn-host.js';

export function standaloneHostEnv(): Record<string, string | undefined> {
  return {
    ...process.env,
    MARQUEE_PORT: '0',
    MARQUEE_WEBPUBSUB_PORT: '0',
    MARQUEE_COSMOS_PORT: '0',
    MARQUEE_AZURITE_BLOB_PORT: '0',
    MARQUEE_AZURITE_QUEUE_PORT: '0',
    MARQUEE_AZURITE_TABLE_PORT: '0',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    COSMOS_ENDPOINT: undefined,
    MARQUEE_LOG_LEVEL: 'warning',
  };
}

/**
 * A benchmark is many users behind one address at full speed: the edge's rate limits run (their cost
 * is part of every figure) but with limits it never reaches; BENCH_RATE_LIMIT=0 turns them off, for a
 * before/after comparison of any benchmark (shared/http/rate-limit.ts).
 */
const BENCH_RATE_LIMITS = {
  RATE_LIMIT_ENABLED: process.env.BENCH_RATE_LIMIT === '0' ? 'false' : 'true',
  RATE_LIMIT_USER_PER_SECOND: '1000000',
  RATE_LIMIT_ANONYMOUS_PER_SECOND: '1000000',
  RATE_LIMIT_BOOKINGS_PER_MINUTE: '1000000',
};

/** A benchmark's own host on the demo data, in a database of its own (the name is returned for direct SDK use). */
export async function spawnDemoHost(
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
  /** Another checkout whose compiled host and app to run (bench/booking.ts's A/B). */
  root?: string,
): Promise<{ host: SpawnedHost; database: string }> {
  const database = `bench${randomBytes(3).toString('hex')}`;
  const host = await spawnHost({
    timeoutMs,
    root,
    env: { ...standaloneHostEnv(), COSMOS_DATABASE: database, DEMO_DATA: 'true', ...BENCH_RATE_LIMITS, ...env },
  });
  return { host, database };
}
