// Provides the module `@azure/functions-core` that the real Node worker injects (local/README.md,
// Registration). `@azure/functions` looks it up once, at its first registration, and caches a failure for
// good — so this hook must be installed before any app module is imported.
import Module from 'node:module';
import type { FunctionCallback, FunctionMetadata, HookCallback, HookName, Registry } from './registry.js';

type LogFn = (level: string, category: string, message: string) => void;

let installed: Registry | undefined;

export function installFunctionsCore(registry: Registry, log: LogFn): void {
  if (installed) throw new Error('The @azure/functions-core hook is already installed in this process.');
  installed = registry;
  const core = {
    version: 'marquee-local-host',
    get hostVersion() {
      return '4.0.0-local';
    },
    registerFunction(metadata: FunctionMetadata, callback: FunctionCallback) {
      registry.register(metadata, callback);
      return { dispose() {} };
    },
    setProgrammingModel(model: unknown) {
      registry.programmingModel = model;
    },
    getProgrammingModel() {
      return registry.programmingModel;
    },
    registerHook(name: HookName, callback: HookCallback) {
      return registry.addHook(name, callback);
    },
    log,
    Disposable: class {
      constructor(private readonly onDispose: () => void) {}
      dispose() {
        this.onDispose();
      }
    },
  };
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  const original = proto.require;
  proto.require = function (this: unknown, id: string) {
    if (id === '@azure/functions-core') return core;
    return original.call(this, id);
  };
}
