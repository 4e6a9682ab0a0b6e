// Azurite (blob, queue, table) as a child process: on disk in the data folder (or
// MARQUEE_AZURITE_LOCATION), in memory without one. Telemetry off, or it keeps calling Application
// Insights. Azurite writes its files every 5 s and when it stops: a host that is killed makes it
// stop (child.ts), so only a kill of Azurite itself can lose its last seconds.
import { assertPortFree } from './ports.js';
import { resolveBin, startChild, type ChildService } from './child.js';

export interface AzuriteOptions {
  host: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** Folder for on-disk persistence; in memory when absent. */
  location?: string;
  /** Restart Azurite (on the same ports) when it dies, telling this about it. */
  onRestart?: (line: string) => void;
}

export interface Azurite {
  connectionString: string;
  ports: { blob: number; queue: number; table: number };
  stop(): Promise<void>;
}

/** The well-known development account Azurite serves (public, documented by Microsoft). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function storageConnectionString(host: string, ports: { blob: number; queue: number; table: number }): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `BlobEndpoint=http://${host}:${ports.blob}/${DEV_ACCOUNT};QueueEndpoint=http://${host}:${ports.queue}/${DEV_ACCOUNT};` +
    `TableEndpoint=http://${host}:${ports.table}/${DEV_ACCOUNT};`
  );
}

export async function startAzurite(options: AzuriteOptions): Promise<Azurite> {
  await assertPortFree(options.blobPort, options.host, 'MARQUEE_AZURITE_BLOB_PORT');
  await assertPortFree(options.queuePort, options.host, 'MARQUEE_AZURITE_QUEUE_PORT');
  await assertPortFree(options.tablePort, options.host, 'MARQUEE_AZURITE_TABLE_PORT');
  const args = [
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--loose',
    '--silent',
    '--blobHost',
    options.host,
    '--queueHost',
    options.host,
    '--tableHost',
    options.host,
    '--blobPort',
    String(options.blobPort),
    '--queuePort',
    String(options.queuePort),
    '--tablePort',
    String(options.tablePort),
  ];
  if (options.location) args.push('--location', options.location);
  else args.push('--inMemoryPersistence');
  const child: ChildService = await startChild({
    name: 'Azurite',
    script: resolveBin('azurite/dist/src/azurite.js'),
    args,
    cwd: options.location,
    ready: [
      /Blob service is successfully listening at \S+:(\d+)/,
      /Queue service is successfully listening at \S+:(\d+)/,
      /Table service is successfully listening at \S+:(\d+)/,
    ],
    onRestart: options.onRestart,
    restartArgs: (ready) => {
      const bound = (kind: string) => ready.find((m) => m[0].includes(kind))![1]!;
      const again = [...args];
      for (const kind of ['Blob', 'Queue', 'Table'])
        again[again.indexOf(`--${kind.toLowerCase()}Port`) + 1] = bound(kind);
      return again;
    },
  });
  const port = (kind: string) => Number(child.readyMatches.find((m) => m[0].includes(kind))![1]);
  const ports = { blob: port('Blob'), queue: port('Queue'), table: port('Table') };
  return { connectionString: storageConnectionString(options.host, ports), ports, stop: child.stop };
}
