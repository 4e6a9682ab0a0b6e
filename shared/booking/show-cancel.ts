// An operator cancels a show that has bookings (docs/architecture.md, Show cancellation):
//   1. `cancel` marks the show cancelled at once (no new holds; a paid booking still in flight is
//      refunded instead of confirmed, shared/booking/steps.ts confirmSeats) and answers the
//      `show.cancelled` event the route publishes on SHOW_EVENTS_TOPIC;
//   2. `start` (the show-cancellations subscription) checks the event against the stored show and
//      starts the one fan-out instance of that show;
//   3. the fan-out (orchestrations/show-cancellation.ts) walks the show's bookings a page at a time,
//      and `cancelBatch` handles a chunk of a page in one activity: it records on each confirmed
//      booking a cancellation of all its seats caused by the show, refunding everything paid less
//      what was already refunded (the policy does not apply), refunds it under the same idempotency
//      key as the cancellation saga (shared/booking/cancel.ts), releases its seats, finishes it and
//      answers its booking.cancelled and refund.issued events — the saga's steps, without a Durable
//      instance per booking. A refund that fails, or a failed refund's retry, runs the cancellation
//      saga itself (its retries with backoff, refund_failed, the customer told);
//   4. `progress` counts what the committed bookings say, for operators.
// Every step reads committed state and may run twice: a second cancel, a redelivered event, a
// re-run batch or a restarted fan-out finds each booking's show cancellation already recorded (or
// refunded, or completed) and refunds nothing again; the events it publishes again carry the same ids.
import { z } from 'zod';
import { showCancellationRefund, zero } from '../domain/booking/index.js';
import type { Show } from '../domain/catalog.js';
import type { Money } from '../domain/money.js';
import { notFound } from '../errors.js';
import type { CatalogService } from '../catalog/service.js';
import { cityOfId } from '../catalog/service.js';
import { cancelInstanceId, type CancelService } from './cancel.js';
import { buildEvent, type BookingEventType, type CloudEvent } from './events.js';
import { derivedId, withHistory, type BookingDoc, type Cancellation } from './model.js';
import type { InstanceInfo, SagaClient } from './ports.js';
import type { BookingStore, ShowBookingSummary } from './store.js';
import {
  Saga,
  type ShowBookingRef,
  type ShowCancelInput,
  type ShowCancelPage,
  type ShowCancelStep,
} from './saga-contracts.js';

export const SHOW_EVENT_SOURCE = '/marquee/shows';

/** The show.cancelled CloudEvent (structured JSON) on SHOW_EVENTS_TOPIC. */
export interface ShowCancelledEvent {
  specversion: '1.0';
  id: string;
  source: typeof SHOW_EVENT_SOURCE;
  type: 'show.cancelled';
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: { showId: string; city: string; title: string; startsAt: string; reason: string; cancelledBy: string };
}

const EventSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('show.cancelled'),
  data: z.object({ showId: z.string().min(1).max(128) }),
});

export interface ShowCancelDeps {
  store: BookingStore;
  catalog: CatalogService;
  clock: () => number;
  /** Fan-out shape (settings SHOW_CANCEL_*). */
  batch: number;
  passPauseSeconds: number;
  maxPasses: number;
  /** A refund that failed is retried by later passes until its cancellation has had this many runs. */
  refundRuns: number;
  /** The cancellation saga's own refund retries (settings CANCEL_REFUND_*). */
  refundAttempts: number;
  refundRetryMs: number;
  /** Bookings per cancelBatch activity (setting SHOW_CANCEL_CHUNK). */
  chunk: number;
  /** The cancellation saga's steps (refund, release, finish), run here for a batch of bookings. */
  cancels: CancelService;
}

/** Bookings of one batch worked on at once (each a few Cosmos writes and one provider call). */
const BATCH_CONCURRENCY = 5;

/** What a batch did: each booking's step, and the booking events to publish (ids derived from state). */
export interface ShowCancelBatch {
  steps: ShowCancelStep[];
  events: CloudEvent[];
}

