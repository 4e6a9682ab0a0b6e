// Start-up and shutdown as a user sees them: a malformed setting or a busy port stops the host with
// one clear line; Ctrl-C or SIGTERM stops it and every emulator child it started.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { childrenOf, isAlive } from '../../bench/support/proc.js';
import { spawnHost } from '../support/spawn-host.js';

const ports0 = {
  MARQUEE_PORT: '0',
  MARQUEE_WEBPUBSUB_PORT: '0',
  MARQUEE_COSMOS_PORT: '0',
  MARQUEE_AZURITE_BLOB_PORT: '0',
  MARQUEE_AZURITE_QUEUE_PORT: '0',
  MARQUEE_AZURITE_TABLE_PORT: '0',
  MARQUEE_LOG_LEVEL: 'warning',
};
const sharedEmulators = () => ({
  AzureWebJobsStorage: inject('storageConnectionString'),
  COSMOS_ENDPOINT: inject('cosmosEndpoint'),
  COSMOS_KEY: inject('cosmosKey'),
});

async function failedStart(env: Record<string, string | undefined>): Promise<{ code: number; lines: string[] }> {
  const err = (await spawnHost({
    main: 'dist/test/fixtures/basic-bench.js',
    env: { ...process.env, ...ports0, ...sharedEmulators(), ...env },
  }).then(
    () => {
      throw new Error('the host started');
    },
    (e: { output: string; code: number }) => e,
  )) as { output: string; code: number };
  return { code: err.code, lines: err.output.trim().split('\n') };
}

describe('start-up errors', () => {
  let blocker: Server | undefined;
  afterEach(() => blocker?.close());

  it('stops on a malformed COSMOS_ENDPOINT with one line naming the setting', async () => {
    const { code, lines } = await failedStart({ COSMOS_ENDPOINT: 'not a url' });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^marquee: setting COSMOS_ENDPOINT: .*"not a url"/);
  });

  it('stops on a busy port with one line naming the port and the setting', async () => {
    blocker = createServer();
    const port = await new Promise<number>((r) =>
      blocker!.listen(0, '127.0.0.1', () => r((blocker!.address() as { port: number }).port)),
    );
    const { code, lines } = await failedStart({ MARQUEE_PORT: String(port) });
    expect(code).toBe(1);
    expect(lines).toEqual([
      `marquee: port ${port} on 127.0.0.1 is already in use; set MARQUEE_PORT to another port (or 0 for any free port)`,
    ]);
  });
});

describe('shutdown', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops the host and leaves no Azurite or Cosmos child behind',
    async (signal) => {
      // Its own emulators, as `npm start` on a laptop: Azurite and the Cosmos server as children.
      const env: Record<string, string | undefined> = {
        ...process.env,
        ...ports0,
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        COSMOS_ENDPOINT: undefined,
        COSMOS_KEY: undefined,
      };
      const host = await spawnHost({ main: 'dist/test/fixtures/basic-bench.js', env });
      const children = childrenOf(host.child.pid!);
      expect(children.some((c) => c.cmd.includes('azurite'))).toBe(true);
      expect(children.some((c) => c.cmd.includes('cosmos-server-cli'))).toBe(true);
      expect(await host.stop(signal)).toBe(0);
      await expect.poll(() => children.filter((c) => isAlive(c.pid)).map((c) => c.cmd), { timeout: 5000 }).toEqual([]);
    },
  );
});
