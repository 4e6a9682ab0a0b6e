// One `blobTrigger` function's container scanner, as the Storage Blobs extension's polling
// (`source: LogsAndContainerScan`) behaves on a storage account without logs:
// - at start and then on a delay doubling from 500 ms up to 10 s while nothing is new, it lists the
//   container (by the path's literal prefix) and matches each blob against the path pattern, whose
//   `{names}` become binding data (`{name}`) and trigger metadata;
// - a blob is processed once per ETag: after a success the extension's blob receipt is written to
//   Azurite, container `azure-webjobs-hosts`, `blobreceipts/<host id>/Host.Functions.<function>/
//   <etag>/<container>/<blob>` (metadata Completed=true), so a restart does not run it again and
//   a changed blob (new ETag) runs once more;
// - a failing blob is tried again on the next scans, up to host.json `extensions.queues.
//   maxDequeueCount` (5) times; then a message naming it goes to the queue
//   `webjobs-blobtrigger-poison` and its receipt is written, as the extension does;
// - the blobs of one scan run one after another, in listing order; a blob this host writes
//   through an output binding to the container wakes the scanner at once.
import type { BlobItem, ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import type { HostContext } from '../core/plugin.js';
import type { RegisteredFunction } from '../core/registry.js';
import { Poller } from './poller.js';

export const RECEIPTS_CONTAINER = 'azure-webjobs-hosts';
export const BLOB_POISON_QUEUE = 'webjobs-blobtrigger-poison';

export interface BlobPattern {
  container: string;
  /** The literal start of the blob name, listed by prefix. */
  prefix: string;
  match(blobName: string): Record<string, string> | undefined;
}

/** `container/prefix-{name}.txt` → a matcher whose groups are the `{names}`. */
export function blobPattern(path: string): BlobPattern {
  const slash = path.indexOf('/');
  const container = slash < 0 ? path : path.slice(0, slash);
  const rest = slash < 0 ? '' : path.slice(slash + 1);
  if (!container || container.includes('{'))
    throw new Error(`path "${path}" must start with a container name (container/{name})`);
  const names: string[] = [];
  const source = rest.replace(/\{([^{}]+)\}|[^{}]+/g, (part, name?: string) => {
    if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(name);
    return '([\\s\\S]+?)';
  });
  const regex = new RegExp(`^${source}${rest ? '' : '[\\s\\S]+'}$`);
  const brace = rest.indexOf('{');
  return {
    container,
    prefix: brace < 0 ? rest : rest.slice(0, brace),
    match(blobName) {
      const m = regex.exec(blobName);
      if (!m) return undefined;
      return Object.fromEntries(names.map((n, i) => [n, m[i + 1]!]));
    },
  };
}

export class BlobScanner extends Poller {
  private readonly failures = new Map<string, number>();
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly host: HostContext,
    private readonly fn: RegisteredFunction,
    readonly container: ContainerClient,
    private readonly pattern: BlobPattern,
    private readonly receipts: ContainerClient,
    private readonly poison: QueueClient,
    private readonly hostId: string,
    private readonly maxDequeueCount: number,
  ) {
    super(500, 10_000);
  }

  /** One scan of the container; answers how many blobs it ran. */
  protected async poll(): Promise<number> {
    let ran = 0;
    try {
      this.ready ??= Promise.all([this.receipts.createIfNotExists(), this.poison.createIfNotExists()]);
      await this.ready;
      const listing = this.container.listBlobsFlat({ prefix: this.pattern.prefix, includeMetadata: true });
      for await (const blob of listing) {
        if (this.stopped) break;
        const names = this.pattern.match(blob.name);
        if (names && (await this.process(blob, names))) ran++;
      }
    } catch (err) {
      this.ready = undefined;
      if ((err as { statusCode?: number }).statusCode !== 404 && !this.stopped)
        this.host.log.warn('Blob trigger %s: scan failed: %s', this.fn.name, (err as Error).message);
    }
    return ran;
  }

  private receiptName(blob: BlobItem): string {
    return `blobreceipts/${this.hostId}/Host.Functions.${this.fn.name}/${blob.properties.etag}/${this.container.containerName}/${blob.name}`;
  }

  /** Runs the function on a blob without a receipt; true when it ran. */
  private async process(blob: BlobItem, names: Record<string, string>): Promise<boolean> {
    const receipt = this.receipts.getBlockBlobClient(this.receiptName(blob));
    if (await receipt.exists()) return false;
    const client = this.container.getBlockBlobClient(blob.name);
    let content: Buffer;
    try {
      content = await client.downloadToBuffer();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return false; // deleted since listed
      throw err;
    }
    const path = `${this.container.containerName}/${blob.name}`;
    const key = `${blob.name}|${blob.properties.etag}`;
    try {
      await this.host.invoker.invoke(
        this.fn,
        this.fn.trigger.dataType === 'string' ? content.toString('utf8') : content,
        {
          triggerMetadata: {
            ...names,
            blobTrigger: path,
            uri: client.url,
            properties: { ...blob.properties, length: blob.properties.contentLength },
            metadata: blob.metadata ?? {},
          },
          logDetail: `blob ${path}`,
        },
      );
    } catch {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      if (failures < this.maxDequeueCount) return true; // tried again on the next scan
      this.host.log.warn(
        "Blob trigger %s: blob '%s' failed %d times; moving a message naming it to queue '%s'",
        this.fn.name,
        path,
        failures,
        BLOB_POISON_QUEUE,
      );
      const message = {
        Type: 'BlobTrigger',
        FunctionId: `Host.Functions.${this.fn.name}`,
        BlobType: 'BlockBlob',
        ContainerName: this.container.containerName,
        BlobName: blob.name,
        ETag: blob.properties.etag,
      };
      await this.poison.sendMessage(Buffer.from(JSON.stringify(message)).toString('base64'));
    }
    this.failures.delete(key);
    await receipt.upload('', 0, { metadata: { Completed: 'true' } });
    return true;
  }
}
