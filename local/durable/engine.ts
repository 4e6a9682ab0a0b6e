// The orchestration engine: owns the live (non-terminal) instances of one task hub, runs one
// episode at a time per instance (many instances at once, capped by host.json), commits each
// episode to the history table BEFORE acting on it, then starts activities, arms timers and
// starts children. Crash safety follows from that order: whatever was committed is redone from
// the history on restart (recovery.ts); whatever was not is simply replayed again.
import { randomUUID } from 'node:crypto';
import type { HostContext } from '../core/plugin.js';
import type { RegisteredFunction } from '../core/registry.js';
import { planEpisode } from './episode.js';
import { event, EventType, parseJsonText, timestampOf, toJsonText, type HistoryEvent } from './history.js';
import { Instance, type PendingEvent, type TaskInfo } from './instance.js';
import { InstanceRows } from './instance-rows.js';
import { replay, type TimerSettings } from './replay.js';
import { Semaphore } from './semaphore.js';
import { TERMINAL, type DurableStore, type InstanceRecord } from './store.js';
import { countEpisode } from './usage.js';
import { WorkRunner } from './work.js';
import type { OpenSpan } from '../core/tracing.js';

export interface ParentLink {
  parentInstanceId: string;
  parentExecutionId: string;
  parentTaskId: number;
}

export class AlreadyExistsError extends Error {}
export class ArgumentError extends Error {}

export class Engine {
  readonly live = new Map<string, Instance>();
  private readonly orchestrators: Semaphore;
  readonly work: WorkRunner;
  readonly rows: InstanceRows;
  stopping = false;
  /** Orchestration spans still open, by instance id (a restart loses them; activities still nest). */
  private readonly spans = new Map<string, OpenSpan>();

  constructor(
    readonly host: HostContext,
    readonly store: DurableStore,
    readonly timers: TimerSettings,
  ) {
    this.orchestrators = new Semaphore(Math.max(1, host.hostJson.durableTask.maxConcurrentOrchestratorFunctions));
    this.work = new WorkRunner(
      this,
      new Semaphore(Math.max(1, host.hostJson.durableTask.maxConcurrentActivityFunctions)),
    );
    this.rows = new InstanceRows(store, (id, err) =>
      host.log.warn('durable: writing the instance row of %s failed: %s', id, (err as Error)?.message ?? err),
    );
  }

  /** Spans per orchestration and activity: host telemetry on and host.json's durableTask.tracing asks. */
  get tracing(): boolean {
    return this.host.tracer.enabled && this.host.hostJson.durableTask.distributedTracing;
  }

  orchestration(name: string): RegisteredFunction | undefined {
    const fn = this.host.registry.get(name);
    return fn && fn.trigger.type.toLowerCase() === 'orchestrationtrigger' ? fn : undefined;
  }

