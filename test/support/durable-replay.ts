// An orchestrator driven episode by episode without a host: the local host's episode planner
// (local/durable/episode.ts: history events, sequence ids and the extension's determinism check)
// around the durable-functions library's own replay (the call the extension makes). A test
// delivers each completion itself, so it can stop anywhere, keep the history, and replay that
// history later with other code — what a deploy does to a running instance.
import { InvocationContext } from '@azure/functions';
import { flattenActions } from '../../local/durable/actions.js';
import { planEpisode, type EpisodePlan } from '../../local/durable/episode.js';
import { event, EventType, parseJsonText, toJsonText, type HistoryEvent } from '../../local/durable/history.js';
import { Instance, type TaskInfo } from '../../local/durable/instance.js';
import type { ReplayResult, TimerSettings } from '../../local/durable/replay.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Orchestrator } = require('durable-functions/lib/src/orchestrations/Orchestrator') as {
  Orchestrator: new (fn: unknown) => { handle(trigger: unknown, ctx: unknown): Promise<LibraryState> };
};

interface LibraryState {
  isDone: boolean;
  actions: unknown;
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

/** The Azure Storage provider's timer values (local/durable/settings.ts). */
const TIMERS: TimerSettings = {
  maximumShortTimerDuration: '6.00:00:00',
  longRunningTimerIntervalDuration: '3.00:00:00',
  maxShortMs: 6 * 86_400_000,
  intervalMs: 3 * 86_400_000,
};

export type Orchestration = (ctx: never) => Generator<unknown, unknown, unknown>;

export class ReplayedInstance {
  readonly inst: Instance;
  /** Every episode's plan, in order (the last one says how the execution ended so far). */
  readonly plans: EpisodePlan[] = [];
  private clock = Date.parse('2030-01-01T10:00:00Z');

  /** A new execution with this input, or one rebuilt from a stored history (a restart, a deploy). */
  constructor(
    private readonly fn: Orchestration,
    name: string,
    start: { input: unknown } | { history: HistoryEvent[] },
  ) {
    const history = 'history' in start ? structuredClone(start.history) : [];
    const input = 'input' in start ? start.input : parseJsonText(history[1]?.Input);
    this.inst = new Instance({
      instanceId: 'replayed',
      name,
      executionId: 'e1',
      status: 'Running',
      input: toJsonText(input),
      output: null,
      customStatus: null,
      createdTime: new Date(this.clock).toISOString(),
      lastUpdatedTime: new Date(this.clock).toISOString(),
    });
    this.inst.input = input;
    this.inst.rebuild(history);
  }

  get history(): HistoryEvent[] {
    return this.inst.history;
  }

  /** Scheduled tasks not completed yet, in id order. */
  open(): TaskInfo[] {
    return this.inst.outstanding().sort((a, b) => a.id - b.id);
  }

  /** One episode: the first one (nothing delivered) or one completion of a task the history holds. */
  async episode(delivered?: HistoryEvent): Promise<EpisodePlan> {
    this.clock += 100;
    const plan = await planEpisode(this.inst, delivered, new Date(this.clock), TIMERS, (h) => this.replay(h));
    for (const e of plan.events) e.IsPlayed = true;
    this.inst.history.push(...plan.events);
    this.plans.push(plan);
    return plan;
  }

  /** The completion event of an open task: an activity's result or a sub-orchestration's output. */
  completion(task: TaskInfo, result: unknown): HistoryEvent {
    const type = task.kind === 'sub' ? EventType.SubOrchestrationInstanceCompleted : EventType.TaskCompleted;
    return event(type, new Date(this.clock), { TaskScheduledId: task.id, Result: toJsonText(result) });
  }

  private async replay(history: HistoryEvent[]): Promise<ReplayResult> {
    const trigger = {
      // The library turns timestamps into Dates in place: it gets its own copy, as over the wire.
      history: JSON.parse(JSON.stringify(history)) as unknown,
      input: this.inst.input,
      instanceId: this.inst.id,
      isReplaying: history.length > 2,
      parentInstanceId: null,
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 2,
      longRunningTimerIntervalDuration: TIMERS.longRunningTimerIntervalDuration,
      maximumShortTimerDuration: TIMERS.maximumShortTimerDuration,
      defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    };
    try {
      const state = await new Orchestrator(this.fn).handle(trigger, new InvocationContext());
      return {
        isDone: state.isDone,
        leaves: flattenActions(state.actions),
        output: state.output,
        customStatus: state.customStatus,
        hasCustomStatus: Object.prototype.hasOwnProperty.call(state, 'customStatus'),
        error: state.error,
      };
    } catch (err) {
      return { isDone: false, leaves: [], hasCustomStatus: false, error: String(err) };
    }
  }
}
