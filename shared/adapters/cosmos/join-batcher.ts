// Group commit for queue joins (docs/architecture.md, Waiting room): the joins of one show that
// arrive within `windowMs` of each other are created together as one Cosmos transactional batch
// (`items.batch`: one partition key — the show — at most 100 operations), one round trip instead
// of one each. Each join is answered only when its batch has answered, i.e. once the write is
// durable (the embedded server holds every answer until its journal has the change:
// local/services/cosmos-journal.ts).
//
// A batch with any failed operation (someone joining again: 409) is not trusted operation by
// operation: real Cosmos DB commits nothing of a failed batch, the embedded server commits the
// operations before the failure. So the joins the store answered (409, or 201 in a failed batch)
// are read back, the others (424) go again as a smaller batch (commit()), and `created` is decided
// by the stored entry itself: it is this join's when it holds this join's key (the key carries
// fresh random digits, so no earlier join has it).
import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import type { Stored } from '../../ports/documents.js';
import type { EntryDoc } from '../../waiting-room/ports.js';
import { createOnce, readDoc, storedOf, type Resource } from './documents.js';
import { withOutage } from './faults.js';

export type Joined = { entry: Stored<EntryDoc>; created: boolean };

interface Pending {
  entry: EntryDoc;
  resolve(r: Joined): void;
  reject(err: unknown): void;
}

/** Cosmos DB's limit on the operations of one transactional batch. */
const MAX_BATCH = 100;
/** Batches tried for one burst before its joins go one by one. */
const MAX_ROUNDS = 3;

export class JoinBatcher {
  private readonly queues = new Map<string, Pending[]>();
  /** Batches that went in whole, and joins redone one by one after a failed batch (for tests and benches). */
  readonly counts = { batches: 0, redone: 0 };

  constructor(
    private readonly c: Container,
    private readonly windowMs: number,
  ) {}

  join(entry: EntryDoc): Promise<Joined> {
    if (this.windowMs <= 0) return this.single(entry);
    let queue = this.queues.get(entry.showId);
    // The same user twice in one window: the second is the first's entry, joined again.
    const twin = queue?.find((p) => p.entry.id === entry.id);
    if (twin)
      return new Promise<Joined>((resolve, reject) => {
        const { resolve: first, reject: failed } = twin;
        twin.resolve = (r) => (first(r), resolve({ entry: r.entry, created: false }));
        twin.reject = (err) => (failed(err), reject(err));
      });
    if (!queue) {
      queue = [];
      this.queues.set(entry.showId, queue);
      setTimeout(() => this.flush(entry.showId), this.windowMs);
    }
    const promise = new Promise<Joined>((resolve, reject) => queue.push({ entry, resolve, reject }));
    if (queue.length >= MAX_BATCH) this.flush(entry.showId);
    return promise;
  }

  private flush(showId: string): void {
    const queue = this.queues.get(showId);
    if (!queue?.length) return;
    this.queues.delete(showId);
    void this.commit(showId, queue);
  }

  private async commit(showId: string, batch: Pending[], round = 1): Promise<void> {
    if (batch.length === 1) return settle(batch[0]!, this.single(batch[0]!.entry));
    // An entry is plain JSON (ports.ts): strings, numbers and one optional flat object.
    const ops: OperationInput[] = batch.map((p) => ({
      operationType: 'Create',
      resourceBody: { ...p.entry } as unknown as JSONObject,
    }));
    let results: { statusCode: number; resourceBody?: unknown }[] | undefined;
    try {
      const res = await withOutage(() => this.c.items.batch(ops, showId));
      results = res.result as typeof results;
    } catch {
      results = undefined;
    }
    if (results?.length === batch.length && results.every((r) => r.statusCode === 201 && r.resourceBody)) {
      this.counts.batches++;
      batch.forEach((p, i) =>
        p.resolve({ entry: storedOf<EntryDoc>(results![i]!.resourceBody as Resource), created: true }),
      );
      return;
    }
    if (results?.length !== batch.length || round >= MAX_ROUNDS) {
      // The answer was lost (or the batch keeps failing): each on its own, as if never batched.
      this.counts.redone += batch.length;
      await Promise.all(batch.map((p) => settle(p, this.single(p.entry))));
      return;
    }
    // Someone joining again (409) fails the batch. Whatever the store kept of it, the stored entry
    // decides: the 409s and any 201s (the embedded server keeps the operations before the failure)
    // are read back; the rest (424: not attempted, or rolled back by real Cosmos DB) go again as one
    // batch — so a returning user costs the burst one more round trip, not one per join.
    const again: Pending[] = [];
    const settled: Promise<void>[] = [];
    batch.forEach((p, i) => {
      const status = results![i]!.statusCode;
      if (status === 409 || status === 201) {
        this.counts.redone++;
        settled.push(settle(p, this.stored(p.entry)));
      } else again.push(p);
    });
    if (again.length) settled.push(this.commit(showId, again, round + 1));
    await Promise.all(settled);
  }

  /** A join whose create may or may not have gone in: the stored entry, else a create on its own. */
  private async stored(entry: EntryDoc): Promise<Joined> {
    const existing = await readDoc<EntryDoc>(this.c, entry.id, entry.showId);
    if (!existing) return this.single(entry);
    return { entry: existing, created: existing.doc.key === entry.key && existing.doc.joinedAt === entry.joinedAt };
  }

  /** One join on its own: create, else the stored entry; created when it holds this join's key. */
  private async single(entry: EntryDoc): Promise<Joined> {
    const created = await createOnce(this.c, entry);
    if (created) return { entry: storedOf<EntryDoc>(created), created: true };
    const existing = await readDoc<EntryDoc>(this.c, entry.id, entry.showId);
    if (!existing) throw new Error(`entry of ${entry.userId} in ${entry.showId} exists but cannot be read`);
    return { entry: existing, created: existing.doc.key === entry.key && existing.doc.joinedAt === entry.joinedAt };
  }
}

async function settle(p: Pending, result: Promise<Joined>): Promise<void> {
  try {
    p.resolve(await result);
  } catch (err) {
    p.reject(err);
  }
}
