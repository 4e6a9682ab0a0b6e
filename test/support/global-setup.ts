// One Azurite and one Cosmos DB server for the whole test run (each takes ~1-2 s to start). Tests
// isolate themselves with their own database and task hub names on these shared emulators.
import type { TestProject } from 'vitest/node';
import { startAzurite } from '../../local/services/azurite.js';
import { EMULATOR_KEY, startCosmosServer } from '../../local/services/cosmos-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
    cosmosEndpoint: string;
    cosmosKey: string;
  }
}

export default async function setup(project: TestProject) {
  const [azurite, cosmos] = await Promise.all([
    startAzurite({ host: '127.0.0.1', blobPort: 0, queuePort: 0, tablePort: 0 }),
    startCosmosServer('127.0.0.1', 0),
  ]);
  project.provide('storageConnectionString', azurite.connectionString);
  project.provide('cosmosEndpoint', cosmos.endpoint);
  project.provide('cosmosKey', EMULATOR_KEY);
  return async () => {
    await Promise.all([azurite.stop(), cosmos.stop()]);
  };
}
