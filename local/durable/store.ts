// Durable state in Azurite, laid out like the Azure Storage provider: `<hub>Instances` (one row per
// instance: what status queries read) and `<hub>History` (partition per instance: the history
// events, plus inbox rows for events accepted but not yet replayed). Keeping the inbox in the
// instance's own partition is the point: an episode appends its events and deletes the inbox row it
// consumed in ONE entity-group transaction, so an event is in history exactly once.
//
// An episode's events share one history row (`es`, a JSON array) while they fit one property, keyed
// by the sequence number of the first: one write per episode, and a plain upsert when no inbox row
// goes with it. Each entity-group transaction costs the SDK a new client pipeline and a sub-request
// per operation; that was ~10% of the host's CPU in bench/booking. Rows of one event (`e`) are the
// older layout, still read.
import { odata, TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { HistoryEvent } from './history.js';

export type RuntimeStatus =
  'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Pending' | 'Suspended';
export const TERMINAL: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);
export const RUNTIME_STATUSES: readonly RuntimeStatus[] = [
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Pending',
  'Suspended',
];

export interface InstanceRecord {
  instanceId: string;
  name: string;
  executionId: string;
  status: RuntimeStatus;
  /** JSON texts, as the extension keeps them. */
  input: string | null;
  output: string | null;
  customStatus: string | null;
  createdTime: string;
  lastUpdatedTime: string;
  parentInstanceId?: string;
  parentExecutionId?: string;
  parentTaskId?: number;
  /** The orchestration's span (core/tracing.ts) when telemetry is on: its activities' parent. */
  traceParent?: string;
}

export interface InboxRow {
  rowKey: string;
  event: HistoryEvent;
}

export interface Partition {
  /** Events of the given execution, in order. */
  history: HistoryEvent[];
  /** Row keys holding them. */
  rows: string[];
  inbox: InboxRow[];
  /** Row keys of older executions, left behind by continueAsNew or restart. */
  stale: string[];
}

export interface ListFilter {
  runtimeStatus?: RuntimeStatus[];
  createdTimeFrom?: string;
  createdTimeTo?: string;
  instanceIdPrefix?: string;
}

const INBOX = '~inbox.';
const MAX_BATCH = 100;
/** Characters of event JSON per history row: a string property holds 64 KiB, i.e. 32K UTF-16 units. */
const MAX_ROW_TEXT = 30_000;

export class DurableStore {
  readonly instances: TableClient;
  readonly history: TableClient;

  constructor(
    connectionString: string,
    readonly hub: string,
  ) {
    if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hub))
      throw new Error(
        `Task hub name "${hub}" is invalid: use 3-45 letters and digits, starting with a letter (as Azure Storage requires).`,
      );
    const options = { allowInsecureConnection: true };
    this.instances = TableClient.fromConnectionString(connectionString, `${hub}Instances`, options);
    this.history = TableClient.fromConnectionString(connectionString, `${hub}History`, options);
  }

  async init(): Promise<void> {
    await Promise.all([this.instances.createTable(), this.history.createTable()]);
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    try {
      return fromRow(await this.instances.getEntity<Record<string, unknown>>(id, ''));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Writes the row of a new instance; false when a row with that id is already there. */
  async createInstance(r: InstanceRecord): Promise<boolean> {
    try {
      await this.instances.createEntity(toRow(r));
      return true;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 409) return false;
      throw err;
    }
  }

  async putInstance(r: InstanceRecord): Promise<void> {
    await this.instances.upsertEntity(toRow(r), 'Replace');
  }

  /** One page of instances; the token is the table's own continuation, passed through opaquely. */
  async listInstances(
    filter: ListFilter,
    top: number,
    token?: string,
  ): Promise<{ items: InstanceRecord[]; token?: string }> {
    const clauses: string[] = [];
    if (filter.runtimeStatus?.length)
      clauses.push('(' + filter.runtimeStatus.map((s) => odata`RuntimeStatus eq ${s}`).join(' or ') + ')');
    if (filter.createdTimeFrom) clauses.push(odata`CreatedTime ge ${filter.createdTimeFrom}`);
    if (filter.createdTimeTo) clauses.push(odata`CreatedTime le ${filter.createdTimeTo}`);
    if (filter.instanceIdPrefix)
      clauses.push(
        odata`PartitionKey ge ${filter.instanceIdPrefix} and PartitionKey lt ${filter.instanceIdPrefix + '\uffff'}`,
      );
    const pages = this.instances
      .listEntities<Record<string, unknown>>({ queryOptions: clauses.length ? { filter: clauses.join(' and ') } : {} })
      .byPage({ maxPageSize: top, continuationToken: token || undefined });
    const page = await pages.next();
    if (page.done || !page.value) return { items: [] };
    return { items: page.value.map(fromRow), token: page.value.continuationToken };
  }

  async loadPartition(id: string, executionId: string): Promise<Partition> {
    const part: Partition = { history: [], rows: [], inbox: [], stale: [] };
    const prefix = `${executionId}.`;
    for await (const row of this.history.listEntities<{ e?: string; es?: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${id}` },
    })) {
      const key = row.rowKey!;
      if (key.startsWith(INBOX)) part.inbox.push({ rowKey: key, event: JSON.parse(row.e!) as HistoryEvent });
      else if (key.startsWith(prefix)) {
        part.rows.push(key);
        if (row.es !== undefined) part.history.push(...(JSON.parse(row.es) as HistoryEvent[]));
        else part.history.push(JSON.parse(row.e!) as HistoryEvent);
      } else part.stale.push(key);
    }
    return part;
  }

  /**
   * Appends the events (numbered from `from`) and deletes consumed inbox rows, atomically when it
   * fits one batch. Returns the keys of the history rows written.
   */
  async commit(
    id: string,
    executionId: string,
    from: number,
    events: HistoryEvent[],
    consumedInbox: string[] = [],
  ): Promise<string[]> {
    const rows = historyRows(id, executionId, from, events);
    if (rows.length === 1 && consumedInbox.length === 0) {
      await this.history.upsertEntity(rows[0]!, 'Replace');
      return [rows[0]!.rowKey];
    }
    const actions: TransactionAction[] = rows.map((row) => ['upsert', row, 'Replace']);
    for (const rowKey of consumedInbox) actions.push(['delete', { partitionKey: id, rowKey }]);
    // Over 100 operations cannot be one transaction; events go first, so a crash between chunks
    // leaves the inbox row behind, which recovery recognises by its key in `_x.inbox`.
    for (let i = 0; i < actions.length; i += MAX_BATCH)
      await this.history.submitTransaction(actions.slice(i, i + MAX_BATCH));
    return rows.map((r) => r.rowKey);
  }

  async addInbox(id: string, event: HistoryEvent): Promise<string> {
    const rowKey = `${INBOX}${Date.now().toString().padStart(15, '0')}.${Math.random().toString(36).slice(2, 10)}`;
    event._x = { ...event._x, inbox: rowKey };
    await this.history.createEntity({ partitionKey: id, rowKey, e: JSON.stringify(event) });
    return rowKey;
  }

  async deleteRows(id: string, rowKeys: string[]): Promise<void> {
    for (let i = 0; i < rowKeys.length; i += MAX_BATCH) {
      await this.history.submitTransaction(
        rowKeys.slice(i, i + MAX_BATCH).map((rowKey): TransactionAction => ['delete', { partitionKey: id, rowKey }]),
      );
    }
  }

  /** Deletes the instance row and its whole history partition. */
  async purge(id: string): Promise<void> {
    const keys: string[] = [];
    for await (const row of this.history.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${id}`, select: ['RowKey'] },
    }))
      keys.push(row.rowKey!);
    await this.deleteRows(id, keys);
    await this.instances.deleteEntity(id, '').catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
  }
}

