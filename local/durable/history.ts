// History events as the `durable-functions` replay engine reads them. The
// host is the extension here: it writes these records, stores them, and replays them in order.
// Host-only bookkeeping rides in `_x` on the same record so that the history table alone is enough
// to rebuild an instance after a crash (no second source of truth to keep in step).

export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  GenericEvent = 17,
  HistoryState = 18,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

export const EVENT_NAMES = [
  'ExecutionStarted',
  'ExecutionCompleted',
  'ExecutionFailed',
  'ExecutionTerminated',
  'TaskScheduled',
  'TaskCompleted',
  'TaskFailed',
  'SubOrchestrationInstanceCreated',
  'SubOrchestrationInstanceCompleted',
  'SubOrchestrationInstanceFailed',
  'TimerCreated',
  'TimerFired',
  'OrchestratorStarted',
  'OrchestratorCompleted',
  'EventSent',
  'EventRaised',
  'ContinueAsNew',
  'GenericEvent',
  'HistoryState',
  'ExecutionSuspended',
  'ExecutionResumed',
] as const;

/** Retry options exactly as the library puts them on a *WithRetry action. */
export interface RetryPolicy {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/**
 * Host bookkeeping. `leaf` links a scheduling event to the action-list position that produced it
 * (the determinism check and crash recovery need that link); `root` ties retry attempts and
 * sub-timers to the task they serve; `inbox` names the stored inbox row an event came from, so a
 * row that survived a crash after its event was committed is recognised and not delivered twice.
 */
export interface Bookkeeping {
  leaf?: number;
  root?: number;
  attempt?: number;
  retry?: RetryPolicy;
  purpose?: 'user' | 'retry' | 'long';
  final?: string;
  inbox?: string;
  leaves?: number;
  /** A sub-orchestration whose instance id the orchestrator chose (kept across retries). */
  explicit?: boolean;
  /** On OrchestratorCompleted: the custom status this episode set (JSON text), when it changed. */
  customStatus?: string | null;
}

export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  /** ISO text when stored; the library turns it into a Date in place while replaying. */
  Timestamp: string | Date;
  Name?: string;
  Input?: string | null;
  Version?: string;
  Result?: string | null;
  OrchestrationStatus?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  Reason?: string;
  Details?: string;
  InstanceId?: string;
  _x?: Bookkeeping;
}

export function event(type: EventType, at: Date, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return { EventType: type, EventId: -1, IsPlayed: false, Timestamp: at.toISOString(), ...fields };
}

/** JSON text for a value, with `null` for nothing: what the extension stores for results. */
export function toJsonText(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function parseJsonText(text: string | null | undefined): unknown {
  if (text === null || text === undefined || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function timestampOf(e: HistoryEvent): string {
  return typeof e.Timestamp === 'string' ? e.Timestamp : e.Timestamp.toISOString();
}
