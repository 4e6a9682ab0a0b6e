// One CosmosClient per process, keyed by settings: an account key (the embedded server, the
// emulator) or managed identity through DefaultAzureCredential (Azure). Database and containers are
// created when missing (docs/architecture.md, Data model); every request has a timeout and SDK-level retries.
import type { Container, CosmosClient, Database } from '@azure/cosmos';
import { cosmosSdk, defaultAzureCredential } from '../sdks.js';
import { outagePlugin } from './faults.js';
import { tracingPlugin } from './tracing.js';

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
  // Partner webhooks: endpoints (few, read whole), their delivery log (kept 30 days), and — only
  // where there is no Key Vault — the endpoints' signing secrets.
  'partner-endpoints': '/id',
  'partner-deliveries': '/endpointId',
  'partner-secrets': '/id',
  // Notification deliveries (one per event, channel, user), the in-app inbox, push subscriptions.
  notifications: '/userId',
  // Payment id → the one booking it settles (created once; docs/architecture.md, Sagas).
  settlements: '/id',
  // Recommendations: one signals document per user; a city's trending shards and each title's
  // co-booking counts (docs/architecture.md, Recommendations).
  recommendations: '/userId',
  'recommendation-aggregates': '/key',
  // The waiting room of hot on-sales: per show its switch, the admission cursor and the queue
  // entries (docs/architecture.md, Waiting room).
  'waiting-room': '/showId',
} as const;

/** Containers whose documents expire: the default time to live in seconds (-1: per document). */
export const CONTAINER_TTL: Partial<Record<ContainerName, number>> = {
  'partner-deliveries': 30 * 24 * 3600,
};

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
  /**
   * One point read and one query per container, of an id no document has, so the first requests
   * after a start find the connections open and the SDK's per-container caches filled (the partition
   * key ranges a cross-partition query needs). Never throws; on Azure it costs ~4 RU per container.
   */
  warm(): Promise<void>;
}

export function createCosmos(settings: CosmosSettings): Cosmos {
  const client = new (cosmosSdk().CosmosClient)({
    endpoint: settings.endpoint,
    ...(settings.key ? { key: settings.key } : { aadCredentials: defaultAzureCredential() }),
    connectionPolicy: {
      requestTimeout: settings.timeoutMs,
      // The embedded server and the emulator have one region; discovery only costs start-up time.
      enableEndpointDiscovery: !isLocal(settings.endpoint),
      retryOptions: { maxRetryAttemptCount: 9, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 30 },
    },
    // An outage becomes DEPENDENCY_UNAVAILABLE (faults.ts). `plugins` is a documented-in-code option
    // the SDK's own typings leave out of CosmosClientOptions.
    // The span outside the outage translation, so it records the error callers see.
    ...({ plugins: [tracingPlugin, outagePlugin] } as object),
  });
  const database = client.database(settings.database);
  const containers = new Map<ContainerName, Container>();
  const container = (name: ContainerName) => {
    let c = containers.get(name);
    if (!c) containers.set(name, (c = database.container(name)));
    return c;
  };
  return {
    client,
    database,
    container,
    async ensureSchema() {
      await client.databases.createIfNotExists({ id: settings.database });
      for (const [id, path] of Object.entries(CONTAINERS)) {
        const defaultTtl = CONTAINER_TTL[id as ContainerName];
        await database.containers.createIfNotExists({ id, partitionKey: { paths: [path] }, defaultTtl });
      }
    },
    async warm() {
      const parameters = [{ name: '@id', value: WARM_ID }];
      await Promise.all(
        (Object.keys(CONTAINERS) as ContainerName[]).map(async (name) => {
          const c = container(name);
          await c
            .item(WARM_ID, WARM_ID)
            .read()
            .catch(() => undefined);
          await c.items
            .query({ query: 'SELECT VALUE c.id FROM c WHERE c.id = @id', parameters })
            .fetchAll()
            .catch(() => undefined);
        }),
      );
    },
  };
}

/** An id no document has: the warm-up's reads find nothing (a 404, an empty query). */
const WARM_ID = '~warm-up';

function isLocal(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '127.0.0.1';
}
