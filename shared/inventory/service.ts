// The inventory service: hold, release, confirm, block and unblock seats of a show, each one
// conditional write to one section (docs/architecture.md, Seats and holds), plus the show's
// availability snapshot (served from a cache of at most 1 s) and the sweeper's clean-up. Business
// outcomes are returned values (the booking saga branches on them); a section too contended to
// write is a thrown, retryable INVENTORY_BUSY error. Time comes from the injected clock only.
import type { InventoryStore, StoredSection } from './ports.js';
import type { Money, Show } from '../domain/catalog.js';
import { summarizeSections, type LayoutIndex, type SectionSummary } from '../contracts/layout.js';
import { FREE, MAX_SEATS_PER_HOLD } from '../contracts/seats.js';
import { encodeAvailability, freeByCategory, type AvailabilityView } from '../domain/availability.js';
import { quoteSeats, type Quote } from './quote.js';
import { bestAvailable, type BestAvailableRequest, type BestAvailableResult } from '../domain/best-available.js';
import { checkSeatRequest } from '../domain/seat-request.js';
import { MAX_SECTION_SEATS } from '../domain/layout.js';
import {
  blockSeats,
  confirmHold,
  extendHold,
  holdSeats,
  releaseHold,
  sweepExpired,
  unblockSeats,
  type SeatMap,
} from '../domain/section.js';
import { releaseAttempt, type EndedAttempt } from '../domain/booking/release-attempt.js';
import { SectionWriter, type Mutation } from './writer.js';
import { refusal, refusalWith, type SeatRefusal } from './refusal.js';
import { etagOf } from '../http/caching.js';

export interface ShowWithLayout {
  show: Show;
  index: LayoutIndex;
}

export interface HoldSuccess {
  ok: true;
  showId: string;
  holdId: string;
  sectionId: string;
  seatIds: string[];
  expiresAt: string;
  /** Commit attempts (1 = no ETag conflict). */
  attempts: number;
}

export interface SeatsChanged {
  ok: true;
  showId: string;
  sectionId?: string;
  /** Seats the call changed or confirmed (empty for a no-op release). */
  seatIds: string[];
  attempts: number;
}

export type HoldResult = HoldSuccess | SeatRefusal;
/** A best-available hold refused because no section has the seats asked for right now. */
export type BestHoldResult = HoldSuccess | SeatRefusal | { ok: false; code: 'NOT_ENOUGH_SEATS' };
export type ChangeResult = SeatsChanged | SeatRefusal;

export interface Availability {
  showId: string;
  body: string;
  etag: string;
  version: number;
  encoded: string;
  index: LayoutIndex;
}

export interface InventoryDeps {
  store: InventoryStore;
  lookup: (showId: string) => Promise<ShowWithLayout | undefined>;
  clock: () => number;
  random?: () => number;
  /** Max age of a served availability snapshot. */
  availabilityTtlMs?: number;
  maxAttempts?: number;
}

interface CachedAvailability {
  at: number;
  value?: Availability;
  pending?: Promise<Availability | undefined>;
}

/** Section summaries per layout index: a layout never changes, its snapshots are rebuilt every second. */
const summaries = new WeakMap<LayoutIndex, SectionSummary[]>();
function summaryOf(index: LayoutIndex): SectionSummary[] {
  let s = summaries.get(index);
  if (!s) summaries.set(index, (s = summarizeSections(index)));
  return s;
}

const MAX_AVAILABILITY_CACHED = 2000;

export class InventoryService {
  readonly writer: SectionWriter;
  private readonly availabilityCache = new Map<string, CachedAvailability>();
  private readonly ttl: number;

  constructor(private readonly deps: InventoryDeps) {
    this.writer = new SectionWriter({
      store: deps.store,
      clock: deps.clock,
      random: deps.random,
      maxAttempts: deps.maxAttempts,
    });
    this.ttl = deps.availabilityTtlMs ?? 1000;
  }

