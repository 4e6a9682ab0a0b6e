// The one "read, modify, replace if the ETag matches" loop of the Cosmos stores. A conflict (412)
// means another writer came first: re-read, apply the mutator to that fresher copy and try again,
// a bounded number of times with a small jittered pause, so writers racing on one document spread
// out instead of colliding again in lockstep.
import type { Container } from '@azure/cosmos';
import { DocumentContendedError, type Mutator, type Stored } from '../../ports/documents.js';
import { readDoc, replaceIfMatch, storedOf } from './documents.js';

const DEFAULT_ATTEMPTS = 12;

/**
 * Read → mutate → replace(IfMatch), retried on 412; answers the version the document ended with.
 * Undefined from `fn` means "no change": nothing is written and the copy read is answered. A caller
 * that has just read the document passes it as `known`, and the first attempt skips the read (a
 * stale copy only costs the 412 and a normal retry). Undefined when the document does not exist.
 */
export async function conditionalReplace<T extends { id: string }>(
  container: Container,
  id: string,
  pk: string,
  fn: Mutator<T>,
  options: { attempts?: number; known?: Stored<T> } = {},
): Promise<Stored<T> | undefined> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  for (let i = 0; i < attempts; i++) {
    const current = i === 0 && options.known ? options.known : await readDoc<T>(container, id, pk);
    if (!current) return undefined;
    const next = fn(current.doc);
    if (!next) return current;
    const written = await replaceIfMatch(container, id, pk, next, current.etag);
    if (written) return storedOf<T>(written);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 5 * (i + 1))));
  }
  throw new DocumentContendedError(id, attempts);
}
