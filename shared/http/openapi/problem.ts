// The RFC 9457 problem+json answer as shared/http/problem.ts builds it, as a schema, and the error
// responses of one operation: its codes grouped by their status, each status's `code` narrowed to
// the codes it may carry, with the code's title as an example.
import { z } from 'zod';
import { titleOf, type ErrorCode } from '../../errors.js';
import { statusOf } from '../problem.js';
import type { ApiOperation } from './operation.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const FieldErrorSchema = z
  .object({
    field: z.string().meta({ description: 'Dotted path of the offending input', example: 'body.seatIds.0' }),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });

/** Extension members (the taken seats, a booking's status...) are allowed: the object stays open. */
export const ProblemSchema = z
  .looseObject({
    type: z.url().meta({ example: 'https://marquee.dev/problems/seats-unavailable' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    code: z.string().meta({ description: 'Stable machine-readable code; the type URI ends with it' }),
    retryable: z.boolean().meta({ description: 'Trying the same request again later may succeed' }),
    instance: z.string().optional().meta({ description: 'The request path' }),
    errors: z.array(FieldErrorSchema).optional().meta({ description: 'Every offending input (400 only)' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (shared/http/problem.ts)' });

/** Every operation behind handle() may answer these. */
const COMMON: ErrorCode[] = ['RATE_LIMITED', 'INTERNAL', 'DEPENDENCY_UNAVAILABLE'];

/** The problem codes an operation may answer: its own, and those its access, input and wrapper imply. */
export function problemCodesOf(op: ApiOperation): ErrorCode[] {
  const codes = new Set<ErrorCode>(op.unwrapped ? [] : COMMON);
  if (op.access.kind !== 'anonymous') codes.add('UNAUTHORIZED');
  if (op.access.kind === 'roles') codes.add('FORBIDDEN');
  if (op.params || op.query || op.headers || op.body) codes.add('VALIDATION_FAILED');
  if (op.body) {
    codes.add('PAYLOAD_TOO_LARGE');
    codes.add('UNSUPPORTED_MEDIA_TYPE');
  }
  for (const code of op.problems) codes.add(code);
  return [...codes];
}

/** Status → the codes answered with it. */
export function problemsByStatus(codes: ErrorCode[]): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/** One status's problem schema: the shared Problem with `code` narrowed to `codes`. */
export function problemSchemaFor(status: number, codes: ErrorCode[]): z.ZodType {
  return z.intersection(
    ProblemSchema,
    // Open, like Problem: in an allOf, a closed part would refuse the members the other part names.
    z.looseObject({
      status: z.literal(status),
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
    }),
  );
}

export function problemExample(code: ErrorCode, instance: string): Record<string, unknown> {
  const status = statusOf(code);
  return {
    type: `https://marquee.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: titleOf(code),
    status,
    detail: titleOf(code) + '.',
    code,
    retryable: status >= 500 || code === 'RATE_LIMITED',
    instance,
  };
}
