// The few Cosmos calls every store makes, each with its status code handled in one place: a point
// read, a query, an insert-only create (409 = it exists) and a replace under IfMatch `_etag`
// (412 = another write came first). Queries name the partition key in the WHERE clause too: the
// embedded server ignores the partitionKey option, and on Azure it keeps the query single-partition.
import type { Container, SqlParameter } from '@azure/cosmos';
import type { Stored } from '../../ports/documents.js';

/** A document as Cosmos answers it, system properties included. */
export type Resource = Record<string, unknown> & { _etag?: string };

interface CosmosError {
  code?: number | string;
  statusCode?: number;
}
export const statusOf = (err: unknown) => Number((err as CosmosError).code ?? (err as CosmosError).statusCode);

const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];

/** The document without Cosmos's system properties. */
export function clean<T>(doc: unknown): T {
  const copy = { ...(doc as Record<string, unknown>) };
  for (const k of SYSTEM) delete copy[k];
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

export async function queryDocs<T>(
  container: Container,
  query: string,
  parameters: SqlParameter[],
  max?: number,
): Promise<T[]> {
  const iterator = container.items.query<Resource>({ query, parameters }, max ? { maxItemCount: max } : {});
  const { resources } = await iterator.fetchAll();
  return resources.map((r) => clean<T>(r));
}

/** Inserts `doc`: the stored resource, or undefined when a document with its id already exists. */
export async function createOnce(container: Container, doc: object): Promise<Resource | undefined> {
  try {
    const res = await container.items.create(doc);
    return res.resource as Resource;
  } catch (err) {
    if (statusOf(err) === 409) return undefined;
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
    if (statusOf(err) === 412) return undefined;
    throw err;
  }
}