  /** Holds all of `seatIds` (one section, 1–10 seats) for `ttlSeconds`, or none. */
  async hold(
    showId: string,
    seatIds: readonly string[],
    holdId: string,
    userId: string,
    ttlSeconds: number,
  ): Promise<HoldResult> {
    const found = await this.deps.lookup(showId);
    if (!found) return refusal('SHOW_NOT_FOUND');
    const { show, index } = found;
    if (show.status !== 'scheduled') return refusalWith('SHOW_NOT_ON_SALE', 'The show was cancelled.');
    if (Date.parse(show.startsAt) <= this.deps.clock()) return refusalWith('SHOW_NOT_ON_SALE', 'The show has started.');
    const check = checkSeatRequest(index, seatIds, MAX_SEATS_PER_HOLD);
    if (!check.ok) return refusalWith('INVALID_SEATS', check.message, check.seats);
    let expiresAt = '';
    const { result, attempts } = await this.writer.submit(showId, check.sectionId, index.layout.id, (seats, now) => {
      const outcome = holdSeats(seats, {
        seatIds,
        holdId,
        userId,
        expiresAt: new Date(now + ttlSeconds * 1000).toISOString(),
        now,
      });
      if (outcome.ok) {
        const first = outcome.seats[seatIds[0]!];
        expiresAt = first?.s === 'held' ? first.expiresAt : new Date(now).toISOString();
      }
      return { next: outcome.ok && outcome.changed ? outcome.seats : undefined, result: outcome };
    });
    if (!result.ok) return refusal(result.reason, result.seats);
    return { ok: true, showId, holdId, sectionId: check.sectionId, seatIds: [...seatIds], expiresAt, attempts };
  }

  /**
   * Holds `req.count` seats chosen by the best-available rules against each section's current
   * document, inside that section's conditional write: a request queued behind others, or re-applied
   * after an ETag conflict, picks again on the copy it is written to. The snapshot's choice of
   * section goes first, then every other section, so the request is refused only when no section
   * has the seats at the moment it is written.
   */
  async holdBest(
    showId: string,
    req: BestAvailableRequest,
    holdId: string,
    userId: string,
    ttlSeconds: number,
  ): Promise<BestHoldResult> {
    const found = await this.deps.lookup(showId);
    if (!found) return refusal('SHOW_NOT_FOUND');
    const { show, index } = found;
    if (show.status !== 'scheduled') return refusalWith('SHOW_NOT_ON_SALE', 'The show was cancelled.');
    if (Date.parse(show.startsAt) <= this.deps.clock()) return refusalWith('SHOW_NOT_ON_SALE', 'The show has started.');
    const snapshot = await this.availability(showId);
    const guess = snapshot ? bestAvailable(index, snapshot.encoded, req) : undefined;
    const sectionIds = index.layout.sections.map((s) => s.id);
    if (guess?.ok) sectionIds.sort((a, b) => Number(b === guess.sectionId) - Number(a === guess.sectionId));
    for (const sectionId of sectionIds) {
      const { result: held, attempts } = await this.writer.submit(showId, sectionId, index.layout.id, (seats, now) => {
        const encoded = encodeAvailability(index, new Map([[sectionId, seats]]), now);
        const pick = bestAvailable(index, encoded, { ...req, sectionId });
        if (!pick.ok) return { result: undefined };
        const expiresAt = new Date(now + ttlSeconds * 1000).toISOString();
        const outcome = holdSeats(seats, { seatIds: pick.seatIds, holdId, userId, expiresAt, now });
        if (!outcome.ok) return { result: undefined };
        return { next: outcome.changed ? outcome.seats : undefined, result: { seatIds: pick.seatIds, expiresAt } };
      });
      if (held) return { ok: true, showId, holdId, sectionId, ...held, attempts };
    }
    return { ok: false, code: 'NOT_ENOUGH_SEATS' };
  }

