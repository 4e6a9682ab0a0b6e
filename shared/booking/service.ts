// Booking use-cases behind the HTTP triggers (docs/architecture.md, Sagas): start a booking under an
// Idempotency-Key, answer replays, read bookings and a user's history. The saga's own steps are in
// steps.ts, cancellation in cancel.ts.
//
// Idempotency: bookingId = hash(userId, key), and the booking document is the key's record. Its
// creation is the atomic "first one wins"; a second request finds it and compares fingerprints
// (another body → 422), sees it still in flight (pending and young → 409 Retry-After), or answers
// the same booking. Refusals are not remembered: a booking refused at the hold (SEATS_UNAVAILABLE)
// may be tried again with the same key, which starts attempt 2 under the same id.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Show } from '../domain/catalog.js';
import { fingerprintOf, priceSeats, priceTableOf, type PricingPolicy } from '../domain/booking/index.js';
import { invalidInput, notFound, SystemError, UserError, type UserErrorCode } from '../errors.js';
import { seatsUnavailable } from '../inventory/refusal.js';
import { refusalError } from '../inventory/problems.js';
import type { BookingStore, ShowClaims } from './store.js';
import type { CatalogService } from '../catalog/service.js';
import type { InventoryService } from '../inventory/service.js';
import {
  ACTIVE_STATUSES,
  bookingIdFor,
  canRetryPayment,
  declinedNow,
  MAX_PAYMENT_TRIES,
  paymentTryOf,
  showSnapshot,
  type BookingDoc,
} from './model.js';
import type { SagaClient } from './ports.js';
import { Saga, SagaEvent, type BookingSagaInput } from './saga-contracts.js';
import { holdIdOf } from './steps.js';

export type BookingRequest =
  { showId: string; seatIds: string[] } | { showId: string; quantity: number; category?: string; wheelchair?: boolean };

/** Absolute URLs a booking hands out, built by the HTTP trigger that knows the public origins. */
export interface BookingLinks {
  /** Where the provider sends the buyer back after checkout (the web client's booking page). */
  returnUrl(bookingId: string): string;
  /** The booking's own payment link (see BookingDoc.checkoutUrl). */
  checkoutUrl(bookingId: string, userId: string, token: string): string;
}

export interface BookingDeps {
  store: BookingStore;
  claims: ShowClaims;
  catalog: CatalogService;
  inventory: InventoryService;
  pricing: PricingPolicy;
  clock: () => number;
  holdWaitMs: number;
  holdTtlSeconds: number;
  /** Handed to each saga (BookingSagaInput.paymentGrace); no grace when absent. */
  paymentGrace?: { seconds: number; pollSeconds: number };
}

export type StartOutcome =
  | { kind: 'held'; booking: BookingDoc; replayed: boolean }
  | { kind: 'working'; booking: BookingDoc; replayed: boolean }
  | { kind: 'refused'; booking: BookingDoc; refusal: Refusal };

/** Why a booking was refused before any seat was held: the inventory's refusal, as the booking keeps it. */
export interface Refusal {
  code: RefusedCode;
  detail: string;
  seats: string[];
}

/** The inventory's refusals of a hold, and a booking the reconciler gave up on before its hold. */
const REFUSED_CODES = [
  'SEATS_UNAVAILABLE',
  'SHOW_NOT_ON_SALE',
  'SHOW_NOT_FOUND',
  'INVALID_SEATS',
  'BOOKING_ABANDONED',
] as const satisfies readonly UserErrorCode[];
type RefusedCode = (typeof REFUSED_CODES)[number];

function refusalOf(doc: BookingDoc): Refusal {
  const f = doc.failure;
  const code = REFUSED_CODES.find((c) => c === f?.code) ?? 'SEATS_UNAVAILABLE';
  return { code, detail: f?.detail ?? seatsUnavailable([]), seats: f?.seats ?? [] };
}

