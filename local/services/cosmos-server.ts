// The embedded Cosmos DB server (@vercel/cosmosdb-server) over plain http. It speaks the real
// protocol to the real @azure/cosmos SDK; its gaps (no change feed, no TTL, non-atomic batch) are
// designed around, never relied on (docs/architecture.md, The local host). Its memory-only store
// is made durable by a journal in the data folder (cosmos-journal.ts), and a server that dies is
// started again on the same port, from that journal.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertPortFree } from './ports.js';
import { startChild } from './child.js';

export interface CosmosServer {
  endpoint: string;
  stop(): Promise<void>;
}

/** The emulator's well-known key; the embedded server accepts any key. Not a secret. */
export const EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface CosmosServerOptions {
  /** Folder of the journal that makes the data survive restarts; in memory only without one. */
  journal?: string;
  /** Restart the server (same port, same journal) when it dies, telling this about it. */
  onRestart?: (line: string) => void;
}

export async function startCosmosServer(
  host: string,
  port: number,
  options: CosmosServerOptions = {},
): Promise<CosmosServer> {
  await assertPortFree(port, host, 'MARQUEE_COSMOS_PORT');
  const journal = options.journal ? [options.journal] : [];
  const child = await startChild({
    name: 'Cosmos DB server',
    script: cliScript(),
    args: [String(port), host, ...journal],
    ready: [/Ready to accept HTTP connections at \S+:(\d+)/],
    onRestart: options.onRestart,
    restartArgs: (ready) => [ready[0]![1]!, host, ...journal],
  });
  return { endpoint: `http://${host}:${child.readyMatches[0]![1]}/`, stop: child.stop };
}

/** The compiled keep-alive entry beside this file, or under dist/ when this file runs from source (vitest). */
function cliScript(): string {
  const candidates = [
    join(__dirname, 'cosmos-server-cli.js'),
    join(__dirname, '..', '..', 'dist', 'local', 'services', 'cosmos-server-cli.js'),
  ];
  const found = candidates.find((f) => existsSync(f));
  if (!found)
    throw new Error('Cosmos DB server: dist/local/services/cosmos-server-cli.js is missing; run `npx tsc -p .` first');
  return found;
}
