// Retry delays for *WithRetry tasks: the DTFx RetryInterceptor formula, which the extension uses.
import type { RetryPolicy } from './history.js';

/** Delay after the failed try `attempt` (counted from 0): min(first × coef^attempt, max). */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const coefficient = policy.backoffCoefficient ?? 1;
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(coefficient, attempt);
  const max = policy.maxRetryIntervalInMilliseconds;
  // The library sends 0 (its default) for "no maximum"; only a positive value caps the delay.
  return Math.max(0, typeof max === 'number' && max > 0 ? Math.min(delay, max) : delay);
}
