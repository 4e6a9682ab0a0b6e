// What the booking use-cases need from storage, one port per kind of document: the bookings, the
// one-active-booking-per-show claims, the processed payment webhooks and the tickets. Every change
// is conditional on the version read, so concurrent saga steps never overwrite each other. The
// Cosmos adapters are in shared/adapters/cosmos/, wired in shared/services.ts.
import type { Money } from '../domain/money.js';
import type { Mutator, Stored } from '../ports/documents.js';
import type { BookingDoc } from './model.js';

/** The commits of one booking made by this process, as they happen (see BookingStore.watch). */
export interface BookingWatch {
  /** The newest commit seen since the last call, waiting up to `ms` for one; undefined if none came. */
  next(ms: number): Promise<BookingDoc | undefined>;
  close(): void;
}

export interface BookingStore {
  /** Creates the booking; false when a document with that id already exists. */
  create(doc: BookingDoc): Promise<boolean>;
  read(userId: string, id: string): Promise<Stored<BookingDoc> | undefined>;
  get(userId: string, id: string): Promise<BookingDoc | undefined>;
  /** Replaces the booking if it is still at `etag`; false when another write came first. */
  replace(doc: BookingDoc, etag: string): Promise<boolean>;
  /**
   * Applies `fn` to the current booking and writes the result under its version, re-reading and
   * re-applying on a conflict (a bounded number of times). `known` is a version the caller has just
   * read: the first attempt uses it instead of reading. Answers the booking as it ends (unchanged
   * when `fn` answered undefined), or undefined when there is no such booking.
   */
  mutate(
    userId: string,
    id: string,
    fn: Mutator<BookingDoc>,
    known?: Stored<BookingDoc>,
  ): Promise<BookingDoc | undefined>;
  /** Operators and webhooks know only the id. */
  findById(id: string): Promise<BookingDoc | undefined>;
  /** One user's bookings ordered by show time, after the cursor (`sortKey`), one page plus one. */
  listForUser(
    userId: string,
    when: 'upcoming' | 'past' | 'all',
    now: string,
    limit: number,
    after?: string,
  ): Promise<BookingDoc[]>;
  /** Bookings in `statuses` (all users), newest change first; with `deadlineBefore`, only those past their deadline. */
  listByStatus(statuses: readonly string[], limit: number, deadlineBefore?: string): Promise<BookingDoc[]>;
  /** One show's bookings (all users) in id order after `after`, at most `limit`, with what a show's cancellation reads. */
  listForShow(showId: string, limit: number, after?: string): Promise<ShowBookingSummary[]>;
  /**
   * Follows this process's commits of booking `id` until closed. Only a hint for waiting: a commit
   * made by another process is not seen, so a waiter still reads now and then.
   */
  watch(id: string): BookingWatch;
  /**
   * The newest version of booking `id` this process has written or read, if it still has it. Only
   * ever a first guess for a conditional write (a stale one costs a conflict and a read): another
   * process may have changed the booking since.
   */
  lastSeen(id: string): Stored<BookingDoc> | undefined;
}

/** A booking as the show-cancellation fan-out and its progress read it. */
export type ShowBookingSummary = Pick<BookingDoc, 'id' | 'userId' | 'status' | 'cancellations'>;

/** One active booking per (user, show). */
export interface ShowClaims {
  /**
   * Claims the (user, show) slot for `bookingId`. Answers the booking that holds it when that one
   * is still active (`isActive`) and is not `bookingId`; undefined when the slot is ours now.
   */
  claim(
    userId: string,
    showId: string,
    bookingId: string,
    isActive: (id: string) => Promise<boolean>,
  ): Promise<string | undefined>;
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
  /** What the app did: raised on the saga, already used by it, handled as a late payment, raised but contradicting the booking (mismatch: the saga refuses it), left to the reconciler (the saga ended before the booking), or ignored (unknown booking). */
  outcome: 'raised' | 'used' | 'late' | 'mismatch' | 'deferred' | 'ignored';
  settled: boolean;
  receivedAt: string;
}

/** The payment webhook events the app has processed, one record per event. */
export interface WebhookRecords {
  seen(bookingId: string, eventId: string): Promise<WebhookRecord | undefined>;
  /** Records a processed event; false when it was already recorded (a concurrent duplicate). */
  record(record: WebhookRecord): Promise<boolean>;
  /** Successful payments not settled yet that arrived before `receivedBefore`. */
  unsettled(receivedBefore: string, limit: number): Promise<WebhookRecord[]>;
  /** Marks the record settled (once); undefined when there is no such record. */
  settle(bookingId: string, eventId: string): Promise<WebhookRecord | undefined>;
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

export interface TicketStore {
  /** Issues the ticket once: issuing it again keeps the first (a used ticket stays used). */
  put(ticket: TicketDoc): Promise<void>;
  ofBooking(showId: string, bookingId: string): Promise<TicketDoc[]>;
  read(showId: string, id: string): Promise<Stored<TicketDoc> | undefined>;
  /** As BookingStore.mutate, for one ticket. */
  mutate(showId: string, id: string, fn: Mutator<TicketDoc>): Promise<TicketDoc | undefined>;
}

/**
 * Which booking a payment settles (docs/architecture.md, Sagas: Payment verification). The first
 * booking to claim a payment id owns it for good — it either confirms with it or refunds it — so one
 * payment can never settle two bookings.
 */
export interface Settlement {
  /** The provider's payment id. */
  id: string;
  bookingId: string;
  userId: string;
  attempt: number;
  sessionId: string;
  amount: Money;
  /** What the owner claimed it for: to confirm the booking, or to give it back. */
  purpose: 'confirm' | 'refund';
  at: string;
  /**
   * When a refund of the payment was decided (set before the provider is asked, never cleared): from
   * then on it confirms nothing, even if it was claimed to confirm — its money is going back.
   */
  refundingAt?: string;
}

/** Whether the claim still lets its payment confirm its booking (it was claimed for that and no refund began). */
export const confirmsBooking = (s: Settlement): boolean => s.purpose === 'confirm' && !s.refundingAt;

export interface Settlements {
  /** Claims the payment for `s.bookingId` unless a booking already has: answers the settlement that stands. */
  claim(s: Settlement): Promise<Settlement>;
  get(paymentId: string): Promise<Settlement | undefined>;
  /**
   * Marks the claim of `paymentId` as being refunded (durably, before any refund is asked for), so
   * that no verification can use the payment any more. Idempotent; answers the claim as it stands, or
   * undefined when there is no claim.
   */
  markRefunding(paymentId: string, at: string): Promise<Settlement | undefined>;
}
