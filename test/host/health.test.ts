// GET /api/health against the real app (package.json main) over HTTP, and the checks themselves
// against the shared emulators: a wrong storage key and a hanging dependency are reported down.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCosmos } from '../../shared/adapters/cosmos/client.js';
import { dependencyChecks } from '../../shared/adapters/dependency-checks.js';
import { runHealthChecks } from '../../shared/health/service.js';
import { startHost, type TestHost } from '../support/local-host.js';

describe('GET /api/health on the real app', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startHost();
  });
  afterAll(async () => host?.stop());

  it('answers 200 with every dependency up, with latencies, uncached', async () => {
    const res = await fetch(host.url('/api/health'));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const report = (await res.json()) as {
      status: string;
      checks: Record<string, { status: string; latencyMs: number }>;
    };
    expect(report.status).toBe('up');
    expect(Object.keys(report.checks).sort()).toEqual(['cosmos', 'storage']);
    for (const check of Object.values(report.checks)) {
      expect(check.status).toBe('up');
      expect(check.latencyMs).toBeGreaterThanOrEqual(0);
      expect(check.latencyMs).toBeLessThan(2000);
    }
  });
});

describe('health checks', () => {
  const cosmos = () =>
    createCosmos({
      endpoint: inject('cosmosEndpoint'),
      key: inject('cosmosKey'),
      database: 'health-missing-db',
      timeoutMs: 2000,
    });

  it('reports storage down with the HTTP status when the account key is wrong (the request is really signed)', async () => {
    const wrongKey = inject('storageConnectionString').replace(
      /AccountKey=[^;]+/,
      `AccountKey=${Buffer.from('not the key').toString('base64')}`,
    );
    const report = await runHealthChecks(
      { storage: dependencyChecks({ cosmos: cosmos(), storage: { connectionString: wrongKey } }).storage! },
      2000,
    );
    expect(report).toMatchObject({ status: 'down', checks: { storage: { status: 'down', error: 'HTTP 403' } } });
    const right = await runHealthChecks(
      {
        storage: dependencyChecks({
          cosmos: cosmos(),
          storage: { connectionString: inject('storageConnectionString') },
        }).storage!,
      },
      2000,
    );
    expect(right.checks.storage).toMatchObject({ status: 'up' });
  });

  it('reports a missing Cosmos database down with its status', async () => {
    const report = await runHealthChecks({ cosmos: dependencyChecks({ cosmos: cosmos(), storage: {} }).cosmos! }, 2000);
    expect(report.checks.cosmos).toMatchObject({ status: 'down', error: 'HTTP 404' });
  });

  it('reports a dependency that does not answer down at its timeout, and aborts it', async () => {
    let aborted = false;
    const started = Date.now();
    const report = await runHealthChecks(
      {
        fast: async () => {},
        hangs: (signal) => new Promise<void>(() => signal.addEventListener('abort', () => (aborted = true))),
      },
      300,
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(report.status).toBe('down');
    expect(report.checks.fast!.status).toBe('up');
    expect(report.checks.hangs).toMatchObject({ status: 'down', error: 'timeout after 300 ms' });
    expect(report.checks.hangs!.latencyMs).toBeGreaterThanOrEqual(290);
    expect(aborted).toBe(true);
  });

  it('reports an unreachable storage account as unreachable, and an unset one as down', async () => {
    const report = await runHealthChecks(
      {
        closed: dependencyChecks({
          cosmos: cosmos(),
          storage: {
            connectionString:
              'DefaultEndpointsProtocol=http;AccountName=a;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/a',
          },
        }).storage!,
        unset: dependencyChecks({ cosmos: cosmos(), storage: {} }).storage!,
      },
      2000,
    );
    expect(report.checks.closed).toMatchObject({ status: 'down', error: expect.stringMatching(/^unreachable/) });
    expect(report.checks.unset).toMatchObject({ status: 'down', error: 'failed' });
  });
});
