// The embedded Cosmos DB server (@vercel/cosmosdb-server) over plain http. It speaks the real
// protocol to the real @azure/cosmos SDK; its gaps (no change feed, no TTL, non-atomic batch,
// memory only) are designed around, never relied on (ARCHITECTURE §5).
import { assertPortFree } from './ports.js';
import { resolveBin, startChild } from './child.js';

export interface CosmosServer {
  endpoint: string;
  stop(): Promise<void>;
}

/** The emulator's well-known key; the embedded server accepts any key. Not a secret. */
export const EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export async function startCosmosServer(host: string, port: number): Promise<CosmosServer> {
  await assertPortFree(port, host, 'MARQUEE_COSMOS_PORT');
  const child = await startChild({
    name: 'Cosmos DB server',
    script: resolveBin('@vercel/cosmosdb-server/lib/cli.js'),
    args: ['--port', String(port), '--host', host, '--no-ssl'],
    ready: [/Ready to accept HTTP connections at \S+:(\d+)/],
  });
  return { endpoint: `http://${host}:${child.readyMatches[0]![1]}/`, stop: child.stop };
}
