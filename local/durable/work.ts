// The work an episode leaves behind: activities to run (at-least-once, capped by host.json),
// durable timers to arm, child orchestrations to start. Results come back as one pending event
// each; the engine decides in the next episode whether they still matter.
import { AlreadyExistsError, type Engine } from './engine.js';
import { event, EventType, parseJsonText, toJsonText } from './history.js';
import type { Instance, TaskInfo } from './instance.js';
import type { Semaphore } from './semaphore.js';
import { TERMINAL } from './store.js';

/** setTimeout's ceiling (~24.8 days); longer waits re-arm, which keeps multi-day timers exact. */
const MAX_TIMEOUT = 2 ** 31 - 1;

export class WorkRunner {
  constructor(
    private readonly engine: Engine,
    private readonly activities: Semaphore,
  ) {}

  dispatch(inst: Instance, tasks: TaskInfo[]): void {
    for (const t of tasks) {
      if (t.kind === 'activity') void this.runActivity(inst, t);
      else if (t.kind === 'timer') this.arm(inst, t);
      else void this.startChild(inst, t);
    }
  }

  disarm(inst: Instance, id: number): void {
    const handle = inst.timers.get(id);
    if (handle) clearTimeout(handle);
    inst.timers.delete(id);
  }

  private async runActivity(inst: Instance, t: TaskInfo): Promise<void> {
    const executionId = inst.record.executionId;
    await this.activities.acquire();
    let result: { ok: true; value: unknown } | { ok: false; message: string };
    let crashed = false;
    try {
      if (inst.closed || this.engine.stopping) return;
      const fn = this.engine.host.registry.get(t.name ?? '');
      if (!fn || fn.trigger.type.toLowerCase() !== 'activitytrigger') {
        result = {
          ok: false,
          message: `The function '${t.name}' doesn't exist, is disabled, or is not an activity function.`,
        };
      } else {
        // Chaos (core/faults.ts): the worker dies before the activity runs, or after it ran but
        // before its result was recorded; either way the work item comes back, as on Azure.
        const faults = this.engine.host.faults;
        crashed = faults.roll('activity.crash');
        const before = crashed && faults.uniform('activity.crash') < 0.5;
        const span = this.activitySpan(inst, t);
        try {
          result = before
            ? { ok: false, message: 'crashed' }
            : {
                ok: true,
                value: await this.engine.host.invoker.invoke(
                  fn,
                  parseJsonText(t.input),
                  span
                    ? { traceParent: span.traceParent, logDetail: `instance ${inst.id}, task ${t.id}` }
                    : { logDetail: `instance ${inst.id}, task ${t.id}` },
                ),
              };
        } catch (err) {
          result = { ok: false, message: err instanceof Error ? err.message : String(err) };
        }
        span?.end(result.ok ? 'ok' : 'error', {}, result.ok ? undefined : result.message);
      }
    } finally {
      this.activities.release();
    }
    if (crashed) return this.redeliver(inst, t, executionId);
    const now = new Date();
    // Reason and Details always as strings: the library needs both to rebuild the error.
    const e = result.ok
      ? event(EventType.TaskCompleted, now, { TaskScheduledId: t.id, Result: toJsonText(result.value) })
      : event(EventType.TaskFailed, now, {
          TaskScheduledId: t.id,
          Reason: `Activity function '${t.name}' failed: ${result.message}`,
          Details: JSON.stringify({ Message: result.message }),
        });
    this.engine.deliver(inst, { event: e, executionId });
  }

  /** The activity execution's span, child of its orchestration's (Durable distributed tracing). */
  private activitySpan(inst: Instance, t: TaskInfo) {
    if (!this.engine.tracing || !inst.record.traceParent) return undefined;
    return this.engine.host.tracer.start(`activity:${t.name}`, 'server', inst.record.traceParent, {
      'durabletask.type': 'activity',
      'durabletask.task.name': t.name ?? '',
      'durabletask.task.instance_id': inst.id,
      'durabletask.task.task_id': t.id,
    });
  }

  /** A work item whose worker died: visible again after the redelivery delay, for the same execution. */
  private redeliver(inst: Instance, t: TaskInfo, executionId: string): void {
    setTimeout(() => {
      if (!inst.closed && !this.engine.stopping && inst.record.executionId === executionId)
        void this.runActivity(inst, t);
    }, this.engine.host.faults.settings.LOCAL_FAULTS_ACTIVITY_REDELIVERY_MS).unref();
  }

  private arm(inst: Instance, t: TaskInfo): void {
    const executionId = inst.record.executionId;
    const due = Date.parse(t.fireAt!);
    const tick = () => {
      const wait = due - Date.now();
      if (wait > 0) {
        inst.timers.set(t.id, setTimeout(tick, Math.min(wait, MAX_TIMEOUT)));
        return;
      }
      inst.timers.delete(t.id);
      this.engine.deliver(inst, {
        event: event(EventType.TimerFired, new Date(), { TimerId: t.id, FireAt: t.fireAt }),
        executionId,
      });
    };
    this.disarm(inst, t.id);
    inst.timers.set(t.id, setTimeout(tick, Math.max(0, Math.min(due - Date.now(), MAX_TIMEOUT))));
  }

  /** Starts the child, or — after a restart — finds it already running or already finished. */
  private async startChild(parent: Instance, t: TaskInfo): Promise<void> {
    const engine = this.engine;
    const executionId = parent.record.executionId;
    const childId = t.childId!;
    try {
      const existing = engine.live.get(childId)?.record ?? (await engine.store.getInstance(childId));
      const ours =
        existing &&
        existing.parentInstanceId === parent.id &&
        existing.parentExecutionId === executionId &&
        existing.parentTaskId === t.id;
      if (ours) {
        if (TERMINAL.has(existing.status)) engine.notifyParent(existing);
        return;
      }
      await engine.start(t.name!, childId, t.input ?? null, {
        parentInstanceId: parent.id,
        parentExecutionId: executionId,
        parentTaskId: t.id,
      });
    } catch (err) {
      const message = err instanceof AlreadyExistsError || err instanceof Error ? err.message : String(err);
      engine.deliver(parent, {
        event: event(EventType.SubOrchestrationInstanceFailed, new Date(), {
          TaskScheduledId: t.id,
          Reason: `Sub-orchestration '${t.name}' could not start: ${message}`,
          Details: JSON.stringify({ Message: message }),
        }),
        executionId,
      });
    }
  }
}
