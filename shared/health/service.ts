// Health of the app's dependencies (GET /api/health): each check is one cheap call under its own
// timeout, run in parallel; the report names each dependency with up/down and its latency. The
// answer is for an anonymous caller, so a failure is described by kind (timeout, HTTP status,
// unreachable), never with internals; the cause goes to the log. The checks themselves are built
// from the adapters in shared/services.ts.
import { SystemError } from '../errors.js';

export type HealthStatus = 'up' | 'down';

export interface CheckResult {
  status: HealthStatus;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, CheckResult>;
}

/** One dependency probe; it must honour the signal (it is aborted at the timeout). */
export type HealthCheck = (signal: AbortSignal) => Promise<void>;

export type FailureLog = (name: string, error: unknown) => void;

export async function runHealthChecks(
  checks: Record<string, HealthCheck>,
  timeoutMs: number,
  onFailure: FailureLog = () => {},
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(
      async ([name, check]) => [name, await runOne(name, check, timeoutMs, onFailure)] as const,
    ),
  );
  const results = Object.fromEntries(entries);
  const status = entries.every(([, r]) => r.status === 'up') ? 'up' : 'down';
  return { status, checks: results };
}

async function runOne(
  name: string,
  check: HealthCheck,
  timeoutMs: number,
  onFailure: FailureLog,
): Promise<CheckResult> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  // The race is the backstop for a client that ignores its abort signal (e.g. inside SDK retries).
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TimeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), timeout]);
    return { status: 'up', latencyMs: elapsed(started) };
  } catch (err) {
    onFailure(name, err);
    return { status: 'down', latencyMs: elapsed(started), error: describe(err, timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`timeout after ${ms} ms`);
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10;

function describe(err: unknown, timeoutMs: number): string {
  // An adapter may have translated the SDK's failure (e.g. shared/adapters/cosmos/faults.ts): describe the original.
  if (err instanceof SystemError && err.cause !== undefined) return describe(err.cause, timeoutMs);
  if (err instanceof TimeoutError || (err as Error)?.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; cause?: { code?: unknown } };
  // @azure/cosmos puts the HTTP status in a numeric `code`; other SDKs in `statusCode`.
  if (typeof e?.statusCode === 'number') return `HTTP ${e.statusCode}`;
  if (typeof e?.code === 'number') return `HTTP ${e.code}`;
  if (typeof e?.message === 'string' && /^HTTP \d{3}$/.test(e.message)) return e.message;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (code && /^E[A-Z]+$/.test(code)) return `unreachable (${code})`;
  if (e?.message === 'fetch failed') return 'unreachable';
  return 'failed';
}
