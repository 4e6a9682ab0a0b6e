// One episode (local/README.md, What each plugin follows): append OrchestratorStarted plus at most ONE new event,
// replay, then number the new actions exactly as the library did while it replayed, record them,
// and say what must happen next. Pure apart from the replay call: the engine commits the events
// and performs the effects only after they are stored.
import { ActionType, decodeInput, describeAction, fireAtOf, takesId, type Action } from './actions.js';
import { event, EventType, toJsonText, type HistoryEvent } from './history.js';
import type { Instance, TaskInfo } from './instance.js';
import type { ReplayResult, TimerSettings } from './replay.js';
import { retryDelayMs } from './retry.js';

export type Outcome =
  | { kind: 'running' }
  | { kind: 'completed'; output: unknown }
  | { kind: 'failed'; message: string; details?: unknown }
  | { kind: 'continueAsNew'; input: unknown };

export interface EpisodePlan {
  /** Events to append, in order (the delivered ones first). */
  events: HistoryEvent[];
  outcome: Outcome;
  customStatus?: { value: unknown };
  /** Newly recorded tasks: activities to run, timers to arm, children to start. */
  scheduled: TaskInfo[];
  /** Timers the orchestrator cancelled: disarm them. */
  cancelled: number[];
}

export type Replayer = (history: HistoryEvent[]) => Promise<ReplayResult>;

export async function planEpisode(
  inst: Instance,
  delivered: HistoryEvent | undefined,
  now: Date,
  timers: TimerSettings,
  replayer: Replayer,
): Promise<EpisodePlan> {
  const events: HistoryEvent[] = [event(EventType.OrchestratorStarted, now)];
  if (inst.history.length === 0) {
    events.push(
      event(EventType.ExecutionStarted, now, { Name: inst.record.name, Input: inst.record.input, Version: '' }),
    );
  } else if (delivered) {
    events.push(delivered);
  }
  const scheduled: TaskInfo[] = [];
  const record = (e: HistoryEvent) => {
    events.push(e);
    inst.absorb(e);
    const info = inst.tasks.get(e.EventId);
    if (info) scheduled.push(info);
  };

  // Bookkeeping ids first: the library takes them while replaying the new event,
  // before any new leaf. Retry timers, next attempts and long-timer sub-timers are not in the
  // action list, so this mirrors RetryableTask and LongTimerTask.
  if (delivered) allocateBookkeeping(inst, delivered, now, timers, record);

  const result = await replayer([...inst.history, ...events]);
  for (const e of events) inst.absorb(e);
  inst.lastLeaves = result.leaves;

  const mismatch = checkDeterminism(inst, result.leaves);
  if (mismatch) return finish(inst, events, { kind: 'failed', message: mismatch }, scheduled, [], result);

  // New leaves, in list order, take the next numbers, as the library gives them.
  let unsupported: string | undefined;
  for (let i = inst.knownActions; i < result.leaves.length; i++) {
    const leaf = result.leaves[i]!;
    if (!takesId(leaf)) {
      inst.leafIds[i] = -1;
      continue;
    }
    const id = inst.nextId++;
    inst.leafIds[i] = id;
    const e = schedulingEvent(inst, leaf, id, i, now, timers);
    if (e) record(e);
    else unsupported ??= `${ActionType[leaf.actionType]} is not supported by the local host`;
  }
  inst.knownActions = result.leaves.length;

  const cancelled: number[] = [];
  for (let i = 0; i < result.leaves.length; i++) {
    const leaf = result.leaves[i]!;
    if (leaf.actionType !== ActionType.CreateTimer || !leaf.isCanceled) continue;
    const root = inst.leafIds[i];
    for (const t of inst.tasks.values())
      if (t.kind === 'timer' && t.root === root && !inst.completed.has(t.id)) cancelled.push(t.id);
  }

  let outcome: Outcome = { kind: 'running' };
  if (unsupported) outcome = { kind: 'failed', message: unsupported };
  else if (result.error !== undefined)
    outcome = {
      kind: 'failed',
      message: `Orchestrator function '${inst.record.name}' failed: ${result.error}`,
      details: result.failureDetails,
    };
  else if (result.isDone) {
    const last = result.leaves[result.leaves.length - 1];
    outcome =
      last?.actionType === ActionType.ContinueAsNew
        ? { kind: 'continueAsNew', input: decodeInput(last) }
        : { kind: 'completed', output: result.output };
  }
  return finish(inst, events, outcome, scheduled, cancelled, result);
}