  /** Starts (or restarts a terminal) instance. Refuses a live id like the default NonRunningStates dedupe. */
  async start(
    name: string,
    id: string,
    inputText: string | null,
    parent?: ParentLink,
    traceParent?: string,
  ): Promise<InstanceRecord> {
    if (!this.orchestration(name))
      throw new ArgumentError(`The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    validateInstanceId(id);
    const live = this.live.get(id)?.record;
    if (live && !TERMINAL.has(live.status)) throw alreadyExists(live);
    const now = new Date().toISOString();
    const record: InstanceRecord = {
      instanceId: id,
      name,
      executionId: randomUUID(),
      status: 'Pending',
      input: inputText,
      output: null,
      customStatus: null,
      createdTime: now,
      lastUpdatedTime: now,
      ...parent,
    };
    // Durable distributed tracing (host.json durableTask.tracing): one span per orchestration, child
    // of the starter's (or the parent orchestration's), ended when the instance ends.
    const span = this.tracing
      ? this.host.tracer.start(`orchestration:${name}`, 'server', traceParent ?? parentTraceOf(this, parent), {
          'durabletask.type': 'orchestration',
          'durabletask.task.name': name,
          'durabletask.task.instance_id': id,
        })
      : undefined;
    if (span) {
      record.traceParent = span.traceParent;
      this.spans.set(id, span);
    }
    // A new id (the usual case) costs one insert; an id used before is read, refused while it
    // runs, and otherwise restarted with a new history (the old rows and any stale inbox go first).
    if (live || !(await this.store.createInstance(record))) {
      const existing = live ?? (await this.store.getInstance(id));
      if (existing && !TERMINAL.has(existing.status)) throw alreadyExists(existing);
      if (existing) await this.store.purge(id);
      await this.rows.now(record);
    }
    const inst = new Instance(record);
    inst.input = parseJsonText(inputText);
    this.live.set(id, inst);
    this.kick(inst);
    return record;
  }

  /** Queues a completion or raised event for an instance's next episode. */
  deliver(inst: Instance, pending: PendingEvent): void {
    if (inst.closed || this.stopping) return;
    inst.pending.push(pending);
    this.kick(inst);
  }

  /** Schedules one episode if there is work; each episode is its own turn on the instance. */
  kick(inst: Instance): void {
    if (inst.pumping || !this.hasWork(inst)) return;
    inst.pumping = true;
    void inst
      .exclusive(() => this.step(inst))
      .catch((err) => this.host.log.error('durable: instance %s: %s', inst.id, (err as Error)?.stack ?? err))
      .finally(() => {
        inst.pumping = false;
        this.kick(inst);
      });
  }

  private hasWork(inst: Instance): boolean {
    return (
      !inst.closed &&
      !this.stopping &&
      inst.record.status !== 'Suspended' &&
      (inst.history.length === 0 || inst.pending.length > 0)
    );
  }

  private async step(inst: Instance): Promise<void> {
    if (!this.hasWork(inst)) return;
    if (inst.history.length === 0) return this.episode(inst, undefined);
    const next = inst.pending.shift()!;
    if (this.deliverable(inst, next)) return this.episode(inst, next);
    if (next.inboxKey) await this.store.deleteRows(inst.id, [next.inboxKey]);
  }

  /** Drops duplicates (at-least-once activities, redelivered timers) and stale or cancelled completions. */
  private deliverable(inst: Instance, p: PendingEvent): boolean {
    if (p.executionId !== undefined && p.executionId !== inst.record.executionId) return false;
    const e = p.event;
    if (e.EventType === EventType.EventRaised) return true;
    const id = e.EventType === EventType.TimerFired ? e.TimerId! : e.TaskScheduledId!;
    const task = inst.tasks.get(id);
    if (!task || inst.completed.has(id)) return false;
    if (task.kind === 'timer') {
      const leaf = inst.tasks.get(task.root)?.leaf;
      if (leaf !== undefined && inst.lastLeaves?.[leaf]?.isCanceled) return false;
    }
    return true;
  }

  private async episode(inst: Instance, pending: PendingEvent | undefined): Promise<void> {
    // The host.json cap counts orchestrator executions, i.e. replays: the slot is held for the
    // replay only, not for the storage round trips after it (the instance's own turn keeps those
    // in order). Holding it across the commit made the Azurite latency the throughput limit.
    let slot = true;
    await this.orchestrators.acquire();
    const release = () => {
      if (slot) this.orchestrators.release();
      slot = false;
    };
    try {
      const rec = inst.record;
      const fn = this.orchestration(rec.name);
      let at = Date.now();
      const lastStart = [...inst.history].reverse().find((e) => e.EventType === EventType.OrchestratorStarted);
      if (lastStart) at = Math.max(at, Date.parse(timestampOf(lastStart)));
      // A timer's episode must not start before its due time, or a long timer would split again.
      if (pending?.event.EventType === EventType.TimerFired) at = Math.max(at, Date.parse(pending.event.FireAt!));
      const delivered: HistoryEvent | undefined = pending && {
        ...pending.event,
        IsPlayed: false,
        _x: pending.inboxKey ? { ...pending.event._x, inbox: pending.inboxKey } : pending.event._x,
      };
      const from = inst.history.length;
      const plan = fn
        ? await planEpisode(inst, delivered, new Date(at), this.timers, (history) =>
            replay(
              this.host.invoker,
              fn,
              { history, input: inst.input, instanceId: inst.id, parentInstanceId: rec.parentInstanceId ?? null },
              this.timers,
            ),
          )
        : {
            events: [
              event(EventType.ExecutionCompleted, new Date(), {
                OrchestrationStatus: 'Failed',
                Result: JSON.stringify(`The orchestrator function '${rec.name}' is not registered.`),
              }),
            ],
            outcome: { kind: 'failed' as const, message: `The orchestrator function '${rec.name}' is not registered.` },
            scheduled: [] as TaskInfo[],
            cancelled: [] as number[],
            customStatus: undefined,
          };
      release();
      const customText = plan.customStatus ? toJsonText(plan.customStatus.value) : undefined;
      if (customText !== undefined && customText !== rec.customStatus) {
        // Stored with the episode, so recovery restores it even if the behind row write was lost.
        const done = plan.events.find((e) => e.EventType === EventType.OrchestratorCompleted);
        if (done) done._x = { ...done._x, customStatus: customText };
      }
      try {
        inst.rowKeys.push(
          ...(await this.store.commit(
            inst.id,
            rec.executionId,
            from,
            plan.events,
            pending?.inboxKey ? [pending.inboxKey] : [],
          )),
        );
      } catch (err) {
        // The in-memory bookkeeping is ahead of storage now: start over from what storage holds.
        this.host.log.error(
          'durable: committing an episode of %s failed, reloading it: %s',
          inst.id,
          (err as Error).message,
        );
        if (pending) inst.pending.unshift(pending);
        await this.reload(inst);
        return;
      }
      for (const e of plan.events) e.IsPlayed = true;
      inst.history.push(...plan.events);
      countEpisode(plan.events);
      // The episode's own time, which the history keeps: a restart recovers the same value from it
      // (recovery.ts), so lastUpdatedTime never goes back even when the row was not rewritten.
      rec.lastUpdatedTime = latestTimestamp(plan.events, rec.lastUpdatedTime);
      const before = { status: rec.status };
      if (customText !== undefined) rec.customStatus = customText;
      for (const id of plan.cancelled) this.work.disarm(inst, id);
      const outcome = plan.outcome;
      if (outcome.kind === 'running') {
        rec.status = 'Running';
        // Hot path: the row is written only when the status (what list queries filter on) changes,
        // and then behind the episode (instance-rows.ts). The custom status is in the history
        // (above) and in memory, where status reads and list results take it for live instances.
        if (before.status !== 'Running') this.rows.later(rec);
        this.work.dispatch(inst, plan.scheduled);
      } else if (outcome.kind === 'continueAsNew') {
        await this.continueAsNew(inst, outcome.input);
      } else {
        rec.status = outcome.kind === 'completed' ? 'Completed' : 'Failed';
        rec.output = outcome.kind === 'completed' ? toJsonText(outcome.output) : JSON.stringify(outcome.message);
        if (outcome.kind !== 'completed')
          this.host.log.error(
            "Orchestration '%s' (instance %s, execution %s) failed: %s",
            rec.name,
            inst.id,
            rec.executionId,
            outcome.message,
          );
        await this.finish(inst);
      }
    } finally {
      release();
    }
  }

  /** Fresh history for the same id, as the extension starts one; raised events not yet delivered carry over. */
  async continueAsNew(inst: Instance, input: unknown): Promise<void> {
    const rec = inst.record;
    const oldRows = inst.rowKeys;
    rec.executionId = randomUUID();
    rec.input = toJsonText(input);
    rec.output = null;
    rec.status = 'ContinuedAsNew';
    rec.lastUpdatedTime = new Date().toISOString();
    await this.rows.now(rec);
    inst.resetExecution();
    inst.input = input;
    inst.pending = inst.pending.filter((p) => p.executionId === undefined);
    void this.store.deleteRows(inst.id, oldRows).catch(() => undefined);
  }

  /** Terminal state: store it, release the instance, tell a waiting parent. */
  async finish(inst: Instance): Promise<void> {
    const span = this.spans.get(inst.id);
    if (span) {
      this.spans.delete(inst.id);
      const status = inst.record.status;
      span.end(status === 'Completed' ? 'ok' : 'error', { 'durabletask.runtime_status': status });
    }
    await this.rows.now(inst.record);
    this.close(inst);
    this.notifyParent(inst.record);
  }

  close(inst: Instance): void {
    inst.closed = true;
    for (const t of inst.timers.values()) clearTimeout(t);
    inst.timers.clear();
    if (this.live.get(inst.id) === inst) this.live.delete(inst.id);
  }

  notifyParent(child: InstanceRecord): void {
    if (!child.parentInstanceId || child.parentTaskId === undefined) return;
    const parent = this.live.get(child.parentInstanceId);
    if (!parent || parent.record.executionId !== child.parentExecutionId) return;
    const now = new Date();
    const e =
      child.status === 'Completed'
        ? event(EventType.SubOrchestrationInstanceCompleted, now, {
            TaskScheduledId: child.parentTaskId,
            Result: child.output,
          })
        : event(EventType.SubOrchestrationInstanceFailed, now, {
            TaskScheduledId: child.parentTaskId,
            Reason: String(parseJsonText(child.output) ?? `Sub-orchestration '${child.name}' ended as ${child.status}`),
            Details: JSON.stringify({ Message: `Sub-orchestration '${child.instanceId}' ended as ${child.status}` }),
          });
    this.deliver(parent, { event: e, executionId: child.parentExecutionId });
  }

  /** Rebuilds an instance from storage (after a failed commit); the stored history is the truth. */
  async reload(inst: Instance): Promise<void> {
    this.close(inst);
    const rec = await this.store.getInstance(inst.id);
    if (!rec || TERMINAL.has(rec.status)) return;
    const { recoverOne } = await import('./recovery.js');
    const fresh = await recoverOne(this, rec);
    if (fresh) {
      fresh.pending.push(
        ...inst.pending.filter((p) => p.executionId === undefined || p.executionId === fresh.record.executionId),
      );
      this.work.dispatch(fresh, fresh.outstanding());
      this.kick(fresh);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const inst of this.live.values()) for (const t of inst.timers.values()) clearTimeout(t);
    await Promise.all([...this.live.values()].map((i) => i.chain));
    await this.rows.drain();
  }
}

const alreadyExists = (existing: InstanceRecord) =>
  new AlreadyExistsError(`An Orchestration instance with the status ${existing.status} already exists.`);

/** The extension's instance-id rules. */
export function validateInstanceId(id: string): void {
  // eslint-disable-next-line no-control-regex
  if (!id || id.startsWith('@') || /[/\\#?\u0000-\u001f\u007f-\u009f]/.test(id) || id.length > 256) {
    throw new ArgumentError(
      `Invalid instance ID '${id}': it must not start with '@', contain '/', '\\', '#', '?' or control characters, or exceed 256 characters.`,
    );
  }
}

/** A child orchestration's span hangs under its parent's. */
function parentTraceOf(engine: Engine, parent: ParentLink | undefined): string | undefined {
  return parent ? engine.live.get(parent.parentInstanceId)?.record.traceParent : undefined;
}

/** The latest of `current` and the events' timestamps (ISO strings compare in time order). */
export function latestTimestamp(events: readonly HistoryEvent[], current: string): string {
  let latest = current;
  for (const e of events) {
    const at = timestampOf(e);
    if (at > latest) latest = at;
  }
  return latest;
}
