// GET /api/health in the OpenAPI document (functions/health.ts).
import { z } from 'zod';
import { anonymous, type ApiOperation } from '../http/openapi/operation.js';
import type { Assert, Describes } from '../http/openapi/common.js';
import type { HealthReport } from './service.js';

const CheckSchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  error: z.string().optional(),
});
export const HealthReportSchema = z
  .object({ status: z.enum(['up', 'down']), checks: z.record(z.string(), CheckSchema) })
  .meta({ id: 'HealthReport', description: 'Each dependency: up or down, and how long the probe took' });

export type HealthSchemasDescribeTheirTypes = [Assert<Describes<HealthReport, typeof HealthReportSchema>>];

export const healthOperations: ApiOperation[] = [
  {
    name: 'health',
    method: 'get',
    route: 'health',
    tag: 'Operations',
    summary: 'Health of the app and its dependencies',
    description: '200 when every dependency is up; otherwise 503 DEPENDENCY_UNAVAILABLE carrying the same `checks`.',
    access: anonymous(),
    responses: {
      200: { description: 'All up', schema: HealthReportSchema, headers: { 'Cache-Control': 'no-store' } },
    },
    problems: ['DEPENDENCY_UNAVAILABLE'],
    unwrapped: true,
  },
];
