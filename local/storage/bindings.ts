// The storage input and output bindings, through the real storage SDKs against the binding's
// account (connection.ts), with binding expressions resolved per invocation (expressions.ts):
// - `blob` in: the blob's bytes as a Buffer (a string with `dataType: 'string'`), undefined when
//   it does not exist; `blob` out: a string, Buffer/typed array, or anything else as JSON, into a
//   container created when missing;
// - `queue` out: one message, or one per element of an array (objects as JSON), in the queue
//   encoding (base64 by default), into a queue created when missing;
// - `table` in: one entity by `partitionKey` + `rowKey` (undefined when missing), or the entities
//   of a query (`partitionKey` and/or an OData `filter`, at most `take`); entities are JSON with
//   PartitionKey, RowKey, Timestamp and their properties; `table` out: one entity or an array, each
//   added (an existing PartitionKey + RowKey fails the invocation: the binding only creates).
import { odata, type TableEntity, type TableEntityResult } from '@azure/data-tables';
import type { HostContext } from '../core/plugin.js';
import type { Binding } from '../core/registry.js';
import { blobService, queueService, storageConnection, tableClient } from './connection.js';
import { bindingData, resolveExpression, type BindingData } from './expressions.js';
import type { QueueSettings } from './settings.js';

type Trigger = { value: unknown; metadata?: Record<string, unknown> } | undefined;

export class StorageBindings {
  private readonly created = new Map<string, Promise<unknown>>();

  constructor(
    private readonly host: HostContext,
    private readonly settings: QueueSettings,
    /** Told about what this host writes (by queue or container URL), so a trigger on it runs at once. */
    private readonly written: { queueWritten(url: string): void; blobWritten(url: string): void },
  ) {}

  register(): void {
    const { invoker } = this.host;
    invoker.provideInput('blob', (b, _fn, o, value) => this.readBlob(b, bindingData(value, o.triggerMetadata)));
    invoker.provideInput('table', (b, _fn, o, value) => this.readTable(b, bindingData(value, o.triggerMetadata)));
    invoker.handleOutput('blob', (b, value, _fn, _tp, t) => this.writeBlob(b, value, dataOf(t)));
    invoker.handleOutput('queue', (b, value, _fn, _tp, t) => this.writeQueue(b, value, dataOf(t)));
    invoker.handleOutput('table', (b, value, _fn, _tp, t) => this.writeTable(b, value, dataOf(t)));
  }

  private connection(binding: Binding): string {
    return storageConnection(binding.connection, this.host.env, this.host.storageConnectionString);
  }

  private option(binding: Binding, key: string, data: BindingData): string | undefined {
    const raw = binding[key];
    if (raw === undefined || raw === null || raw === '') return undefined;
    return resolveExpression(String(raw as string), data, this.host.env);
  }

  private once(key: string, create: () => Promise<unknown>): Promise<unknown> {
    let p = this.created.get(key);
    if (!p) {
      p = create();
      p.catch(() => this.created.delete(key));
      this.created.set(key, p);
    }
    return p;
  }

  private blobClient(binding: Binding, data: BindingData) {
    const path = this.option(binding, 'path', data) ?? '';
    const slash = path.indexOf('/');
    if (slash <= 0 || slash === path.length - 1)
      throw new Error(`blob binding '${binding.name}': path "${path}" is not <container>/<blob>`);
    const cs = this.connection(binding);
    const container = blobService(cs).getContainerClient(path.slice(0, slash));
    return { cs, container, blob: container.getBlockBlobClient(path.slice(slash + 1)) };
  }

