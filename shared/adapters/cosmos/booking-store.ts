// Bookings in Cosmos DB (`bookings`, /userId) plus the small documents around them: the
// one-active-booking-per-show claim (`idempotency`, /userId), processed webhook events (`payments`,
// /bookingId) and tickets (`tickets`, /showId). Every change is read → modify → replace under
// IfMatch `_etag`, retried on 412, so concurrent activities never overwrite each other. Queries
// name the partition key in the WHERE clause too (the embedded server ignores the option).
import type { Container, SqlParameter } from '@azure/cosmos';
import type { BookingDoc } from '../../booking/model.js';
import type { Cosmos } from './client.js';
import type { Money } from '../../domain/money.js';

interface CosmosError {
  code?: number | string;
  statusCode?: number;
}
export const statusOf = (err: unknown) => Number((err as CosmosError).code ?? (err as CosmosError).statusCode);

const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];
function clean<T>(doc: unknown): T {
  const copy = { ...(doc as Record<string, unknown>) };
  for (const k of SYSTEM) delete copy[k];
  return copy as T;
}

export interface Stored<T> {
  doc: T;
  etag: string;
}

export interface TicketDoc {
  /** `${bookingId}:${seatId}` */
  id: string;
  showId: string;
  bookingId: string;
  userId: string;
  seatId: string;
  category: string;
  code: string;
  status: 'valid' | 'used' | 'void';
  issuedAt: string;
  usedAt?: string;
  usedBy?: string;
}

export interface WebhookRecord {
  /** `evt:${eventId}` */
  id: string;
  kind: 'webhook';
  bookingId: string;
  userId?: string;
  eventId: string;
  type: string;
  sessionId: string;
  paymentId?: string;
  amount: Money;
  /** What the app did: raised on the saga, already used by it, handled as a late payment, left to the reconciler (the saga ended before the booking), or ignored (unknown booking). */
  outcome: 'raised' | 'used' | 'late' | 'deferred' | 'ignored';
  settled: boolean;
  receivedAt: string;
}

export type Mutator<T> = (doc: T) => T | undefined;

async function readDoc<T>(container: Container, id: string, pk: string): Promise<Stored<T> | undefined> {
  const res = await container.item(id, pk).read<Record<string, unknown>>();
  return res.resource ? { doc: clean<T>(res.resource), etag: String(res.resource._etag) } : undefined;
}

async function queryDocs<T>(
  container: Container,
  query: string,
  parameters: SqlParameter[],
  max?: number,
): Promise<T[]> {
  const iterator = container.items.query<Record<string, unknown>>(
    { query, parameters },
    max ? { maxItemCount: max } : {},
  );
  const { resources } = await iterator.fetchAll();
  return resources.map((r) => clean<T>(r));
}

/**
 * Read → mutate → replace(IfMatch), retried on 412. Undefined from `fn` means "no change". A caller
 * that has just read the document passes it as `known`, and the first attempt skips the read (a
 * stale copy only costs the 412 and a normal retry).
 */
async function mutateDoc<T extends { id: string }>(
  container: Container,
  id: string,
  pk: string,
  fn: Mutator<T>,
  attempts = 12,
  known?: Stored<T>,
): Promise<T | undefined> {
  return (await mutateStored(container, id, pk, fn, attempts, known))?.doc;
}

/** mutateDoc, answering the version (document and ETag) it ended with. */
async function mutateStored<T extends { id: string }>(
  container: Container,
  id: string,
  pk: string,
  fn: Mutator<T>,
  attempts = 12,
  known?: Stored<T>,
): Promise<Stored<T> | undefined> {
  for (let i = 0; i < attempts; i++) {
    const current = i === 0 && known ? known : await readDoc<T>(container, id, pk);
    if (!current) return undefined;
    const next = fn(current.doc);
    if (!next) return current;
    try {
      const res = await container
        .item(id, pk)
        .replace(next, { accessCondition: { type: 'IfMatch', condition: current.etag } });
      return { doc: clean<T>(res.resource), etag: String(res.resource!._etag) };
    } catch (err) {
      if (statusOf(err) !== 412) throw err;
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 5 * (i + 1))));
    }
  }
  throw new Error(`document ${id} stayed contended after ${attempts} attempts`);
}

