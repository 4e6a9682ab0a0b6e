// GET /api/health (anonymous): up/down and latency of each dependency, never cached; 200 when all
// are up, otherwise a 503 problem+json (DEPENDENCY_UNAVAILABLE, Retry-After) carrying the same
// `checks`. The checks are built in shared/services.ts and run by shared/health/service.ts.
import { app } from '@azure/functions';
import { SystemError } from '../shared/errors.js';
import { json } from '../shared/http/handler.js';
import { problemResponse } from '../shared/http/problem.js';
import { runHealthChecks } from '../shared/health/service.js';
import { services } from '../shared/services.js';

/** Seconds a prober or load balancer is asked to wait before asking again. */
const RETRY_AFTER_SECONDS = 5;

app.http('health', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  handler: async (req, context) => {
    const { healthChecks, config } = services();
    const report = await runHealthChecks(healthChecks, config.HEALTH_CHECK_TIMEOUT_MS, (name, err) =>
      context.warn(`health check ${name} failed:`, err),
    );
    if (report.status === 'up') return json(200, report, { 'cache-control': 'no-store' });
    const down = Object.keys(report.checks).filter((name) => report.checks[name]!.status === 'down');
    const problem = problemResponse(
      new SystemError('DEPENDENCY_UNAVAILABLE', {
        detail: `Down: ${down.join(', ')}.`,
        extra: { checks: report.checks },
        retryAfter: RETRY_AFTER_SECONDS,
      }),
      new URL(req.url).pathname,
    );
    return { ...problem, headers: { ...problem.headers, 'cache-control': 'no-store' } };
  },
});