export interface ShowCancelProgress {
  showId: string;
  status: Show['status'];
  cancellation?: Show['cancellation'];
  bookings: {
    total: number;
    /** Refunded in full and cancelled by the show's cancellation. */
    refunded: number;
    /** A show cancellation recorded, its refund under way. */
    refunding: number;
    /** Refund failed (retried by later passes until SHOW_CANCEL_REFUND_RUNS, then an operator's). */
    failed: number;
    /** Held or paying when the show was cancelled, or a customer's own cancellation under way. */
    inFlight: number;
    /** Nothing owed: failed, expired or cancelled by the customer before. */
    nothingOwed: number;
    /** Confirmed and not reached by the fan-out yet. */
    notStarted: number;
  };
  refundedAmount?: Money;
  fanout?: { state: string; customStatus: unknown };
}

export const showCancelInstanceId = (showId: string) => `show-cancel.${showId}`;
const showCancellationId = (bookingId: string, showId: string) => derivedId('cx', bookingId, 'show', showId);
const iso = (ms: number) => new Date(ms).toISOString();

export class ShowCancellations {
  constructor(private readonly d: ShowCancelDeps) {}

  /**
   * Marks the show cancelled (once: a second call keeps the first reason) and answers it with the
   * event to publish. The event's id is derived from the show, so publishing it again is harmless.
   */
  async cancel(showId: string, reason: string, operatorId: string): Promise<{ show: Show; event: ShowCancelledEvent }> {
    const stored = await this.storedShow(showId);
    if (!stored) throw notFound(`Show ${showId}`);
    let show = stored;
    if (show.status !== 'cancelled' || !show.cancellation) {
      show = {
        ...stored,
        status: 'cancelled',
        cancellation: stored.cancellation ?? { reason, at: iso(this.d.clock()), by: operatorId },
      };
      await this.d.catalog.store.putShow(show);
      this.d.catalog.invalidate({ show });
    }
    return { show, event: showCancelledEvent(show) };
  }

  /**
   * Starts the show's fan-out for a `show.cancelled` message that matches the stored show. Once per
   * show while it runs; an ended one is walked again (it finds nothing left to do, or what an
   * operator's retry left). Answers what it did, for the log.
   */
  async start(message: unknown, saga: SagaClient): Promise<'started' | 'running' | 'ignored' | 'stale'> {
    const parsed = EventSchema.safeParse(typeof message === 'string' ? safeJson(message) : message);
    if (!parsed.success) return 'ignored';
    const show = await this.storedShow(parsed.data.data.showId);
    if (!show || show.status !== 'cancelled' || !show.cancellation) return 'stale';
    if (showCancelledEvent(show).id !== parsed.data.id) return 'stale';
    const input: ShowCancelInput = {
      showId: show.id,
      batch: this.d.batch,
      chunk: this.d.chunk,
      passPauseSeconds: this.d.passPauseSeconds,
      maxPasses: this.d.maxPasses,
      pass: 1,
      waiting: 0,
      failed: 0,
    };
    const r = await saga.start(Saga.showCancellation, showCancelInstanceId(show.id), input);
    return r === 'exists' ? 'running' : 'started';
  }

  /** One page of the show's bookings, in id order. */
  async page(ref: { showId: string; after?: string; limit: number }): Promise<ShowCancelPage> {
    const rows = await this.d.store.listForShow(ref.showId, ref.limit, ref.after);
    const items = rows.map((r) => ({ bookingId: r.id, userId: r.userId }));
    return { items, ...(rows.length === ref.limit && rows.length ? { next: rows[rows.length - 1]!.id } : {}) };
  }

