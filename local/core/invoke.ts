// Calls a registered handler the way the worker does (local/README.md, Invocation): a public
// InvocationContext whose options are split from the binding metadata, extra inputs supplied by the
// plugin that owns their binding type, hooks run around the call, outputs handed to their plugin.
import { randomUUID } from 'node:crypto';
import type { InvocationContext } from '@azure/functions';
import type { Binding, HookCallback, RegisteredFunction, Registry } from './registry.js';
import type { Logger } from './log.js';
import { functionsLibrary } from './app-library.js';
import { invocationScope, type InvocationScope } from './supervise.js';
import { usage } from './usage.js';

/**
 * Supplies the value of an extra input binding (e.g. the durableClient payload). A promise is
 * awaited before the handler runs (a blob or table read); the trigger's value and metadata are
 * there for binding expressions such as `samples/{queueTrigger}`.
 */
export type InputProvider = (
  binding: Binding,
  fn: RegisteredFunction,
  invocation: InvokeOptions,
  triggerValue: unknown,
) => unknown;
/** Receives the value a handler set on an output binding (e.g. a Service Bus message). */
export type OutputHandler = (
  binding: Binding,
  value: unknown,
  fn: RegisteredFunction,
  /** The invocation's span (core/tracing.ts), when telemetry is on: the send's parent. */
  traceParent?: string,
  /** What the binding expressions of the output's options may refer to (the trigger's data). */
  trigger?: { value: unknown; metadata?: Record<string, unknown> },
) => Promise<void> | void;

export interface InvocationInfo {
  /** Origin of the HTTP request that triggered the call, when there is one. */
  requestOrigin?: string;
}

export interface InvokeOptions extends InvocationInfo {
  triggerMetadata?: Record<string, unknown>;
  retryContext?: { retryCount: number; maxRetryCount: number; exception?: { message?: string } };
  /** The host's span of this invocation (core/tracing.ts), handed over as InvocationContext.traceContext. */
  traceParent?: string;
  /** What the failure log line adds after the invocation id (e.g. `instance <id>`). */
  logDetail?: string;
  /** No failure log line: the caller reports the failure itself (orchestrator replays). */
  quiet?: boolean;
}

/**
 * Invocation ids: UUID-shaped, unique in the run, and distinct from the first character on — a
 * counter (from a random start) in the first eight hex digits, the rest random per run — without
 * drawing randomness per call (an earlier counter at the end left every id of a run with the same
 * first 24 characters, and log lines that showed a prefix all showed the same one).
 */
const INVOCATION_ID_REST = randomUUID().slice(8);
let invocationCount = Math.floor(Math.random() * 0x7fffffff);
function nextInvocationId(): string {
  invocationCount = (invocationCount + 0x9e3779b1) >>> 0; // a step that visits every 32-bit value
  return invocationCount.toString(16).padStart(8, '0') + INVOCATION_ID_REST;
}

/**
 * A function was called while the host is still starting and the plugin that supplies one of its
 * extra inputs (e.g. the durableClient payload) has not started yet. Not the function's fault: the
 * HTTP plugin answers it 503 HOST_STARTING with Retry-After, as for a route not served yet.
 */
export class InputNotReadyError extends Error {
  constructor(functionName: string, bindingType: string) {
    super(`${functionName}: its ${bindingType} input is not available while the host starts`);
    this.name = 'InputNotReadyError';
  }
}

export class Invoker {
  private readonly inputProviders = new Map<string, InputProvider>();
  private readonly outputHandlers = new Map<string, OutputHandler>();
  private starting: boolean;

  constructor(
    private readonly registry: Registry,
    private readonly log: Logger,
    /** Set by the host while its plugins start: an input no plugin supplies yet is InputNotReadyError then. */
    options: { starting?: boolean } = {},
  ) {
    this.starting = options.starting ?? false;
  }

  /** Every plugin has started: an input nobody supplies is left unset from now on (the function decides). */
  markStarted(): void {
    this.starting = false;
  }

  provideInput(bindingType: string, provider: InputProvider): void {
    this.inputProviders.set(bindingType.toLowerCase(), provider);
  }

  handleOutput(bindingType: string, handler: OutputHandler): void {
    this.outputHandlers.set(bindingType.toLowerCase(), handler);
  }

  /** Whether a plugin supplies this input binding type (lower case compare). */
  suppliesInput(bindingType: string): boolean {
    return this.inputProviders.has(bindingType.toLowerCase());
  }

