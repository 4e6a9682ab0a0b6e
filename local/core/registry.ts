// What the app registered through `@azure/functions-core`: the same metadata the real worker hands
// the host (local/README.md, Registration). Plugins read it; nothing keeps a second list.

/** A binding as `@azure/functions` produced it: the user's options plus type, name, direction. */
export interface Binding {
  type: string;
  name: string;
  direction: 'in' | 'out' | 'inout';
  [option: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, Binding>;
  retryOptions?: RetryOptions;
}

export type RetryOptions =
  | { strategy: 'fixedDelay'; maxRetryCount: number; delayInterval: Duration }
  | { strategy: 'exponentialBackoff'; maxRetryCount: number; minimumInterval: Duration; maximumInterval: Duration };

export interface Duration {
  seconds?: number;
  nanos?: number;
}

export type FunctionCallback = (triggerValue: unknown, context: unknown) => unknown;

export interface RegisteredFunction {
  readonly name: string;
  readonly metadata: FunctionMetadata;
  readonly callback: FunctionCallback;
  /** The binding whose type ends in "Trigger" (the library's own rule). */
  readonly trigger: Binding;
}

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';
export type HookCallback = (context: Record<string, unknown>) => unknown;

export class Registry {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>();
  programmingModel: unknown;
  private sealed = false;

  register(metadata: FunctionMetadata, callback: FunctionCallback): void {
    // Same rules as the real worker: one id per function, and only while the app loads.
    if (this.sealed) throw new Error(`A function can only be registered during app startup (${metadata.name}).`);
    if (this.functions.has(metadata.name)) throw new Error(`Duplicate function name "${metadata.name}".`);
    const trigger = Object.values(metadata.bindings).find((b) => /trigger$/i.test(b.type));
    if (!trigger) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    this.functions.set(metadata.name, { name: metadata.name, metadata, callback, trigger });
  }

  addHook(name: HookName, callback: HookCallback): { dispose(): void } {
    const list = this.hooks.get(name) ?? [];
    list.push(callback);
    this.hooks.set(name, list);
    return { dispose: () => list.splice(list.indexOf(callback) >>> 0, 1) };
  }

  seal(): void {
    this.sealed = true;
  }

  byTriggerType(type: string): RegisteredFunction[] {
    const wanted = type.toLowerCase();
    return [...this.functions.values()].filter((f) => f.trigger.type.toLowerCase() === wanted);
  }

  get(name: string): RegisteredFunction | undefined {
    return this.functions.get(name);
  }
}
