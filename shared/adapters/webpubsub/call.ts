// Every Web PubSub REST call gets a timeout (an AbortSignal per attempt) and a bounded number of
// attempts with jittered exponential backoff. Only faults a retry may cure are retried: timeouts,
// network errors, 408, 429 and 5xx. A 4xx answer is final. The SDK's own pipeline retries are
// switched off (client.ts) so these numbers are the whole story.
import { RealtimeError } from '../../ports/realtime.js';
import { telemetry, type Attributes } from '../../telemetry/port.js';

export interface CallPolicy {
  timeoutMs: number;
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

interface StatusError {
  statusCode?: number;
  name?: string;
}

export function isRetryable(err: unknown): boolean {
  const status = (err as StatusError | undefined)?.statusCode;
  if (status === undefined) return true; // timeout, reset, refused, DNS
  return status === 408 || status === 429 || status >= 500;
}

export function call<T>(
  what: string,
  policy: CallPolicy,
  fn: (abortSignal: AbortSignal) => Promise<T>,
  random: () => number = Math.random,
  attributes: Attributes = {},
): Promise<T> {
  // One span per send, its retries inside (docs/telemetry.md).
  return telemetry().span(`webpubsub ${what}`, attributes, () => attempts(what, policy, fn, random), 'webpubsub');
}

async function attempts<T>(
  what: string,
  policy: CallPolicy,
  fn: (abortSignal: AbortSignal) => Promise<T>,
  random: () => number,
): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    try {
      return await fn(AbortSignal.timeout(policy.timeoutMs));
    } catch (err) {
      last = err;
      if (!isRetryable(err) || attempt === policy.maxAttempts) break;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, Math.round(ceiling / 2 + (random() * ceiling) / 2)));
    }
  }
  const status = (last as StatusError | undefined)?.statusCode;
  throw new RealtimeError(
    `Web PubSub ${what} failed${status ? ` with ${status}` : ''}: ${(last as Error)?.message ?? String(last)}`,
    { cause: last },
  );
}
