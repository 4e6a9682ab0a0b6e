// Bookings in Cosmos DB (container `bookings`, partition key /userId). Every write is conditional
// on the `_etag` read (shared/adapters/cosmos/conditional-replace.ts); each version this process
// writes or reads is remembered, and its watchers woken, by booking-commits.ts.
import type { Container, SqlParameter } from '@azure/cosmos';
import type { BookingDoc } from '../../booking/model.js';
import type { BookingStore, BookingWatch, ShowBookingSummary } from '../../booking/store.js';
import type { Mutator, Stored } from '../../ports/documents.js';
import type { Cosmos } from './client.js';
import { BookingCommits } from './booking-commits.js';
import { conditionalReplace } from './conditional-replace.js';
import { createOnce, queryDocs, readDoc, replaceIfMatch } from './documents.js';

export class CosmosBookingStore implements BookingStore {
  private readonly bookings: Container;
  private readonly commits = new BookingCommits();

  constructor(cosmos: Cosmos) {
    this.bookings = cosmos.container('bookings');
  }

  watch(id: string): BookingWatch {
    return this.commits.watch(id);
  }

  lastSeen(id: string): Stored<BookingDoc> | undefined {
    return this.commits.lastSeen(id);
  }

  async create(doc: BookingDoc): Promise<boolean> {
    const created = await createOnce(this.bookings, doc);
    if (!created) return false;
    this.commits.remember({ doc, etag: String(created._etag) });
    this.commits.committed(doc);
    return true;
  }

  async read(userId: string, id: string): Promise<Stored<BookingDoc> | undefined> {
    return this.commits.remember(await readDoc<BookingDoc>(this.bookings, id, userId));
  }

  async get(userId: string, id: string): Promise<BookingDoc | undefined> {
    return (await this.read(userId, id))?.doc;
  }

  async replace(doc: BookingDoc, etag: string): Promise<boolean> {
    const written = await replaceIfMatch(this.bookings, doc.id, doc.userId, doc, etag);
    if (!written) return false;
    this.commits.remember({ doc, etag: String(written._etag) });
    this.commits.committed(doc);
    return true;
  }

  async mutate(
    userId: string,
    id: string,
    fn: Mutator<BookingDoc>,
    known?: Stored<BookingDoc>,
  ): Promise<BookingDoc | undefined> {
    let changed = false;
    const saved = this.commits.remember(
      await conditionalReplace<BookingDoc>(
        this.bookings,
        id,
        userId,
        (doc) => {
          const next = fn(doc);
          changed = next !== undefined;
          return next;
        },
        { known },
      ),
    );
    if (changed) this.commits.committed(saved?.doc);
    return saved?.doc;
  }

  /** A cross-partition lookup. */
  async findById(id: string): Promise<BookingDoc | undefined> {
    const found = await queryDocs<BookingDoc>(this.bookings, 'SELECT * FROM c WHERE c.id = @id', [
      { name: '@id', value: id },
    ]);
    return found[0];
  }

  listForUser(
    userId: string,
    when: 'upcoming' | 'past' | 'all',
    now: string,
    limit: number,
    after?: string,
  ): Promise<BookingDoc[]> {
    const desc = when === 'past';
    const clauses = ['c.userId = @u'];
    const params: SqlParameter[] = [
      { name: '@u', value: userId },
      { name: '@now', value: now },
    ];
    if (when === 'upcoming') clauses.push('c.show.startsAt >= @now');
    if (when === 'past') clauses.push('c.show.startsAt < @now');
    if (after) {
      clauses.push(desc ? 'c.sortKey < @after' : 'c.sortKey > @after');
      params.push({ name: '@after', value: after });
    }
    return queryDocs<BookingDoc>(
      this.bookings,
      `SELECT TOP ${limit + 1} * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.sortKey ${desc ? 'DESC' : 'ASC'}`,
      params,
    );
  }

  listByStatus(statuses: readonly string[], limit: number, deadlineBefore?: string): Promise<BookingDoc[]> {
    const params: SqlParameter[] = statuses.map((s, i) => ({ name: `@s${i}`, value: s }));
    let where = `c.status IN (${statuses.map((_, i) => `@s${i}`).join(', ')})`;
    if (deadlineBefore) {
      where += ' AND c.deadline < @d';
      params.push({ name: '@d', value: deadlineBefore });
    }
    return queryDocs<BookingDoc>(
      this.bookings,
      `SELECT TOP ${limit} * FROM c WHERE ${where} ORDER BY c.updatedAt DESC`,
      params,
    );
  }

  listForShow(showId: string, limit: number, after?: string): Promise<ShowBookingSummary[]> {
    // Across users' partitions (an operator action, not a request path); id order makes the pages stable.
    const params: SqlParameter[] = [{ name: '@show', value: showId }];
    let where = 'c.showId = @show';
    if (after) {
      where += ' AND c.id > @after';
      params.push({ name: '@after', value: after });
    }
    return queryDocs<ShowBookingSummary>(
      this.bookings,
      `SELECT TOP ${Math.trunc(limit)} c.id, c.userId, c.status, c.cancellations FROM c WHERE ${where} ORDER BY c.id`,
      params,
    );
  }
}
