// Shapes every document store port shares: a document with the version it was read at, and the
// change a caller wants applied to the freshest copy. The versions make writes conditional: a
// store refuses a write whose version is no longer the stored one, so concurrent writers never
// overwrite each other.
import { SystemError } from '../errors.js';

/** A document and the opaque version (the ETag) it was read or written at. */
export interface Stored<T> {
  doc: T;
  etag: string;
}

/**
 * The change to apply to the current copy of a document: the new document, or undefined for "no
 * change" (nothing is written). A store may call it again on a fresher copy after a conflict.
 */
export type Mutator<T> = (doc: T) => T | undefined;

/**
 * A conditional write that kept losing to other writers through the store's bounded retries. A
 * use-case that knows what the document is may answer its own busy error instead.
 */
export class DocumentContendedError extends SystemError<'DOCUMENT_BUSY'> {
  constructor(id: string, attempts: number) {
    // The answer is public: the document's id (a user's, a booking's) goes only into the cause, for the log.
    super('DOCUMENT_BUSY', {
      detail: 'Others are changing the same thing right now. Try again in a moment.',
      retryAfter: 1,
      cause: new Error(`${id} stayed contended after ${attempts} attempts`),
    });
  }
}