  /**
   * What the fan-out does with one booking, in walks started before batches (their input has no
   * `chunk`; orchestrations/show-cancellation.ts replays them with these steps): records the show's
   * cancellation on a confirmed booking, or a failed refund's retry, and answers the cancellation
   * saga to run for it — the step as it was before cancelBatch, kept until no such walk is left.
   */
  async prepare(ref: ShowBookingRef & { showId: string }): Promise<ShowCancelStep> {
    const doc = await this.d.store.get(ref.userId, ref.bookingId);
    // The page came from a query; the booking itself says whether it belongs to this show.
    if (!doc || doc.showId !== ref.showId) return { action: 'none' };
    const show = await this.storedShow(ref.showId);
    if (!show || show.status !== 'cancelled') return { action: 'none' };
    if (doc.status === 'confirmed') {
      const saved = await this.recordCancellation(doc, show);
      const mine = saved?.cancellations.find((c) => c.id === showCancellationId(doc.id, show.id));
      if (!saved || !mine) return { action: saved && saved.status !== 'confirmed' ? 'wait' : 'none' };
      if (mine.status === 'completed') return { action: 'none' };
      if (mine.status === 'refund_failed') return this.retryFailedRefund(saved);
      return this.cancelStep(saved, mine);
    }
    if (doc.status === 'refund_failed') return this.retryFailedRefund(doc);
    // In flight (pending, held, paying, cancelling): the booking saga ends it, a customer's
    // cancellation (or the saga this walk started) finishes; a later pass looks again.
    return { action: ['pending', 'held', 'paying', 'cancelling'].includes(doc.status) ? 'wait' : 'none' };
  }