  /**
   * Keeps the hold `holdId` on `seatIds` until `until` (domain extendHold): a booking whose payment
   * the provider cannot confirm yet keeps its seats for a bounded grace. Idempotent.
   */
  async extendHold(
    showId: string,
    seatIds: readonly string[],
    holdId: string,
    userId: string,
    until: string,
  ): Promise<HoldResult> {
    const found = await this.deps.lookup(showId);
    if (!found) return refusal('SHOW_NOT_FOUND');
    const check = checkSeatRequest(found.index, seatIds, MAX_SEATS_PER_HOLD);
    if (!check.ok) return refusalWith('INVALID_SEATS', check.message, check.seats);
    const { result, attempts } = await this.writer.submit(
      showId,
      check.sectionId,
      found.index.layout.id,
      (seats, now) => {
        const outcome = extendHold(seats, { seatIds, holdId, userId, expiresAt: until, now });
        return { next: outcome.ok && outcome.changed ? outcome.seats : undefined, result: outcome };
      },
    );
    if (!result.ok) return refusal(result.reason, result.seats);
    return { ok: true, showId, holdId, sectionId: check.sectionId, seatIds: [...seatIds], expiresAt: until, attempts };
  }

  /** Frees what the hold still holds. Idempotent: releasing twice, or after expiry, is fine. */
  release(showId: string, holdId: string, seatIds?: readonly string[]): Promise<ChangeResult> {
    return this.acrossSections(
      showId,
      seatIds,
      (seats) => {
        const r = releaseHold(seats, holdId, seatIds);
        return { next: r.changed ? r.seats : undefined, result: r };
      },
      { stopWhen: (r) => r.affected.length > 0, missing: 'ok' },
    );
  }

  /**
   * Gives back the seats of a booking attempt that has ended (domain releaseAttempt): those its hold
   * still holds and those a late confirmation booked for it. Idempotent. Only for a booking whose end
   * is committed: it frees booked seats.
   */
  releaseAttempt(showId: string, attempt: EndedAttempt): Promise<ChangeResult> {
    return this.acrossSections(
      showId,
      attempt.seatIds,
      (seats) => {
        const r = releaseAttempt(seats, attempt);
        return { next: r.changed ? r.seats : undefined, result: { ok: true as const, affected: r.freed } };
      },
      { stopWhen: (r) => r.affected.length > 0, missing: 'ok' },
    );
  }

  /** Turns the hold into booking `bookingId`. Idempotent for the same bookingId. */
  confirm(showId: string, holdId: string, bookingId: string, seatIds?: readonly string[]): Promise<ChangeResult> {
    return this.acrossSections(
      showId,
      seatIds,
      (seats) => {
        const r = confirmHold(seats, { holdId, bookingId, seatIds });
        return { next: r.ok && r.changed ? r.seats : undefined, result: r };
      },
      { stopWhen: (r) => r.ok || r.reason !== 'HOLD_NOT_FOUND', missing: 'HOLD_NOT_FOUND' },
    );
  }

  /** Operator: takes seats off sale (free or expired-hold seats only). */
  block(showId: string, seatIds: readonly string[]): Promise<ChangeResult> {
    return this.operatorChange(showId, seatIds, (seats, now) => {
      const r = blockSeats(seats, seatIds, now);
      return { next: r.ok && r.changed ? r.seats : undefined, result: r };
    });
  }

  /** Operator: puts blocked seats back on sale. */
  unblock(showId: string, seatIds: readonly string[]): Promise<ChangeResult> {
    return this.operatorChange(showId, seatIds, (seats) => {
      const r = unblockSeats(seats, seatIds);
      return { next: r.changed ? r.seats : undefined, result: r };
    });
  }

  /** Seats for `count` people by the best-available rules, on the current snapshot (≤ 1 s old). */
  async bestAvailable(
    showId: string,
    req: BestAvailableRequest,
  ): Promise<(BestAvailableResult & { prices?: Record<string, Money> }) | { ok: false; reason: 'SHOW_NOT_FOUND' }> {
    const availability = await this.availability(showId);
    if (!availability) return { ok: false, reason: 'SHOW_NOT_FOUND' };
    return bestAvailable(availability.index, availability.encoded, req);
  }