function finish(
  inst: Instance,
  events: HistoryEvent[],
  outcome: Outcome,
  scheduled: TaskInfo[],
  cancelled: number[],
  result: ReplayResult,
): EpisodePlan {
  const now = new Date();
  events.push(event(EventType.OrchestratorCompleted, now, { _x: { leaves: inst.knownActions } }));
  if (outcome.kind === 'completed')
    events.push(
      event(EventType.ExecutionCompleted, now, {
        OrchestrationStatus: 'Completed',
        Result: toJsonText(outcome.output),
      }),
    );
  if (outcome.kind === 'failed')
    events.push(
      event(EventType.ExecutionCompleted, now, {
        OrchestrationStatus: 'Failed',
        Result: JSON.stringify(outcome.message),
      }),
    );
  // The new input rides on the completion so a crash right after this commit can still continue.
  if (outcome.kind === 'continueAsNew')
    events.push(
      event(EventType.ExecutionCompleted, now, {
        OrchestrationStatus: 'ContinuedAsNew',
        Result: toJsonText(outcome.input),
      }),
    );
  // A finished execution starts nothing new: scheduled work from a failing replay is dropped.
  const live = outcome.kind === 'running' ? scheduled : [];
  return {
    events,
    outcome,
    scheduled: live,
    cancelled,
    customStatus: result.hasCustomStatus ? { value: result.customStatus } : undefined,
  };
}

function allocateBookkeeping(
  inst: Instance,
  delivered: HistoryEvent,
  now: Date,
  timers: TimerSettings,
  record: (e: HistoryEvent) => void,
): void {
  const failed =
    delivered.EventType === EventType.TaskFailed || delivered.EventType === EventType.SubOrchestrationInstanceFailed;
  if (failed) {
    const task = inst.tasks.get(delivered.TaskScheduledId!);
    if (!task?.retry) return;
    // After every failed attempt, the last one included, the library waits on one timer.
    const fireAt = new Date(now.getTime() + retryDelayMs(task.retry, task.attempt - 1));
    record(
      event(EventType.TimerCreated, now, {
        EventId: inst.nextId++,
        FireAt: fireAt.toISOString(),
        _x: { purpose: 'retry', root: task.root, attempt: task.attempt },
      }),
    );
    return;
  }
  if (delivered.EventType !== EventType.TimerFired) return;
  const timer = inst.tasks.get(delivered.TimerId!);
  if (!timer) return;
  if (timer.purpose === 'retry') {
    const root = inst.tasks.get(timer.root)!;
    if (timer.attempt + 1 > root.retry!.maxNumberOfAttempts) return; // the error surfaces now
    const id = inst.nextId++;
    const x = { root: root.id, attempt: timer.attempt + 1, retry: root.retry, explicit: root.explicit };
    if (root.kind === 'activity')
      record(event(EventType.TaskScheduled, now, { EventId: id, Name: root.name, Input: root.input, _x: x }));
    else
      record(
        event(EventType.SubOrchestrationInstanceCreated, now, {
          EventId: id,
          Name: root.name,
          Input: root.input,
          InstanceId: root.explicit ? root.childId : childInstanceId(inst, id),
          _x: x,
        }),
      );
  } else if (timer.purpose === 'long' && timer.final) {
    // LongTimerTask.trySetValue: while the final time is ahead of this episode's clock, one more sub-timer.
    const final = new Date(timer.final);
    if (final.getTime() > now.getTime()) {
      const due =
        final.getTime() - now.getTime() > timers.maxShortMs ? new Date(now.getTime() + timers.intervalMs) : final;
      record(
        event(EventType.TimerCreated, now, {
          EventId: inst.nextId++,
          FireAt: due.toISOString(),
          _x: { purpose: 'long', root: timer.root, final: timer.final },
        }),
      );
    }
  }
}

