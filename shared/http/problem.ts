// One error base with stable codes (STYLE rule 6): an AppError becomes an RFC 9457
// application/problem+json answer; anything else is logged and answered with a generic 500.
import type { HttpResponseInit } from '@azure/functions';

export interface FieldError {
  /** Dotted path of the offending input, e.g. "body.seatIds.3" or "query.date". */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  retryable?: boolean;
  /** Seconds; sent as Retry-After where a retry helps. */
  retryAfter?: number;
  errors?: FieldError[];
  /** Extra members of the problem document (e.g. the taken seats). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(options.detail ?? title);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new AppError(400, 'VALIDATION_FAILED', 'The request is not valid', { detail, errors });
export const unauthorized = (detail = 'A valid bearer token is required.') =>
  new AppError(401, 'UNAUTHORIZED', 'Authentication required', { detail });
export const forbidden = (detail: string) => new AppError(403, 'FORBIDDEN', 'Not allowed', { detail });
export const notFound = (what: string) =>
  new AppError(404, 'NOT_FOUND', 'Not found', { detail: `${what} was not found.` });
export const conflict = (code: string, detail: string, extra?: Record<string, unknown>, retryAfter?: number) =>
  new AppError(409, code, 'Conflict', { detail, extra, retryAfter, retryable: retryAfter !== undefined });

const PROBLEM_BASE = 'https://marquee.dev/problems/';

export function problemResponse(error: AppError, instance?: string): HttpResponseInit {
  const { detail, retryable = false, retryAfter, errors, extra, headers } = error.options;
  const body = {
    type: PROBLEM_BASE + error.code.toLowerCase().replace(/_/g, '-'),
    title: error.title,
    status: error.status,
    detail: detail ?? error.title,
    code: error.code,
    retryable,
    ...(instance ? { instance } : {}),
    ...(errors ? { errors } : {}),
    ...extra,
  };
  return {
    status: error.status,
    headers: {
      'content-type': 'application/problem+json',
      ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/** The generic apology for unexpected faults: no stack, no internals (STYLE rule 7). */
export function internalErrorResponse(instance?: string): HttpResponseInit {
  return problemResponse(
    new AppError(500, 'INTERNAL', 'Something went wrong', {
      detail: 'An unexpected error occurred. It has been logged.',
      retryable: true,
    }),
    instance,
  );
}
