// durable-functions, typed by the saga contracts (shared/booking/saga-contracts.ts): an activity or
// orchestration is registered under its descriptor's name with a handler of its input and output
// types, and an orchestrator calls or waits through the descriptor and gets its output type back.
// Each helper yields exactly the task the library call would, so replay sees no difference.
//
// The types are read off the descriptor rather than inferred together with the handler, so the
// descriptor alone decides them: a handler that answers a wider type is refused instead of widening
// the contract. A handler's type is one conditional type over the descriptor, not a function type
// over InputOf/OutputOf: only then does the compiler keep its literals (`ok: true` stays `true`).
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityOptions, OrchestrationContext, RetryOptions, Task } from 'durable-functions';
import type {
  ActivityContract,
  EventContract,
  InputOf,
  OrchestrationContract,
  OutputOf,
} from '../shared/booking/saga-contracts.js';
import { correlationOf, Metrics, telemetry } from '../shared/telemetry/port.js';

export type Flow<T> = Generator<Task, T, unknown>;

type AnyActivity = ActivityContract<never, unknown>;
type AnyOrchestration = OrchestrationContract<never, unknown>;

export type ActivityHandler<D> =
  D extends ActivityContract<infer I, infer O> ? (input: I, context: InvocationContext) => Promise<O> : never;

export type Orchestrator<D> =
  D extends OrchestrationContract<never, infer O> ? (ctx: OrchestrationContext) => Flow<O> : never;

export function registerActivity<D extends AnyActivity>(
  contract: D,
  handler: ActivityHandler<D>,
  options: Omit<ActivityOptions, 'handler'> = {},
): void {
  const plain = handler as (input: unknown, context: InvocationContext) => Promise<unknown>;
  df.app.activity(contract.name, { ...options, handler: traced(contract.name, plain) });
}

/**
 * A saga step's span and duration (docs/telemetry.md), carrying the booking and show it is about.
 * The trace context comes from the host (the activity's span, child of the orchestration's), never
 * from the orchestrator: the orchestrator stays free of I/O and replays deterministically.
 */
function traced<I, O>(
  step: string,
  handler: (input: I, context: InvocationContext) => Promise<O>,
): (input: I, context: InvocationContext) => Promise<O> {
  return (input, context) => {
    const t = telemetry();
    if (!t.enabled) return handler(input, context);
    const started = performance.now();
    const done = (outcome: 'ok' | 'error') =>
      t.record(Metrics.sagaStepDuration, performance.now() - started, { step, outcome });
    return t
      .span(`saga step ${step}`, { 'saga.step': step, ...correlationOf(input) }, () => handler(input, context))
      .then(
        (output) => {
          done('ok');
          return output;
        },
        (err: unknown) => {
          done('error');
          t.log('warn', `saga step ${step} failed: ${(err as Error)?.message ?? String(err)}`, {
            'saga.step': step,
            ...correlationOf(input),
          });
          throw err;
        },
      );
  };
}

export function registerOrchestration<D extends AnyOrchestration>(contract: D, flow: Orchestrator<D>): void {
  df.app.orchestration(contract.name, flow);
}

/** The orchestration's input, as its contract types it. */
export function inputOf<D extends AnyOrchestration>(ctx: OrchestrationContext, _contract: D): InputOf<D> {
  return ctx.df.getInput<InputOf<D>>();
}

export function* callWithRetry<D extends AnyActivity>(
  ctx: OrchestrationContext,
  contract: D,
  retry: RetryOptions,
  input: InputOf<D>,
): Flow<OutputOf<D>> {
  // The library hands every task's result back as unknown; the descriptor is what says which
  // activity answered, so this is the one place its output type is asserted.
  return (yield ctx.df.callActivityWithRetry(contract.name, retry, input)) as OutputOf<D>;
}

/** A task whose result, once it completed, is the event's payload. */
export interface EventTask<T> extends Task {
  readonly result?: T;
}

export function waitForEvent<D extends EventContract<never>>(
  ctx: OrchestrationContext,
  contract: D,
): EventTask<InputOf<D>> {
  // As in callWithRetry: the event's name fixes its payload type, which the library cannot know.
  return ctx.df.waitForExternalEvent(contract.name) as EventTask<InputOf<D>>;
}

/**
 * An orchestration's external events, waited for across races. The library hands an event to the
 * newest open waiter of its name (its executor keeps them as a stack), and a waiter that lost a
 * race stays open: an event it takes later, while the orchestration is busy elsewhere, would be
 * lost if nothing looked at it. The inbox keeps the waiters it made and, before waiting again,
 * hands out an event such a waiter took. A waiter is never yielded twice (the library would track
 * it twice).
 */
export class Inbox {
  private readonly open = new Map<string, EventTask<unknown>[]>();

  constructor(private readonly ctx: OrchestrationContext) {}

  /** An event of `contract` taken meanwhile by a waiter that lost its race, if one was (the earliest first). */
  taken<D extends EventContract<never>>(contract: D): { payload: InputOf<D> } | undefined {
    const list = this.open.get(contract.name) ?? [];
    // The stack gives the first event to the newest waiter: look from the newest.
    for (let i = list.length - 1; i >= 0; i--) {
      const task = list[i]!;
      if (!task.isCompleted) continue;
      list.splice(i, 1);
      return { payload: task.result as InputOf<D> };
    }
    return undefined;
  }

  /** A new waiter for `contract`, kept until `done`. */
  wait<D extends EventContract<never>>(contract: D): EventTask<InputOf<D>> {
    const task = waitForEvent(this.ctx, contract);
    const list = this.open.get(contract.name) ?? [];
    list.push(task);
    this.open.set(contract.name, list);
    return task;
  }

  /** The waiter's event was handled. */
  done(task: Task): void {
    for (const list of this.open.values()) {
      const i = list.indexOf(task as EventTask<unknown>);
      if (i >= 0) list.splice(i, 1);
    }
  }
}

/** The activity's task, for Task.all: its result, once done, is the descriptor's output. */
export function activityTask<D extends AnyActivity>(
  ctx: OrchestrationContext,
  contract: D,
  retry: RetryOptions,
  input: InputOf<D>,
): Task & { readonly result?: OutputOf<D> } {
  return ctx.df.callActivityWithRetry(contract.name, retry, input) as Task & { readonly result?: OutputOf<D> };
}

/** A sub-orchestration's task under a chosen instance id, for Task.all. */
export function subOrchestrationTask<D extends AnyOrchestration>(
  ctx: OrchestrationContext,
  contract: D,
  instanceId: string,
  input: InputOf<D>,
): Task & { readonly result?: OutputOf<D> } {
  return ctx.df.callSubOrchestrator(contract.name, input, instanceId) as Task & { readonly result?: OutputOf<D> };
}
