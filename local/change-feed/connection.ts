// Which Cosmos DB account a trigger reads. The binding's `connection` names a setting that holds a
// connection string (`AccountEndpoint=…;AccountKey=…;`), or, for identity-based connections,
// `<name>__accountEndpoint`. When neither is set the local host falls back to COSMOS_ENDPOINT /
// COSMOS_KEY, the account the app itself uses (the embedded server unless configured otherwise).
import { CosmosClient } from '@azure/cosmos';
import { CHANGE_FEED_AGENT } from '../core/cosmos-ru.js';
import { EMULATOR_KEY } from '../services/cosmos-server.js';

export interface CosmosAccount {
  endpoint: string;
  key: string;
}

export function parseConnectionString(value: string): CosmosAccount | undefined {
  const parts = new Map<string, string>();
  for (const piece of value.split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
  }
  const endpoint = parts.get('accountendpoint');
  if (!endpoint) return undefined;
  return { endpoint, key: parts.get('accountkey') || EMULATOR_KEY };
}

export function accountFor(connection: unknown, env: NodeJS.ProcessEnv): CosmosAccount {
  const name = typeof connection === 'string' && connection ? connection : undefined;
  if (name) {
    const value = env[name];
    if (value) {
      const parsed = parseConnectionString(value);
      if (!parsed)
        throw new Error(`setting ${name} is not a Cosmos DB connection string (AccountEndpoint=…;AccountKey=…;)`);
      return parsed;
    }
    const identityEndpoint = env[`${name}__accountEndpoint`];
    if (identityEndpoint) return { endpoint: identityEndpoint, key: env.COSMOS_KEY || EMULATOR_KEY };
  }
  if (!env.COSMOS_ENDPOINT)
    throw new Error(`no Cosmos DB account: set ${name ?? 'the connection setting'} or COSMOS_ENDPOINT`);
  return { endpoint: env.COSMOS_ENDPOINT, key: env.COSMOS_KEY || EMULATOR_KEY };
}

const clients = new Map<string, CosmosClient>();

/** One client per account and host process; http endpoints are local, so no region discovery. */
export function clientFor(account: CosmosAccount): CosmosClient {
  const cacheKey = `${account.endpoint}|${account.key}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new CosmosClient({
      endpoint: account.endpoint,
      key: account.key,
      connectionPolicy: { enableEndpointDiscovery: !account.endpoint.startsWith('http://'), requestTimeout: 10_000 },
      // The usage meter (core/usage.ts) counts this client's queries as change-feed reads.
      userAgentSuffix: CHANGE_FEED_AGENT,
    });
    clients.set(cacheKey, client);
  }
  return client;
}
