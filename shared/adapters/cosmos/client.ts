// One CosmosClient per process, keyed by settings: an account key (the embedded server, the
// emulator) or managed identity through DefaultAzureCredential (Azure). Database and containers are
// created when missing (docs/architecture.md, Data model); every request has a timeout and SDK-level retries.
import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';

/** Container name → partition key path. Later features add theirs here. */
export const CONTAINERS = {
  catalog: '/city',
  movies: '/id',
  inventory: '/showId',
  bookings: '/userId',
  users: '/id',
  idempotency: '/userId',
  payments: '/bookingId',
  layouts: '/id',
  // Issued tickets, one document per (booking, seat); the door scans by show.
  tickets: '/showId',
  // Recommendations: one signals document per user; a city's trending shards and each title's
  // co-booking counts (docs/architecture.md, Recommendations).
  recommendations: '/userId',
  'recommendation-aggregates': '/key',
} as const;

export type ContainerName = keyof typeof CONTAINERS;

export interface CosmosSettings {
  endpoint: string;
  key?: string;
  database: string;
  timeoutMs: number;
}

export interface Cosmos {
  client: CosmosClient;
  database: Database;
  container(name: ContainerName): Container;
  /** Creates the database and containers if missing. Idempotent; safe on every start. */
  ensureSchema(): Promise<void>;
}

export function createCosmos(settings: CosmosSettings): Cosmos {
  const client = new CosmosClient({
    endpoint: settings.endpoint,
    ...(settings.key ? { key: settings.key } : { aadCredentials: new DefaultAzureCredential() }),
    connectionPolicy: {
      requestTimeout: settings.timeoutMs,
      // The embedded server and the emulator have one region; discovery only costs start-up time.
      enableEndpointDiscovery: !isLocal(settings.endpoint),
      retryOptions: { maxRetryAttemptCount: 9, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 30 },
    },
  });
  const database = client.database(settings.database);
  const containers = new Map<ContainerName, Container>();
  return {
    client,
    database,
    container(name) {
      let c = containers.get(name);
      if (!c) containers.set(name, (c = database.container(name)));
      return c;
    },
    async ensureSchema() {
      await client.databases.createIfNotExists({ id: settings.database });
      for (const [id, path] of Object.entries(CONTAINERS)) {
        await database.containers.createIfNotExists({ id, partitionKey: { paths: [path] } });
      }
    },
  };
}

function isLocal(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '127.0.0.1';
}
