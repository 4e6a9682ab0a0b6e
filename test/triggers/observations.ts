// Reads what the trigger fixture apps recorded (test/fixtures/triggers-recorder.ts) with the real
// Cosmos SDK, and waits for it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient, type Database } from '@azure/cosmos';
import { inject } from 'vitest';

export interface Observation {
  id: string;
  kind: string;
  pid: number;
  at: number;
  [key: string]: unknown;
}

export interface TestDatabase {
  name: string;
  database: Database;
  /** Everything recorded under `kind`, oldest first. */
  list<T = Observation>(kind: string): Promise<(Observation & T)[]>;
  /** Polls `list(kind)` until `done` holds; fails with what was seen after `timeoutMs`. */
  waitFor<T = Observation>(
    kind: string,
    done: (items: (Observation & T)[]) => boolean,
    timeoutMs?: number,
  ): Promise<(Observation & T)[]>;
}

export function cosmosClient(): CosmosClient {
  return new CosmosClient({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}

/** A fresh database with the `observations` container (and any others asked for, partition key /pk). */
export async function testDatabase(containers: string[] = []): Promise<TestDatabase> {
  const name = `trig${randomBytes(4).toString('hex')}`;
  const { database } = await cosmosClient().databases.createIfNotExists({ id: name });
  await database.containers.createIfNotExists({ id: 'observations', partitionKey: { paths: ['/kind'] } });
  for (const id of containers) await database.containers.createIfNotExists({ id, partitionKey: { paths: ['/pk'] } });
  const observations = database.container('observations');
  const list = async <T>(kind: string) => {
    const { resources } = await observations.items
      .query<Observation & T>({
        query: 'SELECT * FROM c WHERE c.kind = @kind',
        parameters: [{ name: '@kind', value: kind }],
      })
      .fetchAll();
    return resources.sort((a, b) => a.at - b.at);
  };
  return {
    name,
    database,
    list,
    async waitFor<T>(kind: string, done: (items: (Observation & T)[]) => boolean, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const items = await list<T>(kind);
        if (done(items)) return items;
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for "${kind}"; saw ${items.length}: ${JSON.stringify(items).slice(0, 2000)}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

export function flagDir(): string {
  return mkdtempSync(join(tmpdir(), 'marquee-triggers-'));
}
