// The few Cosmos calls every store makes, each with its status code handled in one place: a point
// read, a query, an insert-only create (409 = it exists) and a replace under IfMatch `_etag`
// (412 = another write came first). A query that can name the partition key names it in the WHERE
// clause: the embedded server ignores the partitionKey option, and on Azure it keeps the query
// single-partition (the few lookups by id alone, e.g. an operator's, are cross-partition).
import type { Container, SqlParameter } from '@azure/cosmos';
import type { Stored } from '../../ports/documents.js';
import { withOutage } from './faults.js';

/** A document as Cosmos answers it, system properties included. */
export type Resource = Record<string, unknown> & { _etag?: string };

interface CosmosError {
  code?: number | string;
  statusCode?: number;
}
export const cosmosStatusOf = (err: unknown) => Number((err as CosmosError).code ?? (err as CosmosError).statusCode);

const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];

/** The document without Cosmos's system properties (and without `also`, a store's own bookkeeping). */
export function clean<T>(doc: unknown, also: readonly string[] = []): T {
  const copy = { ...(doc as Record<string, unknown>) };
  for (const k of SYSTEM) delete copy[k];
  for (const k of also) delete copy[k];
  return copy as T;
}

export const storedOf = <T>(resource: Resource): Stored<T> => ({
  doc: clean<T>(resource),
  etag: String(resource._etag),
});

export async function readDoc<T>(container: Container, id: string, pk: string): Promise<Stored<T> | undefined> {
  const res = await container.item(id, pk).read<Resource>();
  return res.resource ? storedOf<T>(res.resource) : undefined;
}

/**
 * A query's documents. An outage is the retryable DEPENDENCY_UNAVAILABLE here too: a query's pages
 * are fetched outside the SDK's operation plugins (faults.ts, withOutage).
 */
export async function queryDocs<T>(container: Container, query: string, parameters: SqlParameter[]): Promise<T[]> {
  const { resources } = await withOutage(() => container.items.query<Resource>({ query, parameters }).fetchAll());
  return resources.map((r) => clean<T>(r));
}

/** Inserts `doc`: the stored resource, or undefined when a document with its id already exists. */
export async function createOnce(container: Container, doc: object): Promise<Resource | undefined> {
  try {
    const res = await container.items.create(doc);
    return res.resource as Resource;
  } catch (err) {
    if (cosmosStatusOf(err) === 409) return undefined;
    throw err;
  }
}

/** Replaces the document if it is still at `etag`: the stored resource, or undefined on a conflict. */
export async function replaceIfMatch(
  container: Container,
  id: string,
  pk: string,
  doc: object,
  etag: string,
): Promise<Resource | undefined> {
  try {
    const res = await container.item(id, pk).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
    return res.resource as Resource;
  } catch (err) {
    if (cosmosStatusOf(err) === 412) return undefined;
    throw err;
  }
}
