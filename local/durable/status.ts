// The instance status JSON of the Durable HTTP API: the shape the library's
// DurableOrchestrationStatus accepts, times to the second with a Z like the extension's "s" format,
// and `historyEvents` in the extension's summarised form (scheduling merged into its completion).
import { EVENT_NAMES, EventType, parseJsonText, timestampOf, type HistoryEvent } from './history.js';
import type { InstanceRecord } from './store.js';

export interface StatusOptions {
  showInput: boolean;
  history?: HistoryEvent[];
  showHistoryOutput?: boolean;
}

export function toSeconds(iso: string): string {
  return iso.slice(0, 19) + 'Z';
}

export function statusJson(rec: InstanceRecord, o: StatusOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: rec.name,
    instanceId: rec.instanceId,
    runtimeStatus: rec.status,
    input: o.showInput ? parseJsonText(rec.input) : null,
    customStatus: parseJsonText(rec.customStatus),
    output: parseJsonText(rec.output),
    createdTime: toSeconds(rec.createdTime),
    lastUpdatedTime: toSeconds(rec.lastUpdatedTime),
  };
  if (o.history) out.historyEvents = historyEvents(o.history, Boolean(o.showHistoryOutput));
  return out;
}

const HIDDEN = new Set([EventType.OrchestratorStarted, EventType.OrchestratorCompleted]);
const COMPLETIONS = new Set([
  EventType.TaskCompleted,
  EventType.TaskFailed,
  EventType.SubOrchestrationInstanceCompleted,
  EventType.SubOrchestrationInstanceFailed,
]);

export function historyEvents(history: HistoryEvent[], withOutput: boolean): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  const completedIds = new Set<number>();
  for (const e of history) {
    if (e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated)
      scheduled.set(e.EventId, e);
    if (COMPLETIONS.has(e.EventType)) completedIds.add(e.TaskScheduledId!);
  }
  const out: Record<string, unknown>[] = [];
  for (const e of history) {
    if (HIDDEN.has(e.EventType)) continue;
    const isScheduling =
      e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated;
    if (isScheduling && completedIds.has(e.EventId)) continue;
    const item: Record<string, unknown> = {
      EventType: EVENT_NAMES[e.EventType] ?? String(e.EventType),
      EventId: e.EventId,
      Timestamp: timestampOf(e),
    };
    if (e.Name !== undefined) item[e.EventType === EventType.EventRaised ? 'Name' : 'FunctionName'] = e.Name;
    if (e.InstanceId !== undefined) item.InstanceId = e.InstanceId;
    if (e.FireAt !== undefined) item.FireAt = e.FireAt;
    if (e.TimerId !== undefined) item.TimerId = e.TimerId;
    if (e.OrchestrationStatus !== undefined) item.OrchestrationStatus = e.OrchestrationStatus;
    if (e.Reason !== undefined) item.Reason = e.Reason;
    if (e.Details !== undefined) item.Details = e.Details;
    if (COMPLETIONS.has(e.EventType)) {
      const s = scheduled.get(e.TaskScheduledId!);
      item.TaskScheduledId = e.TaskScheduledId;
      if (s) Object.assign(item, { FunctionName: s.Name, ScheduledTime: timestampOf(s) });
    }
    const inputBearing =
      e.EventType === EventType.ExecutionStarted ||
      e.EventType === EventType.EventRaised ||
      e.EventType === EventType.ExecutionTerminated ||
      isScheduling;
    if (inputBearing && e.Input !== undefined) item.Input = parseJsonText(e.Input);
    if (withOutput && e.Result !== undefined) item.Result = parseJsonText(e.Result);
    out.push(item);
  }
  return out;
}
