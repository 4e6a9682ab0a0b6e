// The Cosmos DB trigger (local/README.md, What each plugin follows), emulated by polling: the embedded
// Cosmos server has no change feed, so each `cosmosDBTrigger` gets a FeedPoller that queries its
// container by `_ts`/`_etag` (change-tracker.ts) and checkpoints into a lease container
// (lease-store.ts). It works the same against the official emulator or a real account.
//
// Binding options honoured: connection, databaseName, containerName, leaseConnection,
// leaseDatabaseName, leaseContainerName, leaseContainerPrefix, createLeaseContainerIfNotExists,
// maxItemsPerInvocation, feedPollDelay (default 5000 ms), startFromBeginning, startFromTime.
// Settings: MARQUEE_LEASE_PREFIX (lease id prefix, default `local`), COSMOS_ENDPOINT / COSMOS_KEY.
import { parseLocalConfig } from '../config.js';
import type { HostPlugin } from '../core/plugin.js';
import { resolvePlaceholders } from '../core/placeholders.js';
import { accountFor, clientFor } from './connection.js';
import { FeedPoller } from './feed-poller.js';
import { LeaseStore } from './lease-store.js';

export const changeFeedPlugin: HostPlugin = {
  name: 'change-feed',
  triggers: ['cosmosDBTrigger'],
  async start(host) {
    const { MARQUEE_LEASE_PREFIX: hostPrefix } = parseLocalConfig(host.env);
    const pollers: FeedPoller[] = [];
    for (const fn of host.registry.byTriggerType('cosmosDBTrigger')) {
      const t = fn.trigger;
      const text = (key: string): string | undefined => {
        const raw = t[key];
        if (typeof raw !== 'string' || raw === '') return undefined;
        try {
          return resolvePlaceholders(raw, host.env);
        } catch (err) {
          throw new Error(`cosmosDBTrigger "${fn.name}": ${key} "${raw}": ${(err as Error).message}`);
        }
      };
      const database = text('databaseName');
      const container = text('containerName');
      if (!database || !container)
        throw new Error(`cosmosDBTrigger "${fn.name}" needs databaseName and containerName.`);
      let monitoredClient, leaseClient;
      try {
        monitoredClient = clientFor(accountFor(t.connection, host.env));
        leaseClient = t.leaseConnection ? clientFor(accountFor(t.leaseConnection, host.env)) : monitoredClient;
      } catch (err) {
        throw new Error(`cosmosDBTrigger "${fn.name}": ${(err as Error).message}`);
      }
      const leaseDatabase = text('leaseDatabaseName') ?? database;
      const leaseContainer = text('leaseContainerName') ?? 'leases';
      const leaseId = LeaseStore.leaseId(text('leaseContainerPrefix') ?? '', hostPrefix, database, container, fn.name);
      const maxItems = Number(t.maxItemsPerInvocation);
      const delay = Number(t.feedPollDelay);
      pollers.push(
        new FeedPoller(host, fn, {
          monitored: monitoredClient.database(database).container(container),
          monitoredName: `${database}/${container}`,
          leases: new LeaseStore(
            leaseClient,
            leaseDatabase,
            leaseContainer,
            t.createLeaseContainerIfNotExists === true,
            leaseId,
          ),
          // The real default is "as many as the feed returns" (a page); 100 is the SDK's page size.
          maxItemsPerInvocation: Number.isInteger(maxItems) && maxItems > 0 ? maxItems : 100,
          feedPollDelayMs: Number.isFinite(delay) && delay >= 0 ? delay : 5000,
          startFromBeginning: t.startFromBeginning === true,
          startFromTime: text('startFromTime'),
        }),
      );
      host.announce(
        `Cosmos DB trigger ${fn.name}: ${database}/${container}, leases in ${leaseDatabase}/${leaseContainer} (${leaseId})`,
      );
    }
    for (const p of pollers) p.start();
    return { stop: async () => void (await Promise.all(pollers.map((p) => p.stop()))) };
  },
};

export { advance, initialWatermark, pendingChanges, type FeedDocument, type Watermark } from './change-tracker.js';
export { parseConnectionString } from './connection.js';
