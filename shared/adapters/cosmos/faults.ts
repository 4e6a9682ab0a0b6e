// Cosmos DB failing, in the app's terms: an operation that ends in a timeout, in 429 after the SDK's
// own retries, in 5xx or in a network error answers the retryable DEPENDENCY_UNAVAILABLE system
// error (503 with Retry-After at the HTTP edge, docs/architecture.md, Errors) instead of an SDK
// error the edge can only call INTERNAL. The translation sits at the client, as an operation
// plugin, so every call any store makes is covered, retries included; the answers a store handles
// itself (404, 409, 412) and the SDK's 400s (a bug, not an outage) pass through unchanged.
import { SystemError } from '../../errors.js';

/** Seconds a caller is told to wait when the service gave no hint. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

const NETWORK_CODES = new Set([
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface SdkError {
  code?: unknown;
  statusCode?: unknown;
  name?: unknown;
  retryAfterInMs?: unknown;
  retryAfterInMilliseconds?: unknown;
  cause?: unknown;
}

/** The system error an SDK failure means, or undefined when it is not an outage. */
export function unavailableError(err: unknown): SystemError<'DEPENDENCY_UNAVAILABLE'> | undefined {
  if (err instanceof SystemError || typeof err !== 'object' || err === null) return undefined;
  const e = err as SdkError;
  const status = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const network =
    (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) ||
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    (typeof (e.cause as SdkError | undefined)?.code === 'string' &&
      NETWORK_CODES.has((e.cause as { code: string }).code));
  if (!network && !(status !== undefined && (status === 408 || status === 429 || status >= 500))) return undefined;
  const hintMs = Number(e.retryAfterInMs ?? e.retryAfterInMilliseconds);
  return new SystemError('DEPENDENCY_UNAVAILABLE', {
    detail: 'The database is not answering right now. Try again shortly.',
    retryAfter: hintMs > 0 ? Math.ceil(hintMs / 1000) : OUTAGE_RETRY_AFTER_SECONDS,
    cause: err,
  });
}

/** Runs one SDK call (its retries included) and rethrows an outage as the system error. */
export async function withOutage<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw unavailableError(err) ?? err;
  }
}

/**
 * The SDK's operation plugin (CosmosClientOptions `plugins`, wired in client.ts): it wraps one
 * whole point operation. Queries do not pass through it — the SDK's query feed goes straight to its
 * request handler — so every query is run through `withOutage` where it is made (documents.ts
 * `queryDocs`, and the few stores with a query of their own): a query timing out is a 503 too.
 */
export const outagePlugin = {
  on: 'operation' as const,
  plugin: <T>(context: unknown, diagnostics: unknown, next: (context: unknown) => Promise<T>): Promise<T> =>
    withOutage(() => next(context)),
};
