// One replay: the history goes in through the library's own registered callback, the cumulative
// OrchestratorState comes out. Nothing here decides anything;
// the episode code interprets the state.
import type { Invoker } from '../core/invoke.js';
import type { RegisteredFunction } from '../core/registry.js';
import { flattenActions, type Action } from './actions.js';
import type { HistoryEvent } from './history.js';

export interface TimerSettings {
  /** .NET TimeSpan text, as the extension sends it. */
  maximumShortTimerDuration: string;
  longRunningTimerIntervalDuration: string;
  maxShortMs: number;
  intervalMs: number;
}

export interface ReplayInput {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  parentInstanceId: string | null;
}

export interface ReplayResult {
  isDone: boolean;
  leaves: Action[];
  output?: unknown;
  customStatus?: unknown;
  hasCustomStatus: boolean;
  /** Set when the orchestrator threw (or an uncaught task failure surfaced). */
  error?: string;
  failureDetails?: unknown;
}

const LABEL = '\n\n$OutOfProcData$:';

interface OrchestratorState {
  isDone: boolean;
  actions: unknown;
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  failureDetails?: unknown;
}

export async function replay(
  invoker: Invoker,
  fn: RegisteredFunction,
  r: ReplayInput,
  timers: TimerSettings,
): Promise<ReplayResult> {
  // The trigger value the extension sends; upperSchemaVersionNew 2 selects V3 (long timers split).
  const trigger = {
    history: r.history,
    input: r.input,
    instanceId: r.instanceId,
    isReplaying: r.history.length > 2,
    parentInstanceId: r.parentInstanceId,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: timers.longRunningTimerIntervalDuration,
    maximumShortTimerDuration: timers.maximumShortTimerDuration,
    defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
  };
  let state: OrchestratorState;
  try {
    state = (await invoker.invoke(fn, trigger, { quiet: true })) as OrchestratorState;
  } catch (err) {
    return fromFailure(err);
  }
  if (!state || typeof state !== 'object')
    return { isDone: false, leaves: [], hasCustomStatus: false, error: `Orchestrator returned ${String(state)}` };
  return toResult(state);
}

function toResult(state: OrchestratorState): ReplayResult {
  return {
    isDone: Boolean(state.isDone),
    leaves: flattenActions(state.actions),
    output: state.output,
    customStatus: state.customStatus,
    hasCustomStatus: Object.prototype.hasOwnProperty.call(state, 'customStatus'),
    error: state.error,
    failureDetails: state.failureDetails,
  };
}

/** The rejection carries the real state after a label; its head is the literal `false`. */
function fromFailure(err: unknown): ReplayResult {
  const message = err instanceof Error ? err.message : String(err);
  const at = message.indexOf(LABEL);
  if (at >= 0) {
    try {
      const state = JSON.parse(message.slice(at + LABEL.length)) as OrchestratorState;
      const result = toResult(state);
      result.isDone = false;
      result.error = state.error ?? message.slice(0, at);
      return result;
    } catch {
      // fall through: an unparsable state is reported with the raw message
    }
  }
  return { isDone: false, leaves: [], hasCustomStatus: false, error: message };
}