const iso = (ms: number) => new Date(ms).toISOString();

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class BookingService {
  constructor(private readonly d: BookingDeps) {}

  /** POST /api/bookings: create-or-replay, start the saga, wait briefly for the hold. */
  async start(
    userId: string,
    key: string,
    body: BookingRequest,
    saga: SagaClient,
    links: BookingLinks,
  ): Promise<StartOutcome> {
    const bookingId = bookingIdFor(userId, key);
    const fingerprint = await fingerprintOf(body);
    const existing = await this.d.store.read(userId, bookingId);
    if (existing && !isRetryable(existing.doc)) return this.replay(existing.doc, fingerprint, saga, links);

    const draft = await this.draft(userId, bookingId, body, fingerprint, links, existing?.doc);
    let recorded: boolean;
    try {
      const holder = await this.d.claims.claim(userId, body.showId, bookingId, async (id) => {
        const other = await this.d.store.get(userId, id);
        return !!other && ACTIVE_STATUSES.includes(other.status);
      });
      if (holder) {
        throw new UserError('BOOKING_IN_PROGRESS', {
          detail: `You already have a booking in progress for this show (${holder}). Finish or abandon it first.`,
          extra: { bookingId: holder, location: `/api/bookings/${holder}` },
        });
      }
      // A refused attempt is retried under the same id: replace it only if nobody else did.
      recorded = existing ? await this.d.store.replace(draft, existing.etag) : await this.d.store.create(draft);
    } catch (err) {
      await this.releasePicked(draft);
      throw err;
    }
    if (!recorded) {
      await this.releasePicked(draft);
      return this.replayLatest(userId, bookingId, fingerprint, saga, links);
    }
    const input: BookingSagaInput = {
      bookingId,
      userId,
      attempt: draft.attempt,
      returnUrl: links.returnUrl(bookingId),
      ...(this.d.paymentGrace?.seconds ? { paymentGrace: this.d.paymentGrace } : {}),
      retryDeclined: true,
      confirmInOneStep: true,
    };
    // Fresh: this request has just written the attempt, so no status call before the start.
    await saga.start(Saga.booking, bookingId, input, { fresh: true });
    return this.outcome(await this.waitForHold(draft), false);
  }

  /**
   * A best-available draft holds its seats already (see pick); when the draft is not recorded they
   * go back at once rather than at the hold's expiry. Only this draft's seats: a request racing it
   * under the same key holds others under the same hold id.
   */
  private async releasePicked(draft: BookingDoc): Promise<void> {
    if (draft.request.kind === 'best') await this.d.inventory.release(draft.showId, holdIdOf(draft), draft.seatIds);
  }

  private async replayLatest(
    userId: string,
    bookingId: string,
    fingerprint: string,
    saga: SagaClient,
    links: BookingLinks,
  ): Promise<StartOutcome> {
    const doc = await this.d.store.get(userId, bookingId);
    if (!doc)
      throw new SystemError('BOOKING_BUSY', {
        detail: 'The booking could not be recorded; try again.',
        retryAfter: 1,
      });
    return this.replay(doc, fingerprint, saga, links);
  }

  private async replay(
    doc: BookingDoc,
    fingerprint: string,
    saga: SagaClient,
    links: BookingLinks,
  ): Promise<StartOutcome> {
    if (doc.request.fingerprint !== fingerprint) {
      throw new UserError('IDEMPOTENCY_CONFLICT', {
        detail:
          'This Idempotency-Key was already used for a different booking request. Use a new key for a new request.',
      });
    }
    if (doc.status === 'pending') {
      const age = this.d.clock() - Date.parse(doc.createdAt);
      if (age < this.d.holdWaitMs + 1000) {
        throw new UserError('REQUEST_IN_PROGRESS', {
          detail: 'A request with this Idempotency-Key is still being processed.',
          extra: { bookingId: doc.id },
          retryAfter: 1,
        });
      }
      // The first request may have died between writing the booking and starting its saga.
      const input: BookingSagaInput = {
        bookingId: doc.id,
        userId: doc.userId,
        attempt: doc.attempt,
        returnUrl: links.returnUrl(doc.id),
        ...(this.d.paymentGrace?.seconds ? { paymentGrace: this.d.paymentGrace } : {}),
        retryDeclined: true,
        confirmInOneStep: true,
      };
      await saga.start(Saga.booking, doc.id, input);
    }
    return this.outcome(doc, true);
  }

  private outcome(doc: BookingDoc, replayed: boolean): StartOutcome {
    if (doc.status === 'pending') return { kind: 'working', booking: doc, replayed };
    if (isRetryable(doc)) return { kind: 'refused', booking: doc, refusal: refusalOf(doc) };
    return { kind: 'held', booking: doc, replayed };
  }

  /**
   * Waits until the saga has decided the hold, at most `holdWaitMs`, starting from the version this
   * request has just written. The answer does not wait for the payment session: its payment link is
   * the booking's own (`checkout` below), so the provider's latency stays out of the booking's.
   * The activities commit through the same store, in this process on the local host (and often on
   * Azure): their commits wake the wait at once. A commit made elsewhere is still seen, by a read at
   * growing intervals.
   */
  async waitForHold(written: BookingDoc): Promise<BookingDoc> {
    return this.waitWhile(written, (doc) => doc.status === 'pending');
  }

  /** The newest version of `from` once `busy` is false for it or `holdWaitMs` has passed. */
  private async waitWhile(from: BookingDoc, busy: (doc: BookingDoc) => boolean): Promise<BookingDoc> {
    const deadline = Date.now() + this.d.holdWaitMs;
    const watch = this.d.store.watch(from.id);
    try {
      let doc: BookingDoc | undefined = from;
      let pause = 250;
      for (;;) {
        if (!doc) throw notFound(`Booking ${from.id}`);
        // A commit made here before the watch began (the saga can be quick) is in the store's last-seen copy.
        const seen = this.d.store.lastSeen(from.id)?.doc;
        if (seen && seen.history.length > doc.history.length) doc = seen;
        const left = deadline - Date.now();
        if (!busy(doc) || left <= 0) return doc;
        const pushed = await watch.next(Math.min(pause, left));
        if (pushed) {
          // Every transition appends to the history: the longer one is the newer version.
          if (pushed.history.length >= doc.history.length) doc = pushed;
        } else {
          doc = await this.d.store.get(from.userId, from.id);
          pause = Math.min(800, pause * 2);
        }
      }
    } finally {
      watch.close();
    }
  }

  /**
   * GET /api/bookings/{id}/checkout: the provider's checkout URL for this booking's current payment
   * session, waiting briefly while the saga creates it. The link's token stands in for a sign-in
   * (a browser follows it without the API's bearer token); a wrong one reads as an unknown booking.
   */
  async checkout(bookingId: string, userId: string, token: string): Promise<string> {
    const doc = await this.d.store.get(userId, bookingId);
    if (!doc?.checkoutToken || !sameToken(doc.checkoutToken, token)) throw notFound(`Booking ${bookingId}`);
    const ready = await this.waitWhile(
      doc,
      (d) => (d.status === 'pending' || d.status === 'held') && !d.payment && !declinedNow(d),
    );
    if (ready.status === 'paying' && ready.payment) return ready.payment.paymentUrl;
    if (declinedNow(ready))
      throw new UserError('BOOKING_NOT_PAYABLE', {
        detail: 'The payment was declined; ask for a new payment (POST …/retry-payment) to pay again.',
        extra: { bookingId, bookingStatus: ready.status, canRetryPayment: canRetryPayment(ready) },
      });
    if (ready.status === 'pending' || ready.status === 'held') {
      throw new SystemError('PAYMENT_SESSION_PENDING', {
        detail: 'The payment session is still being created; try again in a moment.',
        retryAfter: 1,
      });
    }
    throw new UserError('BOOKING_NOT_PAYABLE', {
      detail: `The booking is ${ready.status}; there is nothing to pay.`,
      extra: { bookingId, bookingStatus: ready.status },
    });
  }

  /**
   * POST /api/bookings/{id}/release: the owner lets the held seats go before paying. The request is
   * committed on the booking first, then raised on the saga, which verifies it against that record
   * and releases through its own step (orchestrations/booking-flow.ts). Answers the booking once the
   * saga has acted or `holdWaitMs` passed (`done` false: still working). Idempotent: a booking already
   * released answers as it is; one that cannot be released (paid, over, still being held) is refused.
   */
  async release(doc: BookingDoc, saga: SagaClient): Promise<{ booking: BookingDoc; done: boolean }> {
    if (doc.status === 'expired' && doc.failure?.code === 'HOLD_RELEASED') return { booking: doc, done: true };
    if (doc.status === 'pending')
      throw new UserError('REQUEST_IN_PROGRESS', {
        detail: 'The seats are still being held; try again in a moment.',
        extra: { bookingId: doc.id, bookingStatus: doc.status },
        retryAfter: 1,
      });
    if (doc.status !== 'held' && doc.status !== 'paying') throw notReleasable(doc);
    const at = iso(this.d.clock());
    const marked = await this.d.store.mutate(doc.userId, doc.id, (d) =>
      (d.status !== 'held' && d.status !== 'paying') || d.releaseRequestedAt
        ? undefined
        : { ...d, releaseRequestedAt: at, updatedAt: at },
    );
    if (!marked) throw notFound(`Booking ${doc.id}`);
    if (marked.status !== 'held' && marked.status !== 'paying') return this.releaseOutcome(marked);
    await saga.raise(doc.id, SagaEvent.releaseRequested, { requestedAt: marked.releaseRequestedAt ?? at });
    return this.releaseOutcome(await this.waitWhile(marked, (d) => d.status === 'held' || d.status === 'paying'));
  }

  private releaseOutcome(doc: BookingDoc): { booking: BookingDoc; done: boolean } {
    if (doc.status === 'held' || doc.status === 'paying') return { booking: doc, done: false };
    if (doc.status === 'expired' && doc.failure?.code === 'HOLD_RELEASED') return { booking: doc, done: true };
    throw notReleasable(doc);
  }

  /**
   * POST /api/bookings/{id}/retry-payment: after a decline within the hold, a new payment try on the
   * same booking and seats. The new try is committed first (so a payment can only ever settle the
   * try the booking names: shared/booking/verification.ts), then raised on the saga, which verifies
   * it and creates the try's session. Answers once the session exists or `holdWaitMs` passed.
   * Idempotent: asked again while the new try is under way, it answers the booking as it is.
   */
  async retryPayment(doc: BookingDoc, saga: SagaClient): Promise<{ booking: BookingDoc; done: boolean }> {
    const hold = doc.holdExpiresAt ? Date.parse(doc.holdExpiresAt) : 0;
    const retrying = (d: BookingDoc) => d.status === 'held' && !d.payment && !declinedNow(d) && paymentTryOf(d) > 1;
    if (doc.status === 'paying' && paymentTryOf(doc) > 1) return { booking: doc, done: true };
    if (!retrying(doc)) {
      if (!declinedNow(doc))
        throw new UserError('BOOKING_NOT_RETRYABLE', {
          detail: `The booking is ${doc.status}${doc.status === 'held' || doc.status === 'paying' ? ' and its payment was not declined' : ''}; there is no declined payment to try again.`,
          extra: { bookingId: doc.id, bookingStatus: doc.status },
        });
      if (!canRetryPayment(doc))
        throw new UserError('BOOKING_NOT_RETRYABLE', {
          detail: `The payment was declined ${MAX_PAYMENT_TRIES} times; choose the seats again to start a new booking.`,
          extra: { bookingId: doc.id, bookingStatus: doc.status, paymentTry: paymentTryOf(doc) },
        });
      if (hold <= this.d.clock())
        throw new UserError('HOLD_EXPIRED', {
          detail: 'The seats are no longer held; choose them again.',
          extra: { bookingId: doc.id, bookingStatus: doc.status },
        });
    }
    const at = iso(this.d.clock());
    const next = await this.d.store.mutate(doc.userId, doc.id, (d) =>
      canRetryPayment(d)
        ? {
            ...d,
            paymentTry: paymentTryOf(d) + 1,
            updatedAt: at,
            history: [
              ...d.history,
              { at, status: d.status, event: 'paymentRetried', detail: `Payment try ${paymentTryOf(d) + 1}.` },
            ],
          }
        : undefined,
    );
    if (!next) throw notFound(`Booking ${doc.id}`);
    if (!retrying(next)) return { booking: next, done: next.status === 'paying' };
    await saga.raise(doc.id, SagaEvent.paymentRetry, { paymentTry: paymentTryOf(next) });
    const after = await this.waitWhile(next, (d) => retrying(d));
    return { booking: after, done: !retrying(after) };
  }

  /** Validates the request against the catalog, picks seats (best available), prices them. */
  private async draft(
    userId: string,
    bookingId: string,
    body: BookingRequest,
    fingerprint: string,
    links: BookingLinks,
    previous?: BookingDoc,
  ): Promise<BookingDoc> {
    const found = await this.d.catalog.showWithLayout(body.showId);
    if (!found) throw notFound(`Show ${body.showId}`);
    const { show, index } = found;
    const now = this.d.clock();
    if (show.status !== 'scheduled') throw new UserError('SHOW_NOT_ON_SALE', { detail: 'The show was cancelled.' });
    if (Date.parse(show.startsAt) <= now)
      throw new UserError('SHOW_NOT_ON_SALE', { detail: 'The show has already started.' });
    const attempt = (previous?.attempt ?? 0) + 1;
    const seatIds =
      'seatIds' in body ? body.seatIds : await this.pick(body, show, holdIdOf({ id: bookingId, attempt }), userId);
    const unknown = seatIds.filter((id) => !index.byId.has(id));
    if (unknown.length)
      throw invalidInput(`Not seats of this show: ${unknown.join(', ')}.`, [
        { field: 'body.seatIds', message: `unknown seats ${unknown.join(', ')}` },
      ]);
    const sections = new Set(seatIds.map((id) => index.byId.get(id)!.sectionId));
    if (sections.size > 1)
      throw invalidInput('All seats of a booking must lie in one section.', [
        { field: 'body.seatIds', message: 'seats in several sections' },
      ]);
    const priced = priceSeats(
      seatIds.map((id) => ({ seatId: id, category: index.byId.get(id)!.category })),
      priceTableOf(show.prices),
      this.d.pricing,
    );
    if (!priced.ok) throw invalidInput(priced.detail, [{ field: 'body.seatIds', message: priced.code }]);
    const at = iso(now);
    const checkoutToken = randomBytes(18).toString('base64url');
    return {
      id: bookingId,
      userId,
      showId: show.id,
      city: show.city,
      show: showSnapshot(show),
      seatIds,
      lines: priced.breakdown.lines,
      price: priced.breakdown,
      status: 'pending',
      attempt,
      request: { fingerprint, kind: 'seatIds' in body ? 'seats' : 'best' },
      deadline: iso(now + (this.d.holdTtlSeconds + 60) * 1000),
      checkoutToken,
      checkoutUrl: links.checkoutUrl(bookingId, userId, checkoutToken),
      cancelledSeatIds: [],
      cancellations: [],
      latePayments: [],
      history: [...(previous?.history ?? []), { at, status: 'pending', event: 'requested' }],
      sortKey: `${show.startsAt}|${bookingId}`,
      createdAt: at,
      updatedAt: at,
    };
  }

  /**
   * Best available: the seats are chosen and held in one conditional write against the section as
   * it is now (InventoryService.holdBest), under the hold id the saga's hold step will use, so that
   * step finds them held already and concurrent requests never pick the same seats. Refused only
   * when the category has no such seats left.
   */
  private async pick(
    body: { showId: string; quantity: number; category?: string; wheelchair?: boolean },
    show: Show,
    holdId: string,
    userId: string,
  ): Promise<string[]> {
    if (body.category && !show.prices[body.category]) {
      throw invalidInput(`The show has no category ${body.category}.`, [
        { field: 'body.category', message: `one of ${Object.keys(show.prices).join(', ')}` },
      ]);
    }
    const held = await this.d.inventory.holdBest(
      body.showId,
      { count: body.quantity, category: body.category, wheelchair: body.wheelchair },
      holdId,
      userId,
      this.d.holdTtlSeconds,
    );
    if (held.ok) return held.seatIds;
    if (held.code !== 'NOT_ENOUGH_SEATS') throw refusalError(held);
    throw refusalError({
      code: 'SEATS_UNAVAILABLE',
      detail: `There are not ${body.quantity} seats${body.category ? ` in ${body.category}` : ''} left together in one section.`,
      seats: [],
    });
  }

  /** The booking if `principal` may see it: its owner, or an operator. Anyone else gets 404. */
  async visible(bookingId: string, userId: string, operator: boolean): Promise<BookingDoc> {
    const doc =
      (await this.d.store.get(userId, bookingId)) ?? (operator ? await this.d.store.findById(bookingId) : undefined);
    if (!doc) throw notFound(`Booking ${bookingId}`);
    return doc;
  }

  async history(
    userId: string,
    when: 'upcoming' | 'past' | 'all',
    limit: number,
    after?: string,
  ): Promise<{ items: BookingDoc[]; next?: string }> {
    const docs = await this.d.store.listForUser(userId, when, iso(this.d.clock()), limit, after);
    const items = docs.slice(0, limit);
    return { items, next: docs.length > limit ? items[items.length - 1]!.sortKey : undefined };
  }
}

function notReleasable(doc: BookingDoc): UserError {
  return new UserError('BOOKING_NOT_RELEASABLE', {
    detail:
      doc.status === 'confirmed'
        ? 'The booking is paid and confirmed; cancel it instead (the cancellation policy applies).'
        : `The booking is ${doc.status}; it holds no seats to release.`,
    extra: { bookingId: doc.id, bookingStatus: doc.status },
  });
}

/** A booking refused at the hold may be retried under the same key (refusals are not remembered). */
export const isRetryable = (doc: BookingDoc) => doc.status === 'failed' && !doc.holdExpiresAt && !doc.payment;