  /** Whether a plugin delivers this output binding type (`http` is the HTTP plugin's answer). */
  deliversOutput(bindingType: string): boolean {
    const type = bindingType.toLowerCase();
    return type === 'http' || this.outputHandlers.has(type);
  }

  /** Runs the handler; resolves to its return value once every output binding was delivered. */
  invoke(fn: RegisteredFunction, triggerValue: unknown, options: InvokeOptions = {}): Promise<unknown> {
    try {
      return Promise.resolve(this.call(fn, triggerValue, options));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /**
   * `invoke` for a caller that can take a synchronous answer: a plain HTTP function (no hooks,
   * nothing to deliver afterwards) that returns a value gets it back as it is, without a promise;
   * otherwise the promise `invoke` would give. A synchronous throw is thrown.
   */
  call(fn: RegisteredFunction, triggerValue: unknown, options: InvokeOptions = {}): unknown {
    // An error the handler lets escape later (a timer, a callback, an unhandled rejection) is
    // routed to this invocation by supervise.ts and fails it, instead of ending the process.
    const scope: InvocationScope = {
      functionName: fn.name,
      invocationId: '',
      traceParent: options.traceParent,
      fail: () => undefined,
    };
    usage.execution(fn.trigger.type);
    let result: unknown;
    try {
      result = invocationScope.run(scope, () => this.callInScope(fn, triggerValue, options, scope));
    } catch (err) {
      this.failed(fn, scope.invocationId, options, err);
      throw err;
    }
    if (typeof result !== 'object' || result === null || typeof (result as { then?: unknown }).then !== 'function')
      return result;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        this.failed(fn, scope.invocationId, options, err);
        reject(err as Error);
      };
      scope.fail = fail;
      (result as Promise<unknown>).then((value) => {
        settled = true;
        resolve(value);
      }, fail);
    });
  }

  /**
   * Every failed invocation is one host log line naming the function and its full invocation id, as
   * the real host's "Executed 'Functions.x' (Failed, Id=…)", with what the caller adds (an
   * orchestration instance, a message id). Orchestrator replays are `quiet`: the library reports an
   * orchestration's failure by throwing, and the engine logs the instance's end itself.
   */
  private failed(fn: RegisteredFunction, invocationId: string, options: InvokeOptions, err: unknown): void {
    if (options.quiet) return;
    const retry = options.retryContext?.retryCount ? `, retry ${options.retryContext.retryCount}` : '';
    this.log.error(
      "Executed '%s' (Failed, Id=%s%s%s): %s",
      fn.name,
      invocationId || 'none',
      options.logDetail ? `, ${options.logDetail}` : '',
      retry,
      err instanceof Error ? (err.stack ?? err.message) : String(err),
    );
  }

  private callInScope(
    fn: RegisteredFunction,
    triggerValue: unknown,
    options: InvokeOptions,
    scope: InvocationScope,
  ): unknown {
    const split = splitBindings(fn);
    const pending: Promise<unknown>[] = [];
    const context = this.contextFor(fn, split, options, triggerValue, pending);
    scope.invocationId = context.invocationId;
    const preHooks = this.registry.hooks.get('preInvocation');
    const postHooks = this.registry.hooks.get('postInvocation');
    if (pending.length) {
      // An input read from storage: the handler runs once every such input has arrived.
      return Promise.all(pending).then(() =>
        this.invokeWith(fn, split, context, triggerValue, options, preHooks, postHooks),
      );
    }
    if (
      !preHooks?.length &&
      !postHooks?.length &&
      !split.extraOutputs.length &&
      (!split.returnBinding || split.returnBinding.type === 'http')
    ) {
      // No hooks and nothing to deliver afterwards (a plain HTTP function): the handler's own
      // answer (or promise) is the answer, without an async wrapper and its extra microtask turns.
      return fn.callback(triggerValue, context);
    }
    return this.invokeWith(fn, split, context, triggerValue, options, preHooks, postHooks);
  }

  private contextFor(
    fn: RegisteredFunction,
    split: SplitBindings,
    options: InvokeOptions,
    triggerValue: unknown,
    pending: Promise<unknown>[],
  ): InvocationContext {
    // The app's own InvocationContext class (app-library.ts), as the worker builds it.
    const invocationId = nextInvocationId();
    const log = this.log;
    const context = new (functionsLibrary().InvocationContext)({
      invocationId,
      functionName: fn.name,
      logHandler: (level, ...args) => log.fromFunction(fn.name, invocationId, level, args),
      retryContext: options.retryContext as InvocationContext['retryContext'],
      traceContext: options.traceParent
        ? { traceParent: options.traceParent, traceState: '', attributes: {} }
        : undefined,
      triggerMetadata: options.triggerMetadata,
      options: split.contextOptions as InvocationContext['options'],
    });
    for (const binding of split.extraInputs) {
      const provider = this.inputProviders.get(String(binding.type).toLowerCase());
      if (provider) {
        const value = provider(binding, fn, options, triggerValue);
        if (value instanceof Promise) pending.push(value.then((v) => context.extraInputs.set(binding.name, v)));
        else context.extraInputs.set(binding.name, value);
      }
      // An HTTP function served while later plugins start (a restart under load) must not run
      // without its input: durable-functions' getClient would throw and the app answer 500.
      else if (this.starting) throw new InputNotReadyError(fn.name, String(binding.type));
    }
    return context;
  }

  private async invokeWith(
    fn: RegisteredFunction,
    split: SplitBindings,
    context: InvocationContext,
    triggerValue: unknown,
    options: InvokeOptions,
    preHooks: readonly HookCallback[] | undefined,
    postHooks: readonly HookCallback[] | undefined,
  ): Promise<unknown> {
    const { returnBinding, extraOutputs } = split;
    let result: unknown;
    if (!preHooks?.length && !postHooks?.length) {
      // No invocation hooks (the usual case): the same call without building their contexts.
      result = await fn.callback(triggerValue, context);
    } else {
      const hookData: Record<string, unknown> = {};
      const pre = {
        hookData,
        appHookData: {},
        invocationContext: context,
        inputs: [triggerValue],
        functionCallback: fn.callback,
      };
      await this.runHooks(preHooks, pre);
      let error: unknown;
      try {
        result = await pre.functionCallback(pre.inputs[0], context);
      } catch (err) {
        error = err;
      }
      const post = { hookData, appHookData: {}, invocationContext: context, inputs: pre.inputs, result, error };
      await this.runHooks(postHooks, post);
      if (post.error) throw post.error;
      result = post.result;
    }

    const trigger = { value: triggerValue, metadata: options.triggerMetadata };
    for (const binding of extraOutputs) {
      const value = context.extraOutputs.get(binding.name);
      if (value === undefined) continue;
      await this.deliverOutput(binding, value, fn, context.traceContext?.traceParent, trigger);
    }
    if (returnBinding && returnBinding.type !== 'http' && result !== undefined) {
      await this.deliverOutput(returnBinding, result, fn, context.traceContext?.traceParent, trigger);
    }
    return result;
  }

  private async deliverOutput(
    binding: Binding,
    value: unknown,
    fn: RegisteredFunction,
    traceParent: string | undefined,
    trigger: { value: unknown; metadata?: Record<string, unknown> },
  ): Promise<void> {
    const handler = this.outputHandlers.get(String(binding.type).toLowerCase());
    if (!handler)
      throw new Error(
        `Function "${fn.name}" wrote output binding type "${binding.type}", which the local host does not support.`,
      );
    await handler(binding, value, fn, traceParent, trigger);
  }

  private async runHooks(
    hooks: readonly HookCallback[] | undefined,
    hookContext: Record<string, unknown>,
  ): Promise<void> {
    if (!hooks) return;
    for (const hook of hooks) await hook(hookContext);
  }
}

