// Change feed of `inventory` → live seat maps (docs/architecture.md, Realtime; docs/realtime.md). Each batch of
// changed sections becomes one coalesced seat diff per show on group `show.<showId>` and a
// `holds` message to each holder whose own seats changed. The handler resolves only once Web
// PubSub accepted every message; a failure throws, and the retry policy redelivers the batch
// before the checkpoint moves (without a policy the trigger would skip it, on Azure as locally).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';

app.cosmosDB('inventory-changes', {
  connection: 'COSMOS',
  databaseName: '%COSMOS_DATABASE%',
  containerName: 'inventory',
  leaseContainerName: 'leases',
  // Declared in infra (cosmos.tf) for Azure; created on first use locally.
  createLeaseContainerIfNotExists: true,
  // Poll often: seat maps should move within a fraction of a second. Diffs are coalesced per show.
  feedPollDelay: 100,
  maxItemsPerInvocation: 200,
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 8, minimumInterval: 100, maximumInterval: 10_000 },
  handler: async (documents: unknown[]) => {
    await services().seatFanout.handle(documents);
  },
});