/**
 * The commits of one booking made by this process, as they happen. Only a hint for waiting (see
 * BookingService.waitForHold): a commit made by another process is not seen here, so a waiter
 * still reads now and then.
 */
export class BookingWatch {
  private latest?: BookingDoc;
  private wake?: () => void;

  constructor(private readonly off: () => void) {}

  push(doc: BookingDoc): void {
    this.latest = doc;
    this.wake?.();
  }

  /** The newest commit seen since the last call, waiting up to `ms` for one; undefined if none came. */
  async next(ms: number): Promise<BookingDoc | undefined> {
    if (!this.latest && ms > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.wake = undefined;
    const doc = this.latest;
    this.latest = undefined;
    return doc;
  }

  close(): void {
    this.off();
  }
}

/** How many bookings' last versions a process keeps (see BookingStore.lastSeen). */
const SEEN_LIMIT = 5000;

export class BookingStore {
  private readonly watchers = new Map<string, Set<BookingWatch>>();
  private readonly seen = new Map<string, Stored<BookingDoc>>();
  private readonly bookings: Container;
  private readonly claims: Container;
  private readonly payments: Container;
  private readonly tickets: Container;

  constructor(cosmos: Cosmos) {
    this.bookings = cosmos.container('bookings');
    this.claims = cosmos.container('idempotency');
    this.payments = cosmos.container('payments');
    this.tickets = cosmos.container('tickets');
  }

  /** Follows this process's commits of booking `id` until closed. */
  watch(id: string): BookingWatch {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    const w: BookingWatch = new BookingWatch(() => {
      set.delete(w);
      if (!set.size && this.watchers.get(id) === set) this.watchers.delete(id);
    });
    set.add(w);
    return w;
  }

  private committed(doc: BookingDoc | undefined): void {
    if (!doc) return;
    for (const w of this.watchers.get(doc.id) ?? []) w.push(doc);
  }

  /**
   * The newest version of booking `id` this process has written or read, if it still has it. Only
   * ever a first guess for a write under IfMatch (a stale one costs a 412 and a read): another
   * process may have changed the booking since.
   */
  lastSeen(id: string): Stored<BookingDoc> | undefined {
    return this.seen.get(id);
  }

  private remember(stored: Stored<BookingDoc> | undefined): Stored<BookingDoc> | undefined {
    if (!stored) return stored;
    // A read that raced a commit may answer the older version: every change appends to the
    // history, so the longer one is the newer.
    const known = this.seen.get(stored.doc.id);
    if (known && known.doc.history.length > stored.doc.history.length) return stored;
    this.seen.delete(stored.doc.id);
    this.seen.set(stored.doc.id, stored);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.keys().next().value!);
    return stored;
  }