  /**
   * One chunk of a page: each booking cancelled by the show and refunded in full, its seats released
   * and its events answered for publishing, a few at a time (see ShowCancelStep for what each
   * booking's step says). Safe to run again, also while a booking's first run is cut short anywhere.
   */
  async cancelBatch(input: {
    showId: string;
    walkStartedAt: string;
    items: ShowBookingRef[];
  }): Promise<ShowCancelBatch> {
    const show = await this.storedShow(input.showId);
    const events: CloudEvent[] = [];
    if (!show || show.status !== 'cancelled') return { steps: input.items.map(() => ({ action: 'none' })), events };
    const steps: ShowCancelStep[] = new Array(input.items.length);
    let next = 0;
    let error: unknown;
    const worker = async () => {
      for (let i = next++; i < input.items.length; i = next++)
        steps[i] = await this.cancelOne(input.items[i]!, show, input.walkStartedAt, events).catch((err: unknown) => {
          error ??= err;
          return { action: 'wait' as const };
        });
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, input.items.length) }, worker));
    // One booking's fault (Cosmos busy, the seat write contended) fails the batch after the others
    // went ahead, so the activity's retry runs it again; what went ahead is a no-op then, and the
    // events of what completed are answered again (completed since the walk began).
    if (error) throw error;
    return { steps, events };
  }

  private async cancelOne(
    ref: ShowBookingRef,
    show: Show,
    walkStartedAt: string,
    events: CloudEvent[],
  ): Promise<ShowCancelStep> {
    let doc = await this.d.store.get(ref.userId, ref.bookingId);
    // The page came from a query; the booking itself says whether it belongs to this show.
    if (!doc || doc.showId !== show.id) return { action: 'none' };
    const id = showCancellationId(doc.id, show.id);
    let mine = doc.cancellations.find((c) => c.id === id);
    if (doc.status === 'confirmed' && !mine) {
      const saved = await this.recordCancellation(doc, show);
      if (!saved) return { action: 'none' };
      doc = saved;
      mine = doc.cancellations.find((c) => c.id === id);
    }
    if (mine?.status === 'completed') {
      // Completed by this walk (a batch that was cut short after the commit, before the publish):
      // publish again, under the same ids. Completed by an earlier walk: that walk published it.
      if (mine.completedAt && mine.completedAt >= walkStartedAt) this.announce(doc, mine, events);
      return { action: 'none' };
    }
    switch (doc.status) {
      case 'refund_failed':
        return this.retryFailedRefund(doc);
      case 'cancelling':
        // The show's own cancellation in its first run (recorded here, or by a batch cut short):
        // carry it on. Any other (a customer's, or a retry run by a saga) finishes on its own.
        if (mine && mine.runs === 1 && (mine.status === 'requested' || mine.status === 'refunded'))
          return this.carryOut(doc, mine, events);
        return { action: 'wait' };
      case 'pending':
      case 'held':
      case 'paying':
        // In flight: the booking saga ends it (a payment is refunded, steps.ts confirmSeats); a
        // later pass looks again.
        return { action: 'wait' };
      default:
        return { action: 'none' };
    }
  }

  /**
   * The cancellation saga's steps for one booking (orchestrations/cancellation-saga.ts): refund, free
   * the seats, finish, then its events. A refund the provider refuses is handed to the saga itself,
   * whose retries with backoff follow this first attempt; with a single attempt configured the
   * refund failed here, as the saga would have recorded it.
   */
  private async carryOut(doc: BookingDoc, c: Cancellation, events: CloudEvent[]): Promise<ShowCancelStep> {
    const ref = { bookingId: doc.id, userId: doc.userId, cancellationId: c.id };
    try {
      await this.d.cancels.refund(ref);
    } catch (err) {
      if (this.d.refundAttempts > 1) {
        const step = this.cancelStep(doc, c);
        return step.action === 'cancel'
          ? { ...step, input: { ...step.input, refundAttempts: this.d.refundAttempts - 1 } }
          : step;
      }
      await this.d.cancels.refundFailed({ ...ref, error: (err as Error).message });
      const failed = await this.d.store.get(doc.userId, doc.id);
      if (failed) this.publish(failed, c.id, 'refund.failed', events);
      return { action: 'wait' };
    }
    await this.d.cancels.releaseSeats(ref);
    await this.d.cancels.finish(ref);
    const done = await this.d.store.get(doc.userId, doc.id);
    const mine = done?.cancellations.find((x) => x.id === c.id);
    if (!done || mine?.status !== 'completed') throw new Error(`cancellation ${c.id} of ${doc.id} did not complete`);
    this.announce(done, mine, events);
    return { action: 'done' };
  }

  /** A completed show cancellation's events, as the saga publishes them (the notice is booking.cancelled's). */
  private announce(doc: BookingDoc, c: Cancellation, events: CloudEvent[]) {
    this.publish(doc, c.id, 'booking.cancelled', events);
    this.publish(doc, c.id, 'refund.issued', events);
  }

  private publish(doc: BookingDoc, cancellationId: string, type: BookingEventType, events: CloudEvent[]) {
    const event = buildEvent(doc, { type, bookingId: doc.id, userId: doc.userId, cancellationId });
    // Built from the committed booking: missing only if the state is not there (a bug), so fail loudly.
    if (!event) throw new Error(`booking ${doc.id} does not show ${type} of ${cancellationId}`);
    events.push(event);
  }

  /** Counts from the committed bookings (and the fan-out's own status when a client is given). */
  async progress(showId: string, saga?: SagaClient): Promise<ShowCancelProgress> {
    const show = await this.storedShow(showId);
    if (!show) throw notFound(`Show ${showId}`);
    const bookings = { total: 0, refunded: 0, refunding: 0, failed: 0, inFlight: 0, nothingOwed: 0, notStarted: 0 };
    let refundedMinor = 0;
    let currency: string | undefined;
    for (let after: string | undefined, rows: ShowBookingSummary[]; ; after = rows[rows.length - 1]!.id) {
      rows = await this.d.store.listForShow(showId, 1000, after);
      for (const b of rows) {
        bookings.total++;
        const mine = b.cancellations.find((c) => c.cause === 'show');
        if (mine?.refundId) {
          refundedMinor += mine.refund.minor;
          currency = mine.refund.currency;
        }
        if (b.status === 'refund_failed') bookings.failed++;
        else if (mine?.status === 'completed') bookings.refunded++;
        else if (mine) bookings.refunding++;
        else if (b.status === 'confirmed') bookings.notStarted++;
        else if (['pending', 'held', 'paying', 'cancelling'].includes(b.status)) bookings.inFlight++;
        else bookings.nothingOwed++;
      }
      if (rows.length < 1000) break;
    }
    const info: InstanceInfo | undefined = saga ? await saga.status(showCancelInstanceId(showId)) : undefined;
    return {
      showId,
      status: show.status,
      ...(show.cancellation ? { cancellation: show.cancellation } : {}),
      bookings,
      ...(currency ? { refundedAmount: { minor: refundedMinor, currency } } : {}),
      ...(info ? { fanout: { state: info.state, customStatus: info.customStatus } } : {}),
    };
  }

  /**
   * confirmed → cancelling, with one cancellation of every seat caused by the show. Answers the
   * booking as stored (unchanged when someone moved it first), undefined when it is gone.
   */
  private async recordCancellation(doc: BookingDoc, show: Show): Promise<BookingDoc | undefined> {
    const id = showCancellationId(doc.id, show.id);
    const at = iso(this.d.clock());
    const saved = await this.d.store.mutate(doc.userId, doc.id, (d) => {
      if (d.status !== 'confirmed' || d.cancellations.some((c) => c.id === id)) return undefined;
      const paid = d.charged ?? d.payment?.amount ?? d.price.total;
      const refund = showCancellationRefund({
        paid,
        // Every earlier cancellation's refund, made or still owed (a completed one has made it).
        refunded: d.cancellations.map((c) => c.refund),
      });
      const cancellation: Cancellation = {
        id,
        seatIds: d.seatIds,
        whole: true,
        refund,
        ticketValue: d.price.tickets,
        feesKept: zero(refund.currency),
        refundBp: 10_000,
        status: 'requested',
        runs: 1,
        requestedAt: at,
        cause: 'show',
        reason: show.cancellation?.reason ?? 'The show was cancelled.',
      };
      return {
        ...withHistory(
          d,
          'cancelling',
          'cancelRequested',
          at,
          `show cancelled: refund ${refund.minor} ${refund.currency} in full`,
        ),
        cancellations: [...d.cancellations, cancellation],
        deadline: iso(this.d.clock() + 10 * 60_000),
      };
    });
    return saved;
  }

  /**
   * A refund that failed (the show's, or a customer's earlier cancellation) is run again — the same
   * cancellation and refund key, one more run, as an operator's retry-refund does — until
   * `refundRuns`; then it is left to operators (GET /api/ops/bookings?status=refund_failed).
   */
  private async retryFailedRefund(doc: BookingDoc): Promise<ShowCancelStep> {
    const failed = doc.cancellations.find((c) => c.status === 'refund_failed');
    if (!failed) return { action: 'wait' };
    if (failed.runs >= this.d.refundRuns) return { action: 'failed' };
    const at = iso(this.d.clock());
    const saved = await this.d.store.mutate(doc.userId, doc.id, (d) => {
      const c = d.cancellations.find((x) => x.id === failed.id);
      if (d.status !== 'refund_failed' || c?.status !== 'refund_failed' || c.runs !== failed.runs) return undefined;
      return {
        ...withHistory(d, 'cancelling', 'refundRetried', at, 'show cancelled: the refund is retried'),
        deadline: iso(this.d.clock() + 10 * 60_000),
        cancellations: d.cancellations.map((x) =>
          x.id === failed.id ? { ...x, status: 'requested' as const, runs: x.runs + 1 } : x,
        ),
      };
    });
    const mine = saved?.cancellations.find((c) => c.id === failed.id);
    // Someone else (an operator's retry, another pass) moved it first: theirs runs, look again later.
    if (!saved || !mine || mine.runs !== failed.runs + 1 || saved.status !== 'cancelling') return { action: 'wait' };
    return this.cancelStep(saved, mine);
  }

  private cancelStep(doc: BookingDoc, c: Cancellation): ShowCancelStep {
    return {
      action: 'cancel',
      instanceId: cancelInstanceId(doc.id, c),
      input: {
        bookingId: doc.id,
        userId: doc.userId,
        cancellationId: c.id,
        refundAttempts: this.d.refundAttempts,
        refundRetryMs: this.d.refundRetryMs,
      },
    };
  }

  /** The show as stored, not from the catalog's cache: cancellation decisions need the latest word. */
  private async storedShow(showId: string): Promise<Show | undefined> {
    const city = cityOfId(showId);
    return city ? this.d.catalog.store.show(city, showId) : undefined;
  }
}

export function showCancelledEvent(show: Show): ShowCancelledEvent {
  const c = show.cancellation!;
  return {
    specversion: '1.0',
    id: derivedId('evt', 'show.cancelled', show.id),
    source: SHOW_EVENT_SOURCE,
    type: 'show.cancelled',
    subject: `shows/${show.id}`,
    time: c.at,
    datacontenttype: 'application/json',
    data: {
      showId: show.id,
      city: show.city,
      title: show.title,
      startsAt: show.startsAt,
      reason: c.reason,
      cancelledBy: c.by,
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
