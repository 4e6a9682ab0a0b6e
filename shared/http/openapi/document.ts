// Assembles the OpenAPI 3.1 document from every module's operations (docs/api.md): zod-openapi
// turns the handlers' own zod schemas into JSON Schema 2020-12 (requests as the handler accepts
// them, responses as it answers), named schemas (`.meta({ id })`) become components. Each
// operation gets its problem answers (shared/http/openapi/problem.ts), its security (bearer JWT,
// with the roles it needs as the requirement's role list, which OpenAPI 3.1 allows), and
// x-marquee-* extensions the gateway's policies are generated from (infra/terraform/apim-operations.tf).
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { catalogOperations } from '../../catalog/openapi.js';
import { seatOperations } from '../../inventory/openapi.js';
import { bookingOperations } from '../../booking/openapi.js';
import { profileOperations } from '../../profile/openapi.js';
import { notificationOperations } from '../../notifications/openapi.js';
import { partnerOperations } from '../../partners/openapi.js';
import { realtimeOperations } from '../../realtime/openapi.js';
import { recommendationOperations } from '../../recommendations/openapi.js';
import { healthOperations } from '../../health/openapi.js';
import { waitingRoomOperations } from '../../waiting-room/openapi.js';
import { paymentWebhookOperations } from '../../adapters/payments/openapi.js';
import { docsOperations } from './docs-operations.js';
import type { ApiOperation } from './operation.js';
import {
  PROBLEM_CONTENT_TYPE,
  problemCodesOf,
  problemExample,
  problemsByStatus,
  problemSchemaFor,
  ProblemSchema,
} from './problem.js';
import { titleOf } from '../../errors.js';

export const API_VERSION = '1.0.0';

/** Every HTTP operation of the app; test/openapi/coverage.test.ts checks it against the registrations. */
export const apiOperations: readonly ApiOperation[] = [
  ...catalogOperations,
  ...seatOperations,
  ...bookingOperations,
  ...waitingRoomOperations,
  ...paymentWebhookOperations,
  ...profileOperations,
  ...notificationOperations,
  ...recommendationOperations,
  ...realtimeOperations,
  ...partnerOperations,
  ...healthOperations,
  ...docsOperations,
];

/** A registered route as an OpenAPI path: `docs/{*asset}` → `/docs/{asset}`, constraints dropped. */
export function pathOf(route: string): string {
  return '/' + route.replace(/\{\*{0,2}([A-Za-z0-9_]+)(?::[^}=?]*)?[?]?(?:=[^}]*)?\}/g, '{$1}');
}

function securityOf(op: ApiOperation): ZodOpenApiOperationObject['security'] {
  switch (op.access.kind) {
    case 'anonymous':
      return [];
    case 'optional':
      return [{}, { bearer: [] }];
    case 'signed-in':
      return [{ bearer: [] }];
    case 'roles':
      return [{ bearer: op.access.roles }];
  }
}

function operationObject(op: ApiOperation, operationId: string): ZodOpenApiOperationObject {
  const path = pathOf(op.route);
  const responses: ZodOpenApiOperationObject['responses'] = {};
  for (const [status, r] of Object.entries(op.responses)) {
    responses[status as `2${string}`] = {
      description: r.description,
      ...(r.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(r.headers).map(([name, description]) => [
                name,
                { description, schema: { type: 'string' as const } },
              ]),
            ),
          }
        : {}),
      ...(r.schema || r.contentType
        ? {
            content: {
              [r.contentType ?? 'application/json']: {
                ...(r.schema ? { schema: r.schema } : {}),
                ...(r.example !== undefined ? { example: r.example } : {}),
              },
            },
          }
        : {}),
    };
  }
  for (const [status, codes] of problemsByStatus(problemCodesOf(op))) {
    responses[String(status) as `4${string}`] = {
      description: codes.map((c) => `\`${c}\`: ${titleOf(c)}`).join('; '),
      ...(status === 401
        ? { headers: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } } }
        : {}),
      ...(status === 429 || status === 503
        ? { headers: { 'Retry-After': { description: 'Seconds before trying again', schema: { type: 'string' } } } }
        : {}),
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: problemSchemaFor(status, codes),
          examples: Object.fromEntries(codes.map((c) => [c, { value: problemExample(c, `/api${path}`) }])),
        },
      },
    };
  }
  return {
    operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: securityOf(op),
    ...(op.params || op.query || op.headers
      ? {
          requestParams: {
            ...(op.params ? { path: op.params } : {}),
            ...(op.query ? { query: op.query } : {}),
            ...(op.headers ? { header: op.headers } : {}),
          },
        }
      : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.bodyRequired ?? false,
            content: {
              'application/json': {
                schema: op.body,
                ...(op.bodyExample !== undefined ? { example: op.bodyExample } : {}),
              },
            },
          },
        }
      : {}),
    responses,
    // The function that answers it, and what the gateway needs to know (infra/terraform/apim-operations.tf).
    'x-marquee-function': op.name,
    'x-marquee-access': op.access.kind === 'roles' ? `roles:${op.access.roles.join(',')}` : op.access.kind,
    ...(op.publicMaxAge !== undefined ? { 'x-marquee-cache-seconds': op.publicMaxAge } : {}),
    ...(op.limit ? { 'x-marquee-rate-limit': op.limit } : {}),
  };
}

/** The document, built from the operations; callers keep it (it does not change while the app runs). */
export function buildOpenApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  const perFunction = new Map<string, number>();
  for (const op of apiOperations) perFunction.set(op.name, (perFunction.get(op.name) ?? 0) + 1);
  for (const op of apiOperations) {
    const item = (paths[pathOf(op.route)] ??= {});
    if (item[op.method]) throw new Error(`two operations for ${op.method.toUpperCase()} ${op.route}`);
    // operationIds are unique: a function answering several methods gets one per method.
    item[op.method] = operationObject(op, perFunction.get(op.name)! > 1 ? `${op.name}-${op.method}` : op.name);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Marquee API',
      version: API_VERSION,
      description:
        'Ticket booking for movies and live events. Errors are RFC 9457 `application/problem+json` with a ' +
        'stable `code`; a bad input names every offending field in `errors`. Signed-in routes take an Entra ID ' +
        '(locally: the dev identity provider) bearer JWT; the roles a route needs are listed in its security ' +
        'requirement. Rate limits answer 429 with Retry-After.',
    },
    servers: [{ url: '/api' }],
    tags: [...new Set(apiOperations.map((o) => o.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token with `roles` (customer, partner, operator) and `sub`.',
        },
      },
      schemas: { Problem: ProblemSchema },
    },
    paths,
  });
}