  private async readBlob(binding: Binding, data: BindingData): Promise<unknown> {
    const { blob } = this.blobClient(binding, data);
    try {
      const bytes = await blob.downloadToBuffer();
      return binding.dataType === 'string' ? bytes.toString('utf8') : bytes;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  private async writeBlob(binding: Binding, value: unknown, data: BindingData): Promise<void> {
    const { cs, container, blob } = this.blobClient(binding, data);
    await this.once(`blob|${cs}|${container.containerName}`, () => container.createIfNotExists());
    const bytes = toBytes(value);
    await blob.upload(bytes, bytes.length);
    this.written.blobWritten(container.url);
  }

  private async writeQueue(binding: Binding, value: unknown, data: BindingData): Promise<void> {
    const name = this.option(binding, 'queueName', data) ?? '';
    const cs = this.connection(binding);
    const queue = queueService(cs).getQueueClient(name);
    await this.once(`queue|${cs}|${name}`, () => queue.createIfNotExists());
    for (const one of Array.isArray(value) ? value : [value]) {
      const text = toBytes(one);
      await queue.sendMessage(this.settings.encoding === 'base64' ? text.toString('base64') : text.toString('utf8'));
    }
    this.written.queueWritten(queue.url);
  }

  private async readTable(binding: Binding, data: BindingData): Promise<unknown> {
    const table = tableClient(this.connection(binding), this.option(binding, 'tableName', data) ?? '');
    const partitionKey = this.option(binding, 'partitionKey', data);
    const rowKey = this.option(binding, 'rowKey', data);
    try {
      if (partitionKey !== undefined && rowKey !== undefined)
        return toJson(await table.getEntity(partitionKey, rowKey));
      const filters = [
        partitionKey !== undefined ? odata`PartitionKey eq ${partitionKey}` : undefined,
        this.option(binding, 'filter', data),
      ].filter((f): f is string => Boolean(f));
      const take = typeof binding.take === 'number' && binding.take > 0 ? binding.take : Infinity;
      const found: unknown[] = [];
      const query = filters.length ? { filter: filters.map((f) => `(${f})`).join(' and ') } : {};
      for await (const entity of table.listEntities({ queryOptions: query })) {
        if (found.length >= take) break;
        found.push(toJson(entity));
      }
      return found;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return rowKey !== undefined ? undefined : [];
      throw err;
    }
  }

  private async writeTable(binding: Binding, value: unknown, data: BindingData): Promise<void> {
    const name = this.option(binding, 'tableName', data) ?? '';
    const cs = this.connection(binding);
    const table = tableClient(cs, name);
    await this.once(`table|${cs}|${name}`, () => table.createTable());
    const partitionKey = this.option(binding, 'partitionKey', data);
    const rowKey = this.option(binding, 'rowKey', data);
    for (const one of Array.isArray(value) ? value : [value]) {
      await table.createEntity(toEntity(binding.name, one, partitionKey, rowKey));
    }
  }
}

function dataOf(trigger: Trigger): BindingData {
  return bindingData(trigger?.value, trigger?.metadata);
}

function toBytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** An entity as the binding hands it to JavaScript: PascalCase keys, no etag or OData fields. */
function toJson(entity: TableEntityResult<Record<string, unknown>>): Record<string, unknown> {
  const { partitionKey, rowKey, timestamp, etag: _etag, ...rest } = entity;
  const props = Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('odata.')));
  return { PartitionKey: partitionKey, RowKey: rowKey, Timestamp: timestamp, ...props };
}

function toEntity(name: string, value: unknown, partitionKey?: string, rowKey?: string): TableEntity {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`table output '${name}': an entity must be an object`);
  const {
    PartitionKey = partitionKey,
    RowKey = rowKey,
    partitionKey: pk,
    rowKey: rk,
    ...props
  } = value as Record<string, unknown>;
  const entity: TableEntity = {
    partitionKey: String((PartitionKey ?? pk ?? '') as string),
    rowKey: String((RowKey ?? rk ?? '') as string),
  };
  if (!entity.partitionKey || !entity.rowKey)
    throw new Error(`table output '${name}': the entity has no PartitionKey or RowKey`);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'Timestamp' || k === 'ETag' || v === undefined) continue;
    // Table properties are scalars; the extension stores a nested object as its JSON.
    entity[k] = typeof v === 'object' && v !== null && !(v instanceof Date) ? JSON.stringify(v) : v;
  }
  return entity;
}
