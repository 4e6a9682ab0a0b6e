// The host survives its functions (local/README.md, Supervision): an error that escapes a handler
// outside its promise — thrown from a timer or callback the handler started, or a rejection nobody
// handled — would end a Node process, and with it every emulator and saga. Each invocation runs in
// an AsyncLocalStorage scope that timers, callbacks and promises it starts inherit, so the
// process-level handlers know whose error it is: that invocation fails (500 for HTTP, a failed
// activity, an abandoned Service Bus message that is redelivered) and is logged; the host goes on.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './log.js';

export interface InvocationScope {
  readonly functionName: string;
  invocationId: string;
  /** The host's span of the invocation, when traced (an in-process Durable client call is parented by it). */
  readonly traceParent?: string;
  /** Fails the invocation if it has not finished yet (it has: nothing more happens than the log line). */
  fail(err: unknown): void;
}

export const invocationScope = new AsyncLocalStorage<InvocationScope>();

let installed = false;

/** Installs the process-level handlers once per process (main.ts runs the host in one). */
export function superviseProcess(log: Logger): void {
  if (installed) return;
  installed = true;
  const escaped = (what: string) => (err: unknown) => {
    const detail = (err as Error)?.stack ?? String(err);
    const scope = invocationScope.getStore();
    if (!scope) {
      log.error('%s in the host, outside any invocation (the host keeps running): %s', what, detail);
      return;
    }
    log.error(
      '%s (%s): %s escaped the handler; the invocation fails: %s',
      scope.functionName,
      scope.invocationId,
      what,
      detail,
    );
    scope.fail(err);
  };
  process.on('uncaughtException', escaped('an uncaught exception'));
  process.on('unhandledRejection', escaped('an unhandled promise rejection'));
}