  /** Checks a selection (the hold's rules) against the current snapshot and prices it. */
  async quote(
    showId: string,
    seatIds: readonly string[],
  ): Promise<({ ok: true; showId: string; sectionId: string } & Quote) | SeatRefusal> {
    const found = await this.deps.lookup(showId);
    if (!found) return refusal('SHOW_NOT_FOUND');
    const check = checkSeatRequest(found.index, seatIds, MAX_SEATS_PER_HOLD);
    if (!check.ok) return refusalWith('INVALID_SEATS', check.message, check.seats);
    const availability = await this.availability(showId);
    if (!availability) return refusal('SHOW_NOT_FOUND');
    const taken = seatIds.filter((id) => availability.encoded[found.index.byId.get(id)!.index] !== FREE);
    if (taken.length) return refusal('SEATS_UNAVAILABLE', taken);
    return { ok: true, showId, sectionId: check.sectionId, ...quoteSeats(found, seatIds) };
  }

  /**
   * The cached snapshot when it is still fresh (at most `availabilityTtlMs` old), without a promise;
   * undefined when `availability` would have to load it. Hot readers try this first.
   */
  freshAvailability(showId: string): Availability | undefined {
    const cached = this.availabilityCache.get(showId);
    return cached?.value && this.deps.clock() - cached.at < this.ttl ? cached.value : undefined;
  }

  /** The show's availability snapshot with its serialized body, at most `availabilityTtlMs` old. */
  async availability(showId: string): Promise<Availability | undefined> {
    const now = this.deps.clock();
    const cached = this.availabilityCache.get(showId);
    if (cached?.value && now - cached.at < this.ttl) return cached.value;
    if (cached?.pending) return cached.pending;
    const entry: CachedAvailability = cached ?? { at: 0 };
    entry.pending = this.buildAvailability(showId).then(
      (value) => {
        entry.pending = undefined;
        entry.value = value;
        entry.at = this.deps.clock();
        if (!value) this.availabilityCache.delete(showId);
        return value;
      },
      (err) => {
        entry.pending = undefined;
        throw err;
      },
    );
    this.availabilityCache.set(showId, entry);
    if (this.availabilityCache.size > MAX_AVAILABILITY_CACHED)
      this.availabilityCache.delete(this.availabilityCache.keys().next().value!);
    return entry.pending;
  }

  /** Creates every section of the show that does not exist yet (new shows; safe under races). */
  async materialise(showId: string): Promise<void> {
    const found = await this.deps.lookup(showId);
    if (!found) return;
    await Promise.all(found.index.layout.sections.map((s) => this.writer.load(showId, s.id, found.index.layout.id)));
  }

  /** Seats booked across the show's sections (fresh reads). */
  async bookedSeats(showId: string): Promise<number> {
    const found = await this.deps.lookup(showId);
    if (!found) return 0;
    const sections = await Promise.all(found.index.layout.sections.map((s) => this.deps.store.read(showId, s.id)));
    return sections.reduce((n, s) => n + (s?.doc.booked ?? 0), 0);
  }

  /** Releases holds that expired more than `graceMs` ago, in up to `limit` sections. */
  async sweep(graceMs: number, limit = 200): Promise<{ sections: number; seats: number }> {
    const cutoff = this.deps.clock() - graceMs;
    const found = await this.deps.store.withExpiredHolds(new Date(cutoff).toISOString(), limit);
    let seats = 0;
    for (const { doc } of found) {
      const { result } = await this.writer.submit(doc.showId, doc.sectionId, doc.layoutId, (current) => {
        const r = sweepExpired(current, cutoff);
        return { next: r.changed ? r.seats : undefined, result: r.affected.length };
      });
      seats += result;
    }
    return { sections: found.length, seats };
  }

