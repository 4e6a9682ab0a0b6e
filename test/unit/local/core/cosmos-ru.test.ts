// The usage meter's Cosmos DB side (local/core/cosmos-ru.ts): which operation a REST request is,
// from what the SDK sends, and the RU the published rules give it.
import { describe, expect, it } from 'vitest';
import { CHANGE_FEED_AGENT, cosmosOperation, createRu, estimateRu, readRu } from '../../../../local/core/cosmos-ru.js';

const headers =
  (h: Record<string, string> = {}) =>
  (name: string) =>
    h[name];

describe('cosmosOperation', () => {
  it('tells item operations by method on /docs/{id}', () => {
    const item = '/dbs/d/colls/bookings/docs/b1';
    expect(cosmosOperation('GET', item, headers())).toBe('read');
    expect(cosmosOperation('PUT', item, headers())).toBe('replace');
    expect(cosmosOperation('PATCH', item, headers())).toBe('patch');
    expect(cosmosOperation('DELETE', item, headers())).toBe('delete');
  });

  it('tells POSTs to /docs apart by the SDK headers', () => {
    const docs = '/dbs/d/colls/bookings/docs';
    expect(cosmosOperation('POST', docs, headers())).toBe('create');
    expect(cosmosOperation('POST', docs, headers({ 'x-ms-documentdb-is-upsert': 'true' }))).toBe('upsert');
    expect(cosmosOperation('POST', docs, headers({ 'x-ms-documentdb-isquery': 'true' }))).toBe('query');
    expect(cosmosOperation('POST', docs, headers({ 'x-ms-cosmos-is-query-plan-request': 'True' }))).toBe('queryPlan');
    expect(cosmosOperation('POST', docs, headers({ 'x-ms-cosmos-is-batch-request': 'True' }))).toBe('batch');
    expect(cosmosOperation('GET', docs, headers({ 'a-im': 'Incremental feed' }))).toBe('changeFeed');
    expect(cosmosOperation('GET', docs, headers())).toBe('readFeed');
    // The host's own change-feed poller queries the container: those are change-feed reads.
    const poll = headers({ 'x-ms-documentdb-isquery': 'true', 'user-agent': `azsdk-js-cosmos ${CHANGE_FEED_AGENT}` });
    expect(cosmosOperation('POST', docs, poll)).toBe('changeFeed');
  });

  it('calls account, database, container and partition-map requests metadata', () => {
    for (const path of ['/', '/dbs/d', '/dbs/d/colls/c', '/dbs/d/colls/c/pkranges'])
      expect(cosmosOperation('GET', path, headers())).toBe('metadata');
  });
});

describe('estimateRu', () => {
  it('follows the published anchors', () => {
    expect(readRu(800)).toBe(1); // 1 KB point read = 1 RU
    expect(readRu(4 * 1024)).toBeCloseTo(1.3); // 2018 table
    expect(readRu(64 * 1024)).toBeCloseTo(10, 0);
    expect(createRu(1024)).toBe(6.5);
    expect(estimateRu('replace', 200, 1024, 1024)).toBe(2 * createRu(1024)); // a replace is twice the insert
    expect(estimateRu('upsert', 201, 1024, 1024)).toBe(createRu(1024));
    expect(estimateRu('upsert', 200, 1024, 1024)).toBe(2 * createRu(1024));
    expect(estimateRu('query', 200, 100, 10 * 1024)).toBeCloseTo(12.5);
  });

  it('charges nothing for throttled or metadata requests and 1 RU for a failed one', () => {
    expect(estimateRu('read', 429, 0, 100)).toBe(0);
    expect(estimateRu('metadata', 200, 0, 5000)).toBe(0);
    expect(estimateRu('replace', 412, 2048, 100)).toBe(1);
  });
});
