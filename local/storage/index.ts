// The storage bindings an app gets from its storage account (local/README.md, Plugins), played
// against that account — the host's Azurite unless a `connection` setting points elsewhere —
// through the real storage SDKs: `queueTrigger` pumps (queue-trigger.ts), `blobTrigger` scanners
// with blob receipts (blob-trigger.ts), and the `blob`, `queue` and `table` inputs and outputs
// (bindings.ts). Settings: host.json `extensions.queues` (settings.ts); `AzureFunctionsWebHost__hostid`
// names the host in blob receipts (default: the app folder's name).
import { basename } from 'node:path';
import type { HostPlugin } from '../core/plugin.js';
import type { RegisteredFunction } from '../core/registry.js';
import { resolvePlaceholders } from '../core/placeholders.js';
import { StorageBindings } from './bindings.js';
import { BLOB_POISON_QUEUE, BlobScanner, RECEIPTS_CONTAINER, blobPattern } from './blob-trigger.js';
import { blobService, queueService, storageConnection } from './connection.js';
import { QueuePump } from './queue-trigger.js';
import { queueSettings } from './settings.js';
import { storageBindingProblem } from './validate.js';

export const storagePlugin: HostPlugin = {
  name: 'storage',
  triggers: ['queueTrigger', 'blobTrigger'],
  async start(host) {
    const settings = queueSettings(host.hostJson);
    // A function whose storage binding the real host could not index stops start-up, named.
    for (const fn of host.registry.functions.values()) {
      const problem = storageBindingProblem(fn, host.env);
      if (problem) throw new Error(problem);
    }
    const option = (fn: RegisteredFunction, key: string) =>
      resolvePlaceholders(String((fn.trigger[key] as string | undefined) ?? ''), host.env);
    const connection = (fn: RegisteredFunction) => {
      try {
        return storageConnection(fn.trigger.connection, host.env, host.storageConnectionString);
      } catch (err) {
        throw new Error(`Function '${fn.name}': ${(err as Error).message}`);
      }
    };

    const pumps = host.registry.byTriggerType('queueTrigger').map((fn) => {
      const name = option(fn, 'queueName');
      const service = queueService(connection(fn));
      host.announce(`Storage queue trigger ${fn.name}: queue ${name}`);
      return new QueuePump(host, fn, service.getQueueClient(name), service.getQueueClient(`${name}-poison`), settings);
    });

    const hostId = (host.env.AzureFunctionsWebHost__hostid || basename(host.appRoot))
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 32);
    const scanners = host.registry.byTriggerType('blobTrigger').map((fn) => {
      const path = option(fn, 'path');
      let pattern;
      try {
        pattern = blobPattern(path);
      } catch (err) {
        throw new Error(`Function '${fn.name}': blobTrigger option 'path': ${(err as Error).message}`);
      }
      if (fn.trigger.source === 'EventGrid')
        host.log.warn(`Function '${fn.name}': blob trigger source EventGrid is played by scanning the container`);
      const cs = connection(fn);
      host.announce(`Storage blob trigger ${fn.name}: ${path}`);
      return new BlobScanner(
        host,
        fn,
        blobService(cs).getContainerClient(pattern.container),
        pattern,
        blobService(cs).getContainerClient(RECEIPTS_CONTAINER),
        queueService(cs).getQueueClient(BLOB_POISON_QUEUE),
        hostId,
        settings.maxDequeueCount,
      );
    });

    new StorageBindings(host, settings, {
      queueWritten: (url) => pumps.filter((p) => p.queue.url === url).forEach((p) => p.wake()),
      blobWritten: (url) => scanners.filter((s) => s.container.url === url).forEach((s) => s.wake()),
    }).register();
    for (const p of pumps) p.start();
    for (const s of scanners) s.start();
    return {
      stop: async () => void (await Promise.all([...pumps, ...scanners].map((x) => x.stop()))),
    };
  },
};
