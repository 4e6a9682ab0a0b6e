// The Functions-level `retry` policy (metadata.retryOptions, from the function's registration) as the host
// applies it to timer and Cosmos DB triggers: re-invoke after a delay, passing retryContext, until
// the handler succeeds or maxRetryCount retries were spent (-1 = forever). Service Bus does not use
// it (its retries are redeliveries). Shared with local/change-feed, which has the same semantics.
import type { HostContext } from './plugin.js';
import type { Duration, RegisteredFunction, RetryOptions } from '../core/registry.js';

export function durationMs(d: Duration | undefined): number {
  return (d?.seconds ?? 0) * 1000 + Math.floor((d?.nanos ?? 0) / 1e6);
}

/** Delay before retry number `retryCount` (1 = first retry). */
export function retryDelayMs(policy: RetryOptions, retryCount: number): number {
  if (policy.strategy === 'fixedDelay') return durationMs(policy.delayInterval);
  // Doubling from minimumInterval, capped at maximumInterval (the host's exponential strategy,
  // without its jitter so local runs are reproducible).
  const min = durationMs(policy.minimumInterval);
  const max = Math.max(min, durationMs(policy.maximumInterval));
  return Math.min(max, min * 2 ** Math.min(30, retryCount - 1));
}

export interface RetryRun {
  ok: boolean;
  error?: unknown;
  attempts: number;
}

/**
 * Invokes `fn` with `triggerValue`, honouring its retry policy. Never throws: the caller decides
 * what a final failure means (timer: wait for the next occurrence; change feed: checkpoint anyway).
 * `stopped()` ends a retry loop when the host shuts down.
 */
export async function invokeWithRetry(
  host: HostContext,
  fn: RegisteredFunction,
  triggerValue: unknown,
  extra: { triggerMetadata?: Record<string, unknown> } = {},
  stopped: () => boolean = () => false,
): Promise<RetryRun> {
  const policy = fn.metadata.retryOptions;
  let retryCount = 0;
  let last: unknown;
  for (;;) {
    const retryContext = policy
      ? {
          retryCount,
          maxRetryCount: policy.maxRetryCount,
          ...(retryCount > 0 ? { exception: { message: describe(last) } } : {}),
        }
      : undefined;
    try {
      await host.invoker.invoke(fn, triggerValue, { ...extra, ...(retryContext ? { retryContext } : {}) });
      return { ok: true, attempts: retryCount + 1 };
    } catch (error) {
      last = error;
      // (The Invoker logged the failure, with the invocation id and the retry count.)
      const canRetry = policy && (policy.maxRetryCount === -1 || retryCount < policy.maxRetryCount);
      if (!canRetry || stopped()) return { ok: false, error, attempts: retryCount + 1 };
      retryCount++;
      await sleep(retryDelayMs(policy, retryCount));
      if (stopped()) return { ok: false, error, attempts: retryCount };
    }
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