  private async operatorChange(
    showId: string,
    seatIds: readonly string[],
    mutation: Mutation<
      | { ok: true; affected: string[] }
      | { ok: false; reason: 'SEATS_UNAVAILABLE' | 'HOLD_NOT_FOUND' | 'HOLD_EXPIRED'; seats: string[] }
    >,
  ): Promise<ChangeResult> {
    const found = await this.deps.lookup(showId);
    if (!found) return refusal('SHOW_NOT_FOUND');
    const check = checkSeatRequest(found.index, seatIds, MAX_SECTION_SEATS);
    if (!check.ok) return refusalWith('INVALID_SEATS', check.message, check.seats);
    const { result, attempts } = await this.writer.submit(showId, check.sectionId, found.index.layout.id, mutation);
    if (!result.ok) return refusal(result.reason, result.seats);
    return { ok: true, showId, sectionId: check.sectionId, seatIds: result.affected, attempts };
  }

  /**
   * Runs a release or confirm on the section of `seatIds`, or — without them — on each section in
   * turn until one has the hold (a hold always lies in one section).
   */
  private async acrossSections<
    R extends
      | { ok: true; affected: string[] }
      | { ok: false; reason: 'SEATS_UNAVAILABLE' | 'HOLD_NOT_FOUND' | 'HOLD_EXPIRED'; seats: string[] },
  >(
    showId: string,
    seatIds: readonly string[] | undefined,
    mutation: Mutation<R>,
    options: { stopWhen: (r: R) => boolean; missing: 'ok' | 'HOLD_NOT_FOUND' },
  ): Promise<ChangeResult> {
    const found = await this.deps.lookup(showId);
    if (!found) return refusal('SHOW_NOT_FOUND');
    let sectionIds = found.index.layout.sections.map((s) => s.id);
    if (seatIds) {
      const check = checkSeatRequest(found.index, seatIds, MAX_SECTION_SEATS);
      if (!check.ok) return refusalWith('INVALID_SEATS', check.message, check.seats);
      sectionIds = [check.sectionId];
    }
    let attempts = 0;
    for (const sectionId of sectionIds) {
      const committed = await this.writer.submit(showId, sectionId, found.index.layout.id, mutation);
      attempts += committed.attempts;
      const r = committed.result;
      if (!options.stopWhen(r)) continue;
      if (!r.ok) return refusal(r.reason, r.seats);
      return { ok: true, showId, sectionId, seatIds: r.affected, attempts };
    }
    if (options.missing === 'ok') return { ok: true, showId, seatIds: [], attempts };
    return refusal('HOLD_NOT_FOUND');
  }

  private async buildAvailability(showId: string): Promise<Availability | undefined> {
    const found = await this.deps.lookup(showId);
    if (!found) return undefined;
    const { show, index } = found;
    const read = await this.deps.store.readSections(
      showId,
      index.layout.sections.map((s) => s.id),
    );
    const byId = new Map(read.map((s) => [s.doc.sectionId, s]));
    const sections = index.layout.sections.map((s) => byId.get(s.id));
    const maps = new Map<string, SeatMap>();
    let version = 0;
    const etags: string[] = [];
    sections.forEach((s: StoredSection | undefined, i) => {
      const id = index.layout.sections[i]!.id;
      maps.set(id, s?.doc.seats ?? {});
      version += s?.doc.version ?? 0;
      etags.push(s?.etag ?? '-');
    });
    const encoded = encodeAvailability(index, maps, this.deps.clock());
    const view: AvailabilityView = {
      showId,
      status: show.status,
      layoutId: index.layout.id,
      layoutVersion: index.layout.version,
      version,
      encoding: 'seat-state-v1',
      seats: encoded,
      free: freeByCategory(index, encoded),
      prices: show.prices,
      categories: index.layout.categories,
      sections: summaryOf(index),
    };
    const body = JSON.stringify(view);
    // The ETag follows the sections' _etags (and the show's status/prices, which the body carries).
    const etag = etagOf(`${etags.join(',')}|${show.status}|${JSON.stringify(show.prices)}|${encoded}`);
    return { showId, body, etag, version, encoded, index };
  }
}
