// Wraps an HTTP handler: the edge's rate limits first (rate-limit.ts), then the handler; known
// AppErrors become problem+json with their code, anything else is logged with its cause and answered
// with the generic apology. Triggers stay thin (docs/architecture.md, Layers).
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { AppError, SystemError } from '../errors.js';
import { internalErrorResponse, problemResponse } from './problem.js';
import type { RateLimits, RouteLimit } from './rate-limit.js';

/**
 * The limits every handle()d route is admitted by, installed by the composition root
 * (shared/services.ts) when it is built at app start; none before that, or when they are turned off.
 */
let limits: RateLimits | undefined;
export function useRateLimits(installed: RateLimits | undefined): void {
  limits = installed;
}

export interface RouteOptions {
  /** A stricter bucket this route also draws from (e.g. starting a booking). */
  limit?: RouteLimit;
}

/** May answer synchronously (a cached answer needs no promise); a throw becomes the same answer as a rejection. */
export type RouteHandler = (
  req: HttpRequest,
  context: InvocationContext,
) => Promise<HttpResponseInit> | HttpResponseInit;

export function handle(handler: RouteHandler, options: RouteOptions = {}): HttpHandler {
  // The handler's promise with a rejection handler, rather than an async wrapper awaiting it: the
  // same answers, one promise and two microtask turns fewer per request. A handler that answered
  // synchronously cannot reject, so its answer goes back as it is (a function may return its
  // result or a promise of it; the worker and the local host take either), and a host that can
  // write it at once does.
  return (req, context) => {
    if (limits) {
      // Synchronous when the caller is known (no promise, no extra turn); a new token is verified first.
      const refusal = limits.check(req, options.limit);
      if (refusal instanceof Promise) {
        return refusal
          .then((r) => {
            if (r) throw r;
            return handler(req, context);
          })
          .then(undefined, (err: unknown) => failed(err, req, context));
      }
      if (refusal) return failed(refusal, req, context);
    }
    let answer: Promise<HttpResponseInit> | HttpResponseInit;
    try {
      answer = handler(req, context);
    } catch (err) {
      return Promise.reject(err as Error).then(undefined, (e: unknown) => failed(e, req, context));
    }
    if (typeof (answer as { then?: unknown } | null)?.then !== 'function') return answer as HttpResponseInit;
    return Promise.resolve(answer).then(undefined, (err: unknown) => failed(err, req, context));
  };
}

function failed(err: unknown, req: HttpRequest, context: InvocationContext): HttpResponseInit {
  const instance = new URL(req.url).pathname;
  if (err instanceof SystemError) {
    // A dependency failed or stayed contended: the caller gets the retryable answer, the log the cause.
    context.warn(`${err.code} in ${context.functionName}: ${err.message}`, err.cause ?? '');
    return problemResponse(err, instance);
  }
  if (err instanceof AppError) return problemResponse(err, instance);
  context.error(`unhandled error in ${context.functionName}:`, err);
  return internalErrorResponse(instance);
}

/** A JSON answer; `body` is serialised once here. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
