// Shapes every document store port shares: a document with the version it was read at, and the
// change a caller wants applied to the freshest copy. The versions make writes conditional: a
// store refuses a write whose version is no longer the stored one, so concurrent writers never
// overwrite each other.

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
