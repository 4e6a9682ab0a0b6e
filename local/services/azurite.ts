// Azurite (blob, queue, table) as a child process: on disk in the data folder (or
// MARQUEE_AZURITE_LOCATION), in memory without one. Telemetry off, or it keeps calling Application
// Insights. Azurite writes its files every 5 s and when it stops: a host that is killed makes it
// stop (child.ts: it sees its stdin close, and its output to the dead host can no longer kill it
// before it has saved), and a host started on the same folder waits for that one to exit before it
// starts its own (the pid file), so SIGKILL of the host loses nothing Azurite acknowledged. Only a
// kill of Azurite itself (or of the machine) can lose its last 5 s.
import { join } from 'node:path';
import { assertPortFree } from './ports.js';
import { previousExited, resolveBin, startChild, type ChildService } from './child.js';

export interface AzuriteOptions {
  host: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** Folder for on-disk persistence; in memory when absent. */
  location?: string;
  /** Restart Azurite (on the same ports) when it dies, telling this about it. */
  onRestart?: (line: string) => void;
  /** Told when the start waits for the folder's previous Azurite to save and exit. */
  onWait?: (line: string) => void;
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
  const script = resolveBin('azurite/dist/src/azurite.js');
  const pidFile = options.location && join(options.location, 'azurite.pid');
  // Before the ports are checked: an orphan still saving may still hold them.
  await previousExited({ name: 'Azurite', script, pidFile, onWait: options.onWait });
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
    script,
    args,
    cwd: options.location,
    ready: [
      /Blob service is successfully listening at \S+:(\d+)/,
      /Queue service is successfully listening at \S+:(\d+)/,
      /Table service is successfully listening at \S+:(\d+)/,
    ],
    onRestart: options.onRestart,
    pidFile,
    onWait: options.onWait,
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
