// What a Cosmos DB for NoSQL request is and what it would cost in request units (RU) on Azure, from
// the request the SDK sent and the answer it got (the usage meter, core/usage.ts). The embedded
// server answers every request with `x-ms-request-charge: 1`, so against it the charge is estimated
// from the published RU rules below; against a real account the meter adds up the real header.
//
// The rules (docs/capacity.md, "RU rules", has the same table with the sources; read 2026-12-03):
//   point read     1 RU for ≤ 1 KB; +0.1 RU per KB to 4 KB (1.3 RU), then +0.145 RU per KB (10 RU
//                  at 64 KB) — learn.microsoft.com/azure/cosmos-db/optimize-cost-reads-writes
//                  ("1 KB = 1 RU") and the 2018 request-units table (1 / 1.3 / 10 RU at 1 / 4 / 64 KB)
//   create/upsert  5.5 RU for a 1 KB item without indexing (optimize-cost-reads-writes) + 1 RU for
//                  the default index-everything policy [inference; docs/capacity.md used ~6–7 RU
//                  for a 400-byte create] = 6.5 RU, +0.68 RU per KB above
//                  1 KB (2018 table: 7 RU at 4 KB, 48 RU at 64 KB)
//   replace/patch  2 × the create of the same item ("a replace costs twice the insert")
//   delete         the create of a 1 KB item (the answer carries no document to size) [inference]
//   query          2.5 RU + 1 RU per KB returned ("1,000 items of 1 KB ≈ 1,000 RU"; an id + key
//                  query costs ~2.5–2.95 RU against 1 RU as a point read — azure-cosmos-dotnet-v3#3464)
//   change feed    1 RU per request + 1 RU per KB returned [inference: read-like]
//   failed (4xx)   1 RU (404 of a read; whether a 412 is charged is not published) [inference]
//   429, metadata  0 (throttled requests, account/database/container/partition-map reads and the
//   query plan     gateway's query plans are not charged against the container's RU) [inference]

export type CosmosOperation =
  | 'read'
  | 'create'
  | 'upsert'
  | 'replace'
  | 'patch'
  | 'delete'
  | 'query'
  | 'queryPlan'
  | 'readFeed'
  | 'changeFeed'
  | 'batch'
  | 'metadata';

export const COSMOS_OPERATIONS: readonly CosmosOperation[] = [
  'read',
  'create',
  'upsert',
  'replace',
  'patch',
  'delete',
  'query',
  'queryPlan',
  'readFeed',
  'changeFeed',
  'batch',
  'metadata',
];

type HeaderOf = (name: string) => unknown;

/**
 * The user-agent suffix of the host's change-feed client (change-feed/connection.ts). The embedded
 * server has no change feed, so the host polls the container with a query; those queries stand for
 * the change-feed reads the Functions extension makes on Azure, and are counted as such.
 */
export const CHANGE_FEED_AGENT = 'local-host-change-feed';

/** The operation of a Cosmos REST request: `/dbs/{db}/colls/{coll}/docs[/{id}]` and the headers the SDK sets. */
export function cosmosOperation(method: string, path: string, header: HeaderOf): CosmosOperation {
  const q = path.indexOf('?');
  const p = q < 0 ? path : path.slice(0, q);
  const docs = p.indexOf('/docs');
  if (docs < 0) return 'metadata';
  const item = p.length > docs + 5 && p.charCodeAt(docs + 5) === 47; // '/docs/{id}'
  if (item) {
    if (method === 'GET') return 'read';
    if (method === 'PUT') return 'replace';
    if (method === 'PATCH') return 'patch';
    if (method === 'DELETE') return 'delete';
    return 'metadata';
  }
  if (method === 'POST') {
    if (isTrue(header('x-ms-documentdb-isquery')))
      return String(header('user-agent') ?? '').includes(CHANGE_FEED_AGENT) ? 'changeFeed' : 'query';
    // The SDK asks the gateway for a query's plan before running it (ClientContext.getQueryPlan).
    if (isTrue(header('x-ms-cosmos-is-query-plan-request'))) return 'queryPlan';
    if (isTrue(header('x-ms-cosmos-is-batch-request')) || isTrue(header('x-ms-cosmos-batch-atomic'))) return 'batch';
    if (isTrue(header('x-ms-documentdb-is-upsert'))) return 'upsert';
    return 'create';
  }
  if (method === 'GET') return /incremental/i.test(String(header('a-im') ?? '')) ? 'changeFeed' : 'readFeed';
  return 'metadata';
}

function isTrue(v: unknown): boolean {
  return v === true || v === 'true' || v === 'True';
}

const KB = 1024;

/** The RU of a point read of an item of this many bytes. */
export function readRu(bytes: number): number {
  const kb = bytes / KB;
  if (kb <= 1) return 1;
  if (kb <= 4) return 1 + 0.1 * (kb - 1);
  return 1.3 + 0.145 * (kb - 4);
}

/** The RU of inserting an item of this many bytes under the default indexing policy. */
export function createRu(bytes: number): number {
  return 6.5 + 0.68 * Math.max(0, bytes / KB - 1);
}

/**
 * The estimated RU of one request. `requestBytes` is the body sent, `responseBytes` the body received;
 * an upsert that answered 200 replaced an item, 201 created one.
 */
export function estimateRu(
  op: CosmosOperation,
  status: number,
  requestBytes: number,
  responseBytes: number,
  items = 1,
): number {
  if (status === 429 || op === 'metadata' || op === 'queryPlan') return 0;
  if (status >= 400) return 1;
  const doc = Math.max(requestBytes, responseBytes);
  switch (op as Exclude<CosmosOperation, 'metadata' | 'queryPlan'>) {
    case 'read':
      return readRu(responseBytes);
    case 'create':
      return createRu(doc);
    case 'upsert':
      return status === 201 ? createRu(doc) : 2 * createRu(doc);
    case 'replace':
    case 'patch':
      return 2 * createRu(doc);
    case 'delete':
      return createRu(KB);
    case 'query':
    case 'readFeed':
      return 2.5 + responseBytes / KB;
    case 'changeFeed':
      // An empty answer is a 304 on Azure (and an empty query page here).
      return status === 304 || items === 0 ? 1 : 1 + responseBytes / KB;
    case 'batch':
      // A transactional batch of n operations: each as a replace of its share of the body.
      return Math.max(1, items) * 2 * createRu(requestBytes / Math.max(1, items));
  }
}
