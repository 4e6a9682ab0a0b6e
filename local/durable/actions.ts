// The orchestrator's action list, as the library returns it: cumulative, nested under WhenAny /
// WhenAll at schema V2+. The host works on the flattened leaves; their order is stable across
// replays of a deterministic orchestrator, which is what lets a leaf index stand for a task.
import type { RetryPolicy } from './history.js';

export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
}

export interface Action {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: RetryPolicy;
  fireAt?: string | Date;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: Action[];
}

const ID_CONSUMING = new Set<ActionType>([
  ActionType.CallActivity,
  ActionType.CallActivityWithRetry,
  ActionType.CreateTimer,
  ActionType.CallSubOrchestrator,
  ActionType.CallSubOrchestratorWithRetry,
  ActionType.CallHttp,
  ActionType.CallEntity,
  ActionType.SignalEntity,
]);

/** Whether the library gives this leaf a sequence number while it replays. */
export function takesId(a: Action): boolean {
  return ID_CONSUMING.has(a.actionType);
}

/** Depth-first leaves of the cumulative list; V1 (outer array per yield) flattens the same way. */
export function flattenActions(actions: unknown): Action[] {
  const out: Action[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    const a = node as Action;
    if (!a || typeof a !== 'object') return;
    if (a.actionType === ActionType.WhenAny || a.actionType === ActionType.WhenAll) walk(a.compoundActions ?? []);
    else out.push(a);
  };
  walk(actions);
  return out;
}

/**
 * The value the activity or child receives. `Utils.processInput` JSON-stringifies string inputs of
 * CallActivity(WithRetry) and ContinueAsNew only, so exactly those are decoded once.
 */
export function decodeInput(a: Action): unknown {
  const processed =
    a.actionType === ActionType.CallActivity ||
    a.actionType === ActionType.CallActivityWithRetry ||
    a.actionType === ActionType.ContinueAsNew;
  if (processed && typeof a.input === 'string') {
    try {
      return JSON.parse(a.input);
    } catch {
      return a.input;
    }
  }
  return a.input;
}

export function fireAtOf(a: Action): Date {
  return a.fireAt instanceof Date ? a.fireAt : new Date(String(a.fireAt));
}

/** Short names used in determinism messages, after DTFx's wording. */
export function describeAction(a: Action): string {
  switch (a.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return `an activity task named '${a.functionName}'`;
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return `a sub-orchestration named '${a.functionName}'`;
    case ActionType.CreateTimer:
      return 'a durable timer';
    default:
      return `an action of type ${ActionType[a.actionType] ?? a.actionType}`;
  }
}
