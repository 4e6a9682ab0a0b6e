// The health probes of the app's dependencies (run by shared/health/service.ts): the Cosmos account
// (a database read) and the host's storage account (a signed Table service call).
import type { HealthCheck } from '../health/service.js';
import type { Cosmos } from './cosmos/client.js';
import { pingTableService, tableEndpoint } from './storage/table-ping.js';

export function dependencyChecks(deps: {
  cosmos: Cosmos;
  storage: { connectionString?: string; accountName?: string };
}): Record<string, HealthCheck> {
  return {
    cosmos: async (signal) => {
      await deps.cosmos.database.read({ abortSignal: signal });
    },
    storage: async (signal) => {
      await pingTableService(tableEndpoint(deps.storage), signal);
    },
  };
}
