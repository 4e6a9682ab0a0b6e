// Cosmos DB failures in the app's terms (shared/adapters/cosmos/faults.ts): outages become the
// retryable DEPENDENCY_UNAVAILABLE (503 + Retry-After at the edge); answers a store handles itself
// and the SDK's 400s stay as they are.
import { describe, expect, it } from 'vitest';
import type { Container } from '@azure/cosmos';
import { outagePlugin, unavailableError } from '../../../../shared/adapters/cosmos/faults.js';
import { queryDocs } from '../../../../shared/adapters/cosmos/documents.js';
import { SystemError } from '../../../../shared/errors.js';
import { problemResponse } from '../../../../shared/http/problem.js';

const sdk = (fields: Record<string, unknown>) => Object.assign(new Error('sdk'), fields);

describe('Cosmos outages', () => {
  it('turn timeouts, throttling past retries, 5xx and network errors into DEPENDENCY_UNAVAILABLE, 503 with Retry-After', () => {
    for (const err of [
      sdk({ code: 'TimeoutError' }),
      sdk({ code: 408 }),
      sdk({ code: 429, retryAfterInMs: 2500 }),
      sdk({ code: 503 }),
      sdk({ code: 'ECONNREFUSED' }),
      sdk({ name: 'AbortError' }),
      sdk({ cause: { code: 'ECONNRESET' } }),
    ]) {
      const mapped = unavailableError(err);
      expect(mapped, String(JSON.stringify(err))).toBeInstanceOf(SystemError);
      const res = problemResponse(mapped!);
      expect(res.status).toBe(503);
      expect(Number((res.headers as Record<string, string>)['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(mapped!.cause).toBe(err);
    }
    expect(unavailableError(sdk({ code: 429, retryAfterInMs: 2500 }))!.retryAfter).toBe(3);
  });

  it('leave 404, 409, 412 and 400 to the stores', () => {
    for (const code of [400, 404, 409, 412]) expect(unavailableError(sdk({ code }))).toBeUndefined();
    expect(unavailableError('not an error')).toBeUndefined();
  });

  it('are translated by the operation plugin, which passes answers through', async () => {
    await expect(outagePlugin.plugin({}, {}, () => Promise.resolve('answer'))).resolves.toBe('answer');
    await expect(outagePlugin.plugin({}, {}, () => Promise.reject(sdk({ code: 503 })))).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    const notFound = sdk({ code: 404 });
    await expect(outagePlugin.plugin({}, {}, () => Promise.reject(notFound))).rejects.toBe(notFound);
  });

  it('are translated for queries too, whose pages the SDK fetches outside the operation plugin', async () => {
    const failing = (err: Error) =>
      ({ items: { query: () => ({ fetchAll: () => Promise.reject(err) }) } }) as unknown as Container;
    await expect(queryDocs(failing(sdk({ code: 'TimeoutError' })), 'SELECT * FROM c', [])).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    const bad = sdk({ code: 400 });
    await expect(queryDocs(failing(bad), 'SELECT * FROM c', [])).rejects.toBe(bad);
  });
});
