// What the change feed would deliver, reconstructed from queries (the embedded server has no
// change feed: its first read returns everything and later reads answer 304 forever).
//
// A lease holds a watermark `since` (a `_ts`, in seconds) and the `_etag` of every document already
// delivered whose `_ts` equals it. Each poll reads `_ts >= since`: a document is a change when its
// etag is not the one we delivered. `_ts` has one-second resolution, so the etags are what tell
// apart two writes within the same second (checked against the embedded server: every replace,
// upsert and patch gives a new `_etag` and `_ts`). Deliveries follow `_ts` order (stable, keeping
// the server's order within a second), hence in order per partition key to the second; writes to
// one partition inside the same second and the same poll keep the server's order, which on the
// embedded server is not guaranteed to be write order. Only the latest version of a document is
// seen, and deletes are not (LatestVersion mode does not report them either).

export interface FeedDocument {
  id: string;
  _ts: number;
  _etag: string;
  _rid?: string;
  [key: string]: unknown;
}

export interface Watermark {
  since: number;
  /** document key → etag delivered, for documents whose `_ts` is `since`. */
  seen: Record<string, string>;
}

export const keyOf = (doc: FeedDocument): string => doc._rid ?? doc.id;

/** The documents of a `_ts >= since` read that were not delivered yet, in delivery order. */
export function pendingChanges(mark: Watermark, docs: FeedDocument[]): FeedDocument[] {
  const fresh = docs.filter((d) => d._ts > mark.since || mark.seen[keyOf(d)] !== d._etag);
  // Array.prototype.sort is stable: ties keep the order the server returned.
  return fresh.filter((d) => d._ts >= mark.since).sort((a, b) => a._ts - b._ts);
}

/** The watermark after `batch` (a prefix of pendingChanges) was delivered and checkpointed. */
export function advance(mark: Watermark, batch: FeedDocument[]): Watermark {
  if (batch.length === 0) return mark;
  const top = Math.max(...batch.map((d) => d._ts));
  const seen: Record<string, string> = top === mark.since ? { ...mark.seen } : {};
  for (const d of batch) if (d._ts === top) seen[keyOf(d)] = d._etag;
  return { since: top, seen };
}

/** Where a function with no lease starts: the beginning, a time, or now (what exists now counts as seen). */
export function initialWatermark(
  start: { fromBeginning: boolean; fromTime?: string },
  nowSec: number,
  current: FeedDocument[],
): Watermark {
  if (start.fromBeginning) return { since: 0, seen: {} };
  if (start.fromTime) {
    const t = Date.parse(start.fromTime);
    if (Number.isNaN(t)) throw new Error(`startFromTime "${start.fromTime}" is not a date`);
    return { since: Math.floor(t / 1000), seen: {} };
  }
  const seen: Record<string, string> = {};
  let since = nowSec;
  for (const d of current) if (d._ts > since) since = d._ts;
  for (const d of current) if (d._ts === since) seen[keyOf(d)] = d._etag;
  return { since, seen };
}