function schedulingEvent(
  inst: Instance,
  leaf: Action,
  id: number,
  index: number,
  now: Date,
  timers: TimerSettings,
): HistoryEvent | undefined {
  switch (leaf.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return event(EventType.TaskScheduled, now, {
        EventId: id,
        Name: leaf.functionName,
        Input: toJsonText(decodeInput(leaf)),
        _x: { leaf: index, retry: leaf.retryOptions },
      });
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry: {
      const explicit = typeof leaf.instanceId === 'string' && leaf.instanceId.length > 0;
      return event(EventType.SubOrchestrationInstanceCreated, now, {
        EventId: id,
        Name: leaf.functionName,
        Input: toJsonText(decodeInput(leaf)),
        InstanceId: explicit ? leaf.instanceId : childInstanceId(inst, id),
        _x: { leaf: index, retry: leaf.retryOptions, explicit },
      });
    }
    case ActionType.CreateTimer: {
      const final = fireAtOf(leaf);
      // Same test as DurableOrchestrationContext.createTimer: strictly longer than the maximum → split.
      if (final.getTime() - now.getTime() > timers.maxShortMs) {
        const due = new Date(now.getTime() + timers.intervalMs);
        return event(EventType.TimerCreated, now, {
          EventId: id,
          FireAt: due.toISOString(),
          _x: { leaf: index, purpose: 'long', final: final.toISOString() },
        });
      }
      return event(EventType.TimerCreated, now, {
        EventId: id,
        FireAt: final.toISOString(),
        _x: { leaf: index, purpose: 'user' },
      });
    }
    default:
      return undefined;
  }
}

/** Deterministic child id when the orchestrator names none (the extension derives a GUID too). */
function childInstanceId(inst: Instance, id: number): string {
  return `${inst.id}:${inst.record.executionId.slice(0, 8)}:${id}`;
}

/** DTFx's check: every recorded scheduling event must be produced again, at the same id, in kind and name. */
function checkDeterminism(inst: Instance, leaves: Action[]): string | undefined {
  for (let i = 0; i < inst.knownActions; i++) {
    const id = inst.leafIds[i];
    if (id === undefined || id < 0) continue;
    const recorded = inst.tasks.get(id);
    if (!recorded) continue;
    const leaf = leaves[i];
    const what = recordedDescription(recorded);
    if (!leaf)
      return nonDeterministic(
        `${what} with sequence ID ${id}, but the current replay execution hasn't (yet?) scheduled this task.`,
      );
    const sameKind = kindOf(leaf) === recorded.kind;
    const sameName = recorded.kind === 'timer' || leaf.functionName === recorded.name;
    if (!sameKind || !sameName)
      return nonDeterministic(
        `${what} with sequence ID ${id}, but the current replay execution instead produced ${describeAction(leaf)} with that sequence ID.`,
      );
  }
  return undefined;
}

function kindOf(a: Action): TaskInfo['kind'] | undefined {
  if (a.actionType === ActionType.CallActivity || a.actionType === ActionType.CallActivityWithRetry) return 'activity';
  if (a.actionType === ActionType.CallSubOrchestrator || a.actionType === ActionType.CallSubOrchestratorWithRetry)
    return 'sub';
  if (a.actionType === ActionType.CreateTimer) return 'timer';
  return undefined;
}

function recordedDescription(t: TaskInfo): string {
  if (t.kind === 'activity')
    return `A previous execution of this orchestration scheduled an activity task named '${t.name}'`;
  if (t.kind === 'sub')
    return `A previous execution of this orchestration scheduled a sub-orchestration named '${t.name}'`;
  return 'A previous execution of this orchestration scheduled a durable timer';
}

function nonDeterministic(detail: string): string {
  return `Non-Deterministic workflow detected: ${detail} Was a change made to the orchestrator code after this instance had already started running?`;
}
