// Calls a registered handler the way the worker does (local/README.md, Invocation): a public
// InvocationContext whose options are split from the binding metadata, extra inputs supplied by the
// plugin that owns their binding type, hooks run around the call, outputs handed to their plugin.
import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import type { Binding, HookCallback, RegisteredFunction, Registry } from './registry.js';
import type { Logger } from './log.js';
import { constructorless, standIn } from './library-objects.js';
import { invocationScope, type InvocationScope } from './supervise.js';

/** Supplies the value of an extra input binding (e.g. the durableClient payload). */
export type InputProvider = (binding: Binding, fn: RegisteredFunction, invocation: InvocationInfo) => unknown;
/** Receives the value a handler set on an output binding (e.g. a Service Bus message). */
export type OutputHandler = (
  binding: Binding,
  value: unknown,
  fn: RegisteredFunction,
  /** The invocation's span (core/tracing.ts), when telemetry is on: the send's parent. */
  traceParent?: string,
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
}

/**
 * Invocation ids: one random UUID per process run whose last 12 hex digits are replaced by a
 * counter, so every id is unique within the run, still has a UUID's shape, and costs no
 * randomness per call.
 */
const INVOCATION_ID_PREFIX = randomUUID().slice(0, 24);
let invocationCount = 0;
function nextInvocationId(): string {
  return INVOCATION_ID_PREFIX + (++invocationCount).toString(16).padStart(12, '0');
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
    const scope: InvocationScope = { functionName: fn.name, invocationId: '', fail: () => undefined };
    const result = invocationScope.run(scope, () => this.callInScope(fn, triggerValue, options, scope));
    if (typeof result !== 'object' || result === null || typeof (result as { then?: unknown }).then !== 'function')
      return result;
    return new Promise((resolve, reject) => {
      scope.fail = reject;
      (result as Promise<unknown>).then(resolve, reject);
    });
  }

  private callInScope(
    fn: RegisteredFunction,
    triggerValue: unknown,
    options: InvokeOptions,
    scope: InvocationScope,
  ): unknown {
    const split = splitBindings(fn);
    const context = this.contextFor(fn, split, options);
    scope.invocationId = context.invocationId;
    const preHooks = this.registry.hooks.get('preInvocation');
    const postHooks = this.registry.hooks.get('postInvocation');
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
    return this.invokeWith(fn, split, context, triggerValue, preHooks, postHooks);
  }

  private contextFor(fn: RegisteredFunction, split: SplitBindings, options: InvokeOptions): InvocationContext {
    const context = new LocalInvocationContext(
      nextInvocationId(),
      fn.name,
      options,
      split.contextOptions,
      this.log,
    ) as unknown as InvocationContext;
    for (const binding of split.extraInputs) {
      const provider = this.inputProviders.get(String(binding.type).toLowerCase());
      if (provider) context.extraInputs.set(binding.name, provider(binding, fn, options));
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

    for (const binding of extraOutputs) {
      const value = context.extraOutputs.get(binding.name);
      if (value === undefined) continue;
      await this.deliverOutput(binding, value, fn, context.traceContext?.traceParent);
    }
    if (returnBinding && returnBinding.type !== 'http' && result !== undefined) {
      await this.deliverOutput(returnBinding, result, fn, context.traceContext?.traceParent);
    }
    return result;
  }

  private async deliverOutput(
    binding: Binding,
    value: unknown,
    fn: RegisteredFunction,
    traceParent: string | undefined,
  ): Promise<void> {
    const handler = this.outputHandlers.get(String(binding.type).toLowerCase());
    if (!handler)
      throw new Error(
        `Function "${fn.name}" wrote output binding type "${binding.type}", which the local host does not support.`,
      );
    await handler(binding, value, fn, traceParent);
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

// An InvocationContext as `new InvocationContext({ invocationId, functionName, logHandler,
// triggerMetadata, retryContext, options })` builds it — same own properties in the same order,
// same methods — without the library's constructor and its WeakMap inserts (see
// library-objects.ts). Logging goes to the host log as the library's log handler would send it.
type Options = InvocationContext['options'];
type BindingRef = string | { name: string };
const libraryContext = new InvocationContext();
const ExtraInputsClass = Object.getPrototypeOf(libraryContext.extraInputs) as object;
const ExtraOutputsClass = Object.getPrototypeOf(libraryContext.extraOutputs) as object;

/** What get() reads before anything was set: an empty object, as the library's own record is. */
const NO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({});

class LocalExtraInputs extends constructorless(ExtraInputsClass) {
  /** Made on the first set (most invocations never set one). */
  #values: Record<string, unknown> | undefined;
  get(inputOrName: BindingRef): unknown {
    const name = typeof inputOrName === 'string' ? inputOrName : inputOrName.name;
    return (this.#values ?? NO_VALUES)[name];
  }
  set(inputOrName: BindingRef, value: unknown): void {
    (this.#values ??= {})[typeof inputOrName === 'string' ? inputOrName : inputOrName.name] = value;
  }
}
standIn(LocalExtraInputs, (ExtraInputsClass as { constructor: unknown }).constructor);

class LocalExtraOutputs extends constructorless(ExtraOutputsClass) {
  /** Made on the first set (most invocations never set one). */
  #values: Record<string, unknown> | undefined;
  get(outputOrName: BindingRef): unknown {
    const name = typeof outputOrName === 'string' ? outputOrName : outputOrName.name;
    return (this.#values ?? NO_VALUES)[name];
  }
  set(outputOrName: BindingRef, value: unknown): void {
    (this.#values ??= {})[typeof outputOrName === 'string' ? outputOrName : outputOrName.name] = value;
  }
}
standIn(LocalExtraOutputs, (ExtraOutputsClass as { constructor: unknown }).constructor);

class LocalInvocationContext extends constructorless(InvocationContext.prototype) {
  declare invocationId: string;
  declare functionName: string;
  declare extraInputs: LocalExtraInputs;
  declare extraOutputs: LocalExtraOutputs;
  declare retryContext: InvocationContext['retryContext'];
  declare traceContext: InvocationContext['traceContext'];
  declare triggerMetadata: InvocationContext['triggerMetadata'];
  declare options: Options;
  readonly #functionName: string;
  readonly #invocationId: string;
  readonly #log: Logger;

  constructor(
    invocationId: string,
    functionName: string,
    init: InvokeOptions,
    options: SplitBindings['contextOptions'],
    log: Logger,
  ) {
    super();
    // In the order the library's constructor assigns them (with its fallbacks).
    this.invocationId = invocationId || 'unknown';
    this.functionName = functionName || 'unknown';
    this.extraInputs = new LocalExtraInputs();
    this.extraOutputs = new LocalExtraOutputs();
    this.retryContext = init.retryContext as InvocationContext['retryContext'];
    this.traceContext = init.traceParent
      ? { traceParent: init.traceParent, traceState: '', attributes: {} }
      : undefined;
    this.triggerMetadata = init.triggerMetadata;
    this.options = {
      trigger: options.trigger || { name: 'unknown', type: 'unknown' },
      return: options.return,
      extraInputs: options.extraInputs || [],
      extraOutputs: options.extraOutputs || [],
    } as Options;
    this.#functionName = functionName;
    this.#invocationId = invocationId;
    this.#log = log;
  }

  #write(level: string, args: unknown[]): void {
    // What the library's log handler was given: the name and id as they were at the start.
    this.#log.fromFunction(this.#functionName, this.#invocationId, level, args);
  }
  log(...args: unknown[]): void {
    this.#write('information', args);
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }
  info(...args: unknown[]): void {
    this.#write('information', args);
  }
  warn(...args: unknown[]): void {
    this.#write('warning', args);
  }
  error(...args: unknown[]): void {
    this.#write('error', args);
  }
}
standIn(LocalInvocationContext, InvocationContext);