  /** Creates the booking; false when a document with that id already exists. */
  async create(doc: BookingDoc): Promise<boolean> {
    try {
      const res = await this.bookings.items.create(doc);
      this.remember({ doc, etag: String(res.resource!._etag) });
      this.committed(doc);
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }

  async read(userId: string, id: string): Promise<Stored<BookingDoc> | undefined> {
    return this.remember(await readDoc<BookingDoc>(this.bookings, id, userId));
  }

  async get(userId: string, id: string): Promise<BookingDoc | undefined> {
    return (await this.read(userId, id))?.doc;
  }

  async replace(doc: BookingDoc, etag: string): Promise<boolean> {
    try {
      const res = await this.bookings
        .item(doc.id, doc.userId)
        .replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      this.remember({ doc, etag: String(res.resource!._etag) });
      this.committed(doc);
      return true;
    } catch (err) {
      if (statusOf(err) === 412) return false;
      throw err;
    }
  }

  /** See mutateDoc; `known` is the version the caller has just read, if any. */
  async mutate(
    userId: string,
    id: string,
    fn: Mutator<BookingDoc>,
    known?: Stored<BookingDoc>,
  ): Promise<BookingDoc | undefined> {
    let changed = false;
    const saved = this.remember(
      await mutateStored<BookingDoc>(
        this.bookings,
        id,
        userId,
        (doc) => {
          const next = fn(doc);
          changed = next !== undefined;
          return next;
        },
        12,
        known,
      ),
    );
    if (changed) this.committed(saved?.doc);
    return saved?.doc;
  }

  /** Operators and webhooks know only the id: a cross-partition lookup. */
  async findById(id: string): Promise<BookingDoc | undefined> {
    const found = await queryDocs<BookingDoc>(this.bookings, 'SELECT * FROM c WHERE c.id = @id', [
      { name: '@id', value: id },
    ]);
    return found[0];
  }

  /** One user's bookings ordered by show time, after the cursor (`sortKey`), one page plus one. */
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

  /** Bookings in `statuses` (all users); with `deadlineBefore`, only those past their deadline. */
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

  // ─── one active booking per (user, show) ──────────────────────────────────────────────────────

  /**
   * Claims the (user, show) slot for `bookingId`. Answers the booking that holds it when that one
   * is still active (pending, held or paying) and is not `bookingId`; undefined when ours now.
   */
  async claimShow(
    userId: string,
    showId: string,
    bookingId: string,
    isActive: (id: string) => Promise<boolean>,
  ): Promise<string | undefined> {
    const id = `active-show:${showId}`;
    for (let i = 0; i < 6; i++) {
      try {
        await this.claims.items.create({ id, userId, showId, bookingId });
        return undefined;
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
      const current = await readDoc<{ id: string; bookingId: string }>(this.claims, id, userId);
      if (!current) continue;
      if (current.doc.bookingId === bookingId) return undefined;
      if (await isActive(current.doc.bookingId)) return current.doc.bookingId;
      try {
        await this.claims
          .item(id, userId)
          .replace(
            { id, userId, showId, bookingId },
            { accessCondition: { type: 'IfMatch', condition: current.etag } },
          );
        return undefined;
      } catch (err) {
        if (statusOf(err) !== 412) throw err;
      }
    }
    throw new Error(`the active-booking claim of ${userId} on ${showId} stayed contended`);
  }

  // ─── webhook events ───────────────────────────────────────────────────────────────────────────

  async webhookSeen(bookingId: string, eventId: string): Promise<WebhookRecord | undefined> {
    return (await readDoc<WebhookRecord>(this.payments, `evt:${eventId}`, bookingId))?.doc;
  }

  /** Records a processed event; false when it was already recorded (a concurrent duplicate). */
  async recordWebhook(record: WebhookRecord): Promise<boolean> {
    try {
      await this.payments.items.create(record);
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }

  unsettledPayments(receivedBefore: string, limit: number): Promise<WebhookRecord[]> {
    return queryDocs<WebhookRecord>(
      this.payments,
      `SELECT TOP ${limit} * FROM c WHERE c.kind = 'webhook' AND c.settled = false AND c.type = 'payment.succeeded' AND c.receivedAt < @before`,
      [{ name: '@before', value: receivedBefore }],
    );
  }

  settleWebhook(bookingId: string, eventId: string): Promise<WebhookRecord | undefined> {
    return mutateDoc<WebhookRecord>(this.payments, `evt:${eventId}`, bookingId, (r) =>
      r.settled ? undefined : { ...r, settled: true },
    );
  }

  // ─── tickets ──────────────────────────────────────────────────────────────────────────────────

  async putTicket(ticket: TicketDoc): Promise<void> {
    try {
      await this.tickets.items.create(ticket);
    } catch (err) {
      // Issued before (the activity ran twice): the first issue stands, a used ticket stays used.
      if (statusOf(err) !== 409) throw err;
    }
  }

  ticketsOf(showId: string, bookingId: string): Promise<TicketDoc[]> {
    return queryDocs<TicketDoc>(this.tickets, 'SELECT * FROM c WHERE c.showId = @s AND c.bookingId = @b', [
      { name: '@s', value: showId },
      { name: '@b', value: bookingId },
    ]);
  }

  readTicket(showId: string, id: string): Promise<Stored<TicketDoc> | undefined> {
    return readDoc<TicketDoc>(this.tickets, id, showId);
  }

  async replaceTicket(ticket: TicketDoc, etag: string): Promise<boolean> {
    try {
      await this.tickets
        .item(ticket.id, ticket.showId)
        .replace(ticket, { accessCondition: { type: 'IfMatch', condition: etag } });
      return true;
    } catch (err) {
      if (statusOf(err) === 412) return false;
      throw err;
    }
  }

  mutateTicket(showId: string, id: string, fn: Mutator<TicketDoc>): Promise<TicketDoc | undefined> {
    return mutateDoc(this.tickets, id, showId, fn);
  }
}