export function historyKey(executionId: string, seq: number): string {
  return `${executionId}.${seq.toString().padStart(8, '0')}`;
}

type HistoryRow = { partitionKey: string; rowKey: string; e?: string; es?: string };

/** Packs consecutive events into rows of at most MAX_ROW_TEXT characters (a larger event gets a row of its own). */
function historyRows(id: string, executionId: string, from: number, events: HistoryEvent[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let group: string[] = [];
  let start = from;
  let size = 0;
  const flush = () => {
    if (!group.length) return;
    const rowKey = historyKey(executionId, start);
    rows.push(
      group.length === 1
        ? { partitionKey: id, rowKey, e: group[0] }
        : { partitionKey: id, rowKey, es: `[${group.join(',')}]` },
    );
    start += group.length;
    group = [];
    size = 0;
  };
  for (const e of events) {
    const text = JSON.stringify(e);
    if (group.length && size + text.length + 1 > MAX_ROW_TEXT) flush();
    group.push(text);
    size += text.length + 1;
  }
  flush();
  return rows;
}

function toRow(r: InstanceRecord): TableEntity<Record<string, unknown>> {
  return {
    partitionKey: r.instanceId,
    rowKey: '',
    Name: r.name,
    ExecutionId: r.executionId,
    RuntimeStatus: r.status,
    Input: r.input ?? undefined,
    Output: r.output ?? undefined,
    CustomStatus: r.customStatus ?? undefined,
    CreatedTime: r.createdTime,
    LastUpdatedTime: r.lastUpdatedTime,
    ParentInstanceId: r.parentInstanceId,
    ParentExecutionId: r.parentExecutionId,
    ParentTaskId: r.parentTaskId,
    TraceParent: r.traceParent,
  };
}

function fromRow(row: Record<string, unknown>): InstanceRecord {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    instanceId: String(row.partitionKey),
    name: String(row.Name),
    executionId: String(row.ExecutionId),
    status: row.RuntimeStatus as RuntimeStatus,
    input: str(row.Input),
    output: str(row.Output),
    customStatus: str(row.CustomStatus),
    createdTime: String(row.CreatedTime),
    lastUpdatedTime: String(row.LastUpdatedTime),
    parentInstanceId: str(row.ParentInstanceId) ?? undefined,
    parentExecutionId: str(row.ParentExecutionId) ?? undefined,
    parentTaskId: typeof row.ParentTaskId === 'number' ? row.ParentTaskId : undefined,
    traceParent: str(row.TraceParent) ?? undefined,
  };
}