interface SplitBindings {
  trigger: Binding;
  returnBinding?: Binding;
  extraInputs: Binding[];
  extraOutputs: Binding[];
  /** What InvocationContext takes as `options`, built once. */
  contextOptions: { trigger: Binding; return?: Binding; extraInputs: Binding[]; extraOutputs: Binding[] };
}

const splitCache = new WeakMap<RegisteredFunction, SplitBindings>();

/** Splits metadata.bindings as `@azure/functions` does; each entry's name is its map key. */
export function splitBindings(fn: RegisteredFunction): SplitBindings {
  const cached = splitCache.get(fn);
  if (cached) return cached;
  let trigger = fn.trigger;
  let returnBinding: Binding | undefined;
  const extraInputs: Binding[] = [];
  const extraOutputs: Binding[] = [];
  for (const [key, binding] of Object.entries(fn.metadata.bindings)) {
    const named = { ...binding, name: key };
    if (binding === fn.trigger) trigger = named;
    else if (key === '$return') returnBinding = { ...binding };
    else if (binding.direction === 'out') extraOutputs.push(named);
    else extraInputs.push(named);
  }
  const split: SplitBindings = {
    trigger,
    returnBinding,
    extraInputs,
    extraOutputs,
    contextOptions: { trigger, return: returnBinding, extraInputs, extraOutputs },
  };
  splitCache.set(fn, split);
  return split;
}
