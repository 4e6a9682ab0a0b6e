// One HTTP operation of the API as the OpenAPI document describes it (docs/api.md): the
// registered function it documents (its name is the operationId), the zod schemas the handler
// validates with (the same objects, never copies), what it answers and which problem codes it
// may answer with. Each module keeps its operations next to its schemas (shared/<module>/openapi.ts);
// shared/http/openapi/document.ts assembles them.
import type { z } from 'zod';
import type { ErrorCode } from '../../errors.js';
import type { Role } from '../auth.js';
import type { RouteLimit } from '../rate-limit.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call: anyone; anyone, with a bearer token optional (it changes the answer); any signed-in
 * user; a signed-in user holding one of `roles`. `credential` names what authenticates an
 * anonymous call instead of a token (a webhook signature, a link's token).
 */
export type Access =
  | { kind: 'anonymous'; credential?: string }
  | { kind: 'optional' }
  | { kind: 'signed-in' }
  | { kind: 'roles'; roles: Role[] };

export const anonymous = (credential?: string): Access => ({ kind: 'anonymous', credential });
export const optionalUser: Access = { kind: 'optional' };
export const signedIn: Access = { kind: 'signed-in' };
export const withRole = (...roles: Role[]): Access => ({ kind: 'roles', roles });

export interface ApiResponse {
  description: string;
  /** The body's schema (application/json unless `contentType` says otherwise); none for an empty body. */
  schema?: z.ZodType;
  contentType?: string;
  /** Response headers the caller relies on (Location, ETag, Retry-After...), name → description. */
  headers?: Record<string, string>;
  example?: unknown;
}

export interface ApiOperation {
  /**
   * The registered function's name (app.http's first argument): the operationId, with `-<method>`
   * added when the function answers several methods (x-marquee-function keeps the name).
   */
  name: string;
  method: HttpMethod;
  /** The function's route as registered, without the `api/` prefix (e.g. `shows/{showId}`). */
  route: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the operation reads (Idempotency-Key...), as a zod object of strings. */
  headers?: z.ZodObject;
  /** The JSON body the handler parses (shared/http/validate.ts parseBody). */
  body?: z.ZodType;
  bodyRequired?: boolean;
  bodyExample?: unknown;
  /** Success (and 3xx) answers by status. */
  responses: Record<number, ApiResponse>;
  /**
   * Problem codes this operation answers besides the ones every operation may (rate limit, internal
   * error, a store outage) and the ones its access and input imply (401/403, 400/413/415).
   */
  problems: ErrorCode[];
  /**
   * Seconds a shared cache may keep a 200 (the handler's `Cache-Control: public, max-age`): the
   * gateway caches these (infra/terraform/apim-operations.tf). Only for anonymous GETs.
   */
  publicMaxAge?: number;
  /** A stricter rate-limit bucket the route also draws from (shared/http/rate-limit.ts RouteLimit). */
  limit?: RouteLimit;
  /** Not behind shared/http/handler.ts handle() (no rate limits, answers its own problems). */
  unwrapped?: boolean;
}
