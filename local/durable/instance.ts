// What the host knows about one live instance it owns: the history (cached; the table is the
// record), and the bookkeeping derived from it — which sequence ids exist, which completed, which
// action-list leaf each belongs to. Everything here can be rebuilt from the history alone, which
// is how a restarted host picks an instance up (see `rebuild`).
import type { Action } from './actions.js';
import { EventType, type HistoryEvent, type RetryPolicy } from './history.js';
import type { InstanceRecord } from './store.js';

export interface TaskInfo {
  id: number;
  kind: 'activity' | 'sub' | 'timer';
  name?: string;
  /** JSON text of the decoded input, as recorded. */
  input?: string | null;
  childId?: string;
  explicit?: boolean;
  fireAt?: string;
  leaf?: number;
  /** The id of the first attempt (retries) or of the first sub-timer (long timers). */
  root: number;
  attempt: number;
  retry?: RetryPolicy;
  purpose?: 'user' | 'retry' | 'long';
  final?: string;
}

export interface PendingEvent {
  event: HistoryEvent;
  /** The stored inbox row this event came from, deleted in the same transaction that records it. */
  inboxKey?: string;
  /** Completions belong to one execution; raised events (undefined) survive continueAsNew. */
  executionId?: string;
}

export class Instance {
  history: HistoryEvent[] = [];
  /** Keys of the stored rows holding `history` (an episode's events share one). */
  rowKeys: string[] = [];
  input: unknown = null;
  leafIds: number[] = [];
  knownActions = 0;
  nextId = 0;
  readonly tasks = new Map<number, TaskInfo>();
  readonly completed = new Set<number>();
  pending: PendingEvent[] = [];
  /** Leaves of the latest replay: tells which timers the orchestrator has cancelled. */
  lastLeaves?: Action[];
  readonly timers = new Map<number, NodeJS.Timeout>();
  /** Serialises episodes and control operations: one at a time per instance. */
  chain: Promise<void> = Promise.resolve();
  pumping = false;
  /** Set once the instance reached a terminal state or was handed back; late work is dropped. */
  closed = false;

  constructor(public record: InstanceRecord) {}

  get id(): string {
    return this.record.instanceId;
  }

  /** Queues an operation behind every earlier one on this instance. */
  exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Records what a (stored or new) history event tells about ids and completions. */
  absorb(e: HistoryEvent): void {
    const x = e._x ?? {};
    switch (e.EventType) {
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
      case EventType.TimerCreated: {
        const kind =
          e.EventType === EventType.TaskScheduled
            ? 'activity'
            : e.EventType === EventType.TimerCreated
              ? 'timer'
              : 'sub';
        this.tasks.set(e.EventId, {
          id: e.EventId,
          kind,
          name: e.Name,
          input: e.Input,
          childId: e.InstanceId,
          explicit: x.explicit,
          fireAt: e.FireAt,
          leaf: x.leaf,
          root: x.root ?? e.EventId,
          attempt: x.attempt ?? 1,
          retry: x.retry,
          purpose: x.purpose,
          final: x.final,
        });
        if (x.leaf !== undefined) this.leafIds[x.leaf] = e.EventId;
        this.nextId = Math.max(this.nextId, e.EventId + 1);
        break;
      }
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed:
        this.completed.add(e.TaskScheduledId!);
        break;
      case EventType.TimerFired:
        this.completed.add(e.TimerId!);
        break;
      case EventType.OrchestratorCompleted:
        if (x.leaves !== undefined) this.knownActions = x.leaves;
        if (x.customStatus !== undefined) this.record.customStatus = x.customStatus;
        break;
      case EventType.ExecutionStarted:
        this.input = e.Input === null || e.Input === undefined ? null : JSON.parse(e.Input);
        break;
    }
  }

  /** Rebuilds bookkeeping from a stored history (every event counts as played). */
  rebuild(history: HistoryEvent[]): void {
    this.history = history;
    for (const e of history) {
      e.IsPlayed = true;
      this.absorb(e);
    }
    // The row is written behind the episodes: one that ran may have left it saying Pending.
    if (this.record.status === 'Pending' && history.some((e) => e.EventType === EventType.OrchestratorStarted))
      this.record.status = 'Running';
  }

  /** Resets for a new execution (continueAsNew, restart). */
  resetExecution(): void {
    this.history = [];
    this.rowKeys = [];
    this.leafIds = [];
    this.knownActions = 0;
    this.nextId = 0;
    this.tasks.clear();
    this.completed.clear();
    this.lastLeaves = undefined;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Ids scheduled but not completed: the work to (re)dispatch after a restart. */
  outstanding(): TaskInfo[] {
    return [...this.tasks.values()].filter((t) => !this.completed.has(t.id));
  }

  lastEvent(): HistoryEvent | undefined {
    return this.history[this.history.length - 1];
  }
}
