// GET /api/health (anonymous): up/down and latency of each dependency; 200 when all are up, 503
// otherwise, never cached. The checks are built in shared/services.ts and run by shared/health/service.ts.
import { app } from '@azure/functions';
import { runHealthChecks } from '../shared/health/service.js';
import { services } from '../shared/services.js';

app.http('health', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  handler: async (_req, context) => {
    const { healthChecks, config } = services();
    const report = await runHealthChecks(healthChecks, config.HEALTH_CHECK_TIMEOUT_MS, (name, err) =>
      context.warn(`health check ${name} failed:`, err),
    );
    return { status: report.status === 'up' ? 200 : 503, headers: { 'cache-control': 'no-store' }, jsonBody: report };
  },
});
