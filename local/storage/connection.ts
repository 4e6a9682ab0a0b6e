// Which storage account a binding uses, as the Storage extensions find it: the binding's
// `connection` names an app setting (default `AzureWebJobsStorage`; `AzureWebJobs<name>` is tried
// too) holding a connection string. `UseDevelopmentStorage=true` means the host's Azurite (the host
// replaced AzureWebJobsStorage's own `UseDevelopmentStorage=true` with Azurite's endpoints).
// Identity-based connections (`<name>__serviceUri`) need an Azure credential: refused, by name.
// One SDK client per account and service, for the host's life.
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';

export function storageConnection(connection: unknown, env: NodeJS.ProcessEnv, hostStorage: string): string {
  const name = typeof connection === 'string' && connection ? connection : 'AzureWebJobsStorage';
  const value = env[name] || env[`AzureWebJobs${name}`];
  if (!value) {
    const identity = Object.keys(env).find((k) => k.toLowerCase().startsWith(`${name.toLowerCase()}__`));
    throw new Error(
      identity
        ? `connection "${name}" is identity-based (${identity}), which the local host does not play; set ${name} to a connection string or UseDevelopmentStorage=true`
        : `connection setting "${name}" is not set`,
    );
  }
  return /^\s*UseDevelopmentStorage=true\s*;?\s*$/i.test(value) ? hostStorage : value;
}

const queueClients = new Map<string, QueueServiceClient>();
const blobClients = new Map<string, BlobServiceClient>();

export function queueService(connectionString: string): QueueServiceClient {
  let client = queueClients.get(connectionString);
  if (!client) queueClients.set(connectionString, (client = QueueServiceClient.fromConnectionString(connectionString)));
  return client;
}

export function blobService(connectionString: string): BlobServiceClient {
  let client = blobClients.get(connectionString);
  if (!client) blobClients.set(connectionString, (client = BlobServiceClient.fromConnectionString(connectionString)));
  return client;
}

export function tableClient(connectionString: string, table: string): TableClient {
  // Azurite serves http; the SDK refuses a shared key over http unless told.
  return TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true });
}
