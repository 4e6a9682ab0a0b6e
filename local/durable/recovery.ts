// Restart: every instance the table says is not finished is loaded from its history, its inbox
// rows not yet recorded become pending events, and every scheduled-but-unfinished task is redone:
// activities run again (at-least-once), timers re-arm (a due one fires at once, and the history
// dedupe makes it fire exactly once), children are found or started.
import { latestTimestamp, type Engine } from './engine.js';
import { EventType, parseJsonText } from './history.js';
import { Instance } from './instance.js';
import type { InstanceRecord, RuntimeStatus } from './store.js';

const UNFINISHED: RuntimeStatus[] = ['Pending', 'Running', 'ContinuedAsNew', 'Suspended'];

export async function recoverAll(engine: Engine): Promise<number> {
  const records: InstanceRecord[] = [];
  let token: string | undefined;
  do {
    const page = await engine.store.listInstances({ runtimeStatus: UNFINISHED }, 500, token);
    records.push(...page.items);
    token = page.token;
  } while (token);
  // Load everything before dispatching, so a parent looking for its child finds it live.
  const loaded: Instance[] = [];
  for (const rec of records) {
    const inst = await recoverOne(engine, rec);
    if (inst) loaded.push(inst);
  }
  for (const inst of loaded) {
    if (inst.closed) continue;
    engine.work.dispatch(inst, inst.outstanding());
    engine.kick(inst);
  }
  return records.length;
}

/** Loads one instance into memory; finishes the bookkeeping of one that ended just before a crash. */
export async function recoverOne(engine: Engine, rec: InstanceRecord): Promise<Instance | undefined> {
  const part = await engine.store.loadPartition(rec.instanceId, rec.executionId);
  const inst = new Instance(rec);
  inst.input = parseJsonText(rec.input);
  inst.rebuild(part.history);
  // The row is rewritten only when the status changes; the history has every episode's time.
  rec.lastUpdatedTime = latestTimestamp(part.history, rec.lastUpdatedTime);
  inst.rowKeys = part.rows;
  if (part.stale.length) void engine.store.deleteRows(rec.instanceId, part.stale).catch(() => undefined);
  const recorded = new Set(part.history.map((e) => e._x?.inbox).filter(Boolean));
  const done = part.inbox.filter((r) => recorded.has(r.rowKey)).map((r) => r.rowKey);
  if (done.length) void engine.store.deleteRows(rec.instanceId, done).catch(() => undefined);
  for (const row of part.inbox.sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1))) {
    if (!recorded.has(row.rowKey)) inst.pending.push({ event: row.event, inboxKey: row.rowKey });
  }
  engine.live.set(rec.instanceId, inst);

  // The history already ended but the instance row missed it: finish what the crash interrupted.
  const last = inst.lastEvent();
  if (last?.EventType === EventType.ExecutionCompleted) {
    const status = last.OrchestrationStatus;
    if (status === 'ContinuedAsNew') {
      await engine.continueAsNew(inst, parseJsonText(last.Result));
      return inst;
    }
    rec.status = (status as RuntimeStatus) ?? 'Failed';
    rec.output = last.Result ?? null;
    await engine.finish(inst);
    return undefined;
  }
  return inst;
}
