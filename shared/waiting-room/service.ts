// The virtual waiting room for hot on-sales (docs/architecture.md, Waiting room): the operator's
// switch, joining (one entry per user and show, a signed queue ticket), the queue status with its
// live position, the admitter's tick, and the check the booking path makes before it holds seats.
//
// The join path writes one small document of its own (no per-show counter: nothing hot to contend
// on); the admitter alone writes the show's cursor, one conditional replace per tick; a status poll
// reads only cached copies of the room and the cursor and this instance's rank index.
import { randomBytes, randomUUID } from 'node:crypto';
import { UserError, notFound } from '../errors.js';
import { DocumentContendedError } from '../ports/documents.js';
import {
  admissibleBelow,
  admissionBudget,
  advance,
  checkAdmission,
  effectiveRate,
  emptyCursor,
  entryState,
  admittedInWindow,
  orderKey,
  admissionUse,
  newPressure,
  noPressure,
  pace,
  useFactOf,
  LOTTERY_HEX_DIGITS,
  type BookingFact,
  type Cursor,
  type EntryState,
  type PressureTotals,
} from '../domain/waiting-room/index.js';
import type { BookingStore } from '../booking/store.js';
import { derivedId, type BookingDoc } from '../booking/model.js';
import { isTerminal } from '../domain/booking/index.js';
import type { RealtimePublisher } from '../ports/realtime.js';
import {
  entryIdOf,
  type CursorDoc,
  type EntryDoc,
  type RoomDoc,
  type TicketLedgers,
  type WaitingRoomStore,
} from './ports.js';
import { releaseSeats, reserveSeats, type LedgerDeps } from './ledger.js';
import { OutcomeRecorder, type Outcome } from './outcomes.js';
import { WaitingRoomTokens } from './tokens.js';
import { RankIndex } from './rank-index.js';

export interface RoomSettings {
  opensAt: string;
  admitPerMinute: number;
  admissionMinutes: number;
  maxTicketsPerUser?: number;
  enabled?: boolean;
}

export interface WaitingRoomDeps {
  store: WaitingRoomStore;
  tokens: WaitingRoomTokens;
  /** Whether a show exists and when it starts. */
  show(showId: string): Promise<{ startsAt: string } | undefined>;
  bookings: Pick<BookingStore, 'get'>;
  /** The per-user ticket ledgers (maxTicketsPerUser). */
  ledgers: TicketLedgers;
  realtime: Pick<RealtimePublisher, 'sendToShow' | 'sendToUser'>;
  clock: () => number;
  /** Arrivals after opening are admitted only this old (see admissibleBelow). */
  settleMs: number;
  /** How long the room and cursor copies are reused on the request paths. */
  cacheMs: number;
  log?: (message: string) => void;
  /** This instance's name on its pressure documents (default: random per process). */
  instance?: string;
  /** How often this instance writes its booking-outcome totals per show (default 1 s). */
  pressureFlushMs?: number;
}

/**
 * How long a binding (an admission's use, a ledger line) whose booking is not recorded yet stands:
 * the request that bound it creates the booking right after, so a longer gap means it died.
 */
export const UNRECORDED_GRACE_MS = 60_000;
/** An instance that has not written its totals for this long no longer feeds the slow-down. */
const FORGET_INSTANCE_MS = 10 * 60_000;

export interface QueueStatus {
  showId: string;
  state: 'waiting' | 'admitted' | 'expired';
  opensAt: string;
  /** 1 = next in. Absent before opening (places are drawn then) or while the place settles. */
  position?: number;
  ahead?: number;
  etaSeconds?: number;
  admitPerMinute: number;
  /** Admissions so far: the live channel's `queue` messages carry the new value. */
  admitted: number;
  /** The place among everyone ever queued for this show: position = rank − admitted. */
  rank?: number;
  admissionToken?: string;
  admissionExpiresAt?: string;
}

interface Cached<T> {
  at: number;
  value: Promise<T>;
  /** The read that will replace `value` (see cached()). */
  next?: Promise<T>;
}

const KEEP_EXTRA_MS = 120_000;
const MAX_GAP_MS = 5_000;

export class WaitingRoomService {
  private readonly rooms = new Map<string, Cached<RoomDoc | undefined>>();
  private readonly cursors = new Map<string, Cached<Cursor>>();
  private readonly ranks = new Map<string, RankIndex>();
  /** This instance's running booking-outcome totals per show, and when each was last written. */
  private readonly outcomes: OutcomeRecorder;
  private readonly ledger: LedgerDeps;

  constructor(private readonly d: WaitingRoomDeps) {
    this.outcomes = new OutcomeRecorder({
      instance: d.instance ?? randomUUID(),
      write: (doc) => d.store.putPressure(doc),
      clock: d.clock,
      everyMs: d.pressureFlushMs ?? 1000,
      ...(d.log ? { log: d.log } : {}),
    });
    this.ledger = {
      ledgers: d.ledgers,
      clock: d.clock,
      graceMs: UNRECORDED_GRACE_MS,
      facts: async (userId, ids) => {
        const docs = await Promise.all(ids.map((id) => this.d.bookings.get(userId, id)));
        const facts: Record<string, BookingFact> = {};
        ids.forEach((id, i) => {
          const fact = ledgerFactOf(docs[i]);
          if (fact) facts[id] = fact;
        });
        return facts;
      },
    };
  }

  readonly tokens = () => this.d.tokens;

  // ---- operator ----------------------------------------------------------------------------

  /** PUT /api/ops/shows/{showId}/waiting-room (and each show of a group). */
  async configure(showIds: string[], s: RoomSettings, operator: string): Promise<RoomDoc[]> {
    const shows = await Promise.all(showIds.map((id) => this.d.show(id)));
    const missing = showIds.filter((_, i) => !shows[i]);
    if (missing.length) throw notFound(`Show ${missing.join(', ')}`);
    const now = new Date(this.d.clock()).toISOString();
    const docs = showIds.map((showId): RoomDoc => ({
      id: 'room',
      kind: 'room',
      showId,
      enabled: s.enabled ?? true,
      opensAt: s.opensAt,
      admitPerMinute: s.admitPerMinute,
      admissionMinutes: s.admissionMinutes,
      ...(s.maxTicketsPerUser !== undefined ? { maxTicketsPerUser: s.maxTicketsPerUser } : {}),
      groupShowIds: showIds,
      updatedAt: now,
      updatedBy: operator,
    }));
    for (const doc of docs) {
      await this.d.store.putRoom(doc);
      this.rooms.delete(doc.showId);
    }
    return docs;
  }

  /** The room as the request paths see it (cached briefly; undefined or disabled: no room). */
  room(showId: string): Promise<RoomDoc | undefined> {
    return this.cached(this.rooms, showId, () => this.d.store.room(showId));
  }

  private cursor(showId: string): Promise<Cursor> {
    return this.cached(this.cursors, showId, async () => (await this.d.store.cursor(showId))?.doc ?? emptyCursor());
  }

  /**
   * A copy younger than cacheMs as it is; one up to twice that old is answered too while a single
   * background read replaces it (so the requests arriving when a copy expires do not all wait a
   * round trip); an older one, or none, is read and waited for. Concurrent callers share one read.
   * Nothing relies on the copy for safety: the booking path checks the admission token against
   * it, and a stale cursor can only refuse an admission for a moment, never grant one.
   */
  private cached<T>(map: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = this.d.clock();
    const hit = map.get(key);
    const age = hit ? now - hit.at : Infinity;
    if (hit && age < this.d.cacheMs) return hit.value;
    if (hit?.next) return age < 2 * this.d.cacheMs ? hit.value : hit.next;
    const value = load();
    if (hit && age < 2 * this.d.cacheMs) {
      // Answer the current copy; the fresh one takes its place when it arrives.
      hit.next = value;
      value.then(
        () => map.get(key) === hit && map.set(key, { at: this.d.clock(), value }),
        () => map.get(key) === hit && delete hit.next,
      );
      return hit.value;
    }
    map.set(key, { at: now, value });
    value.catch(() => map.get(key)?.value === value && map.delete(key));
    return value;
  }

  /** GET /api/shows/{showId}/waiting-room: public facts, and the operator's figures. */
  async overview(showId: string) {
    const room = await this.room(showId);
    if (!room?.enabled) return { showId, enabled: false as const };
    const now = this.d.clock();
    const cursor = await this.cursor(showId);
    return {
      showId,
      enabled: true as const,
      opensAt: room.opensAt,
      open: now >= Date.parse(room.opensAt),
      admitPerMinute: room.admitPerMinute,
      admissionMinutes: room.admissionMinutes,
      ...(room.maxTicketsPerUser !== undefined ? { maxTicketsPerUser: room.maxTicketsPerUser } : {}),
      admitted: cursor.admitted,
    };
  }

  /** The operator's live figures: queue length, admitted in the last minute, conversion. */
  async stats(showId: string) {
    const room = await this.room(showId);
    if (!room) throw notFound(`The waiting room of show ${showId}`);
    const now = this.d.clock();
    await this.outcomes.flush(showId, true);
    const [stored, queued, reports] = await Promise.all([
      this.d.store.cursor(showId),
      this.d.store.count(showId),
      this.d.store.pressures(showId),
    ]);
    const cursor = stored?.doc ?? emptyCursor();
    // Every instance's totals: the conversion and the pressure are the whole app's, not this instance's.
    const pressure = reports.reduce(
      (sum, r) => ({
        attempts: sum.attempts + r.attempts,
        conflicts: sum.conflicts + r.conflicts,
        busy: sum.busy + r.busy,
        held: sum.held + r.held,
      }),
      noPressure(),
    );
    const booked = pressure.held;
    return {
      showId,
      enabled: room.enabled,
      opensAt: room.opensAt,
      queued,
      waiting: Math.max(0, queued - cursor.admitted),
      admitted: cursor.admitted,
      admittedLastMinute: admittedInWindow(cursor.ticks, now),
      admitPerMinute: room.admitPerMinute,
      effectivePerMinute: effectiveRate(room.admitPerMinute, cursor.factor),
      factor: cursor.factor,
      slowdowns: cursor.slowdowns ?? 0,
      bookingAttempts: pressure.attempts,
      bookingConflicts: pressure.conflicts,
      storeBusy: pressure.busy,
      instances: reports.length,
      bookingsWithAdmission: booked,
      conversion: cursor.admitted ? booked / cursor.admitted : 0,
    };
  }

  // ---- customers -------------------------------------------------------------------------

  /** POST /api/shows/{showId}/queue: the user's entry (the same one when they join again). */
  async join(userId: string, showId: string): Promise<{ ticket: string; created: boolean; status: QueueStatus }> {
    const room = await this.openRoom(showId);
    const now = this.d.clock();
    const opensAt = Date.parse(room.opensAt);
    const lottery = randomBytes(LOTTERY_HEX_DIGITS / 2).toString('hex');
    const entry: EntryDoc = {
      id: entryIdOf(userId),
      kind: 'entry',
      showId,
      userId,
      key: orderKey(now, opensAt, lottery),
      joinedAt: new Date(now).toISOString(),
      rejoins: 0,
    };
    const joined = await this.d.store.join(entry);
    const created = joined.created;
    let stored = joined.entry;
    // Back after the admission ran out: to the back of the queue, as a new arrival.
    const cursor = await this.cursor(showId);
    if (!created && entryState(stored.doc.key, cursor, now, room.admissionMinutes * 60_000).state === 'expired') {
      const again = { ...stored.doc, key: entry.key, joinedAt: entry.joinedAt, rejoins: stored.doc.rejoins + 1 };
      if (await this.d.store.replaceEntry(again, stored.etag)) stored = { doc: again, etag: '' };
    }
    const claims = { userId, showId, key: stored.doc.key };
    // Signed as of the join, so joining again answers the very same ticket.
    const ticket = await this.d.tokens.queueTicket(claims, Date.parse(stored.doc.joinedAt));
    // No query here: the place is the status poll's work (GET /api/queue/{ticket}). The join says
    // it only when this instance's rank index already holds the key (someone joining again).
    return { ticket, created, status: await this.statusOf(room, claims, 'if-known') };
  }

  /** GET /api/queue/{ticket}: the caller's own ticket only. */
  async status(userId: string, ticket: string): Promise<QueueStatus> {
    const claims = await this.d.tokens.readQueueTicket(ticket, this.d.clock());
    if (typeof claims === 'string' || claims.userId !== userId)
      throw new UserError('QUEUE_TICKET_INVALID', {
        detail: 'This queue ticket is not valid for you; join the queue again to get yours.',
      });
    const room = await this.openRoom(claims.showId);
    return this.statusOf(room, claims);
  }

  private async openRoom(showId: string): Promise<RoomDoc> {
    const room = await this.room(showId);
    if (!room?.enabled)
      throw new UserError('WAITING_ROOM_CLOSED', {
        detail: `Show ${showId} has no waiting room: book it directly.`,
        extra: { showId },
      });
    return room;
  }

  /**
   * The entry's state from the (cached) room and cursor. `ranked`: 'refresh' brings this instance's
   * rank index up to date first (a range query at most every REFRESH_MS per show, coalesced);
   * 'if-known' only looks the key up in it (the join path: no query, no wait).
   */
  private async statusOf(
    room: RoomDoc,
    claims: { userId: string; showId: string; key: string },
    ranked: 'refresh' | 'if-known' = 'refresh',
  ): Promise<QueueStatus> {
    const now = this.d.clock();
    const cursor = await this.cursor(room.showId);
    const state = entryState(claims.key, cursor, now, room.admissionMinutes * 60_000);
    const base = {
      showId: room.showId,
      opensAt: room.opensAt,
      admitPerMinute: room.admitPerMinute,
      admitted: cursor.admitted,
    };
    if (state.state === 'expired') return { ...base, state: 'expired' };
    const rank =
      ranked === 'refresh' ? await this.rankOf(room, claims.key, now) : this.ranks.get(room.showId)?.rank(claims.key);
    if (state.state === 'admitted') {
      const admissionToken = await this.d.tokens.admissionToken(claims, now, state.expiresAt);
      return {
        ...base,
        state: 'admitted',
        ...(rank !== undefined ? { rank } : {}),
        admissionToken,
        admissionExpiresAt: new Date(state.expiresAt).toISOString(),
      };
    }
    if (rank === undefined) return { ...base, state: 'waiting' };
    const position = Math.max(1, rank - cursor.admitted);
    const perMinute = effectiveRate(room.admitPerMinute, cursor.factor);
    const untilOpen = Math.max(0, Date.parse(room.opensAt) + this.d.settleMs - now) / 1000;
    return {
      ...base,
      state: 'waiting',
      rank,
      position,
      ahead: position - 1,
      etaSeconds: Math.ceil(untilOpen + (position * 60) / perMinute),
    };
  }

  private async rankOf(room: RoomDoc, key: string, now: number): Promise<number | undefined> {
    const below = admissibleBelow(now, Date.parse(room.opensAt), this.d.settleMs);
    if (below === undefined) return undefined;
    let index = this.ranks.get(room.showId);
    if (!index) {
      const showId = room.showId;
      index = new RankIndex((after, below, limit) => this.d.store.entriesBetween(showId, after, below, limit));
      this.ranks.set(room.showId, index);
    }
    await index.refresh(below, now);
    return index.rank(key);
  }

  // ---- the booking path --------------------------------------------------------------------

  /**
   * Before POST /api/bookings (with its `bookingId`) or best-available (without) holds seats of
   * `showId`: nothing when the show has no room; otherwise a valid admission token of this user for
   * this show, checked against the committed cursor; not used by another booking (single use, bound
   * on the queue entry); and the user's seats under the per-user cap across the sale's shows
   * (reserved on the user's ticket ledger). A refusal after a binding undoes it.
   */
  async requireAdmission(
    userId: string,
    showId: string,
    token: string | undefined,
    seats: number,
    bookingId?: string,
  ): Promise<void> {
    const room = await this.room(showId);
    if (!room?.enabled) return;
    const now = this.d.clock();
    const claims = token ? await this.d.tokens.readAdmissionToken(token, now) : undefined;
    const join = { joinUrl: `/api/shows/${showId}/queue`, waitingRoom: `/shows/${showId}/queue` };
    if (claims === 'invalid')
      throw new UserError('ADMISSION_INVALID', { detail: 'The admission token is not valid.', extra: join });
    if (claims === 'expired')
      throw new UserError('ADMISSION_EXPIRED', {
        detail: 'The admission has expired; join the queue again.',
        extra: join,
      });
    const window = room.admissionMinutes * 60_000;
    let committed: EntryState | undefined = claims
      ? entryState(claims.key, await this.cursor(showId), now, window)
      : undefined;
    if (claims && committed?.state === 'waiting') {
      // The copy may predate the tick that admitted this token (another instance's): the stored
      // cursor decides, never the cache.
      const fresh = (await this.d.store.cursor(showId))?.doc ?? emptyCursor();
      this.cursors.set(showId, { at: this.d.clock(), value: Promise.resolve(fresh) });
      committed = entryState(claims.key, fresh, now, window);
    }
    const check = checkAdmission(claims, { userId, showId }, committed);
    if (!check.ok || !claims)
      throw new UserError(check.ok ? 'ADMISSION_REQUIRED' : check.code, {
        detail:
          check.ok || check.code === 'ADMISSION_REQUIRED'
            ? `This show is sold through its waiting room. Join the queue (POST ${join.joinUrl}) and book with the admission token it gives you, in the Admission-Token header.`
            : check.detail,
        extra: join,
      });
    const bound = await this.bindAdmission(userId, showId, claims.key, bookingId, join);
    if (room.maxTicketsPerUser === undefined || bookingId === undefined) return;
    const cap = room.maxTicketsPerUser;
    const group = groupOf(room);
    const answer = await reserveSeats(this.ledger, {
      userId,
      saleId: saleIdOf(group),
      showIds: group,
      bookingId,
      seats,
      cap,
    });
    if (answer.ok) return;
    if (bound) await this.unbind(userId, showId, bookingId);
    const held = answer.held;
    throw new UserError('TICKET_LIMIT_REACHED', {
      detail: `At most ${cap} tickets per person for this sale; you have ${held}, so ${answer.left} more.`,
      extra: { maxTicketsPerUser: cap, held, left: answer.left },
    });
  }

  /**
   * Single use: binds the admission to `bookingId` on the queue entry (conditional on its ETag), or
   * checks it is free when there is no booking yet. True when this call made the binding.
   */
  private async bindAdmission(
    userId: string,
    showId: string,
    key: string,
    bookingId: string | undefined,
    join: Record<string, string>,
  ): Promise<boolean> {
    for (let i = 0; i < 6; i++) {
      const stored = await this.d.store.entry(showId, userId);
      if (!stored) throw new UserError('ADMISSION_INVALID', { detail: 'This queue place is gone.', extra: join });
      const use = stored.doc.use;
      const fact =
        use && use.key === key && use.bookingId !== bookingId
          ? useFactOf(await this.d.bookings.get(userId, use.bookingId))
          : undefined;
      const verdict = admissionUse(use, key, bookingId, fact, this.d.clock(), UNRECORDED_GRACE_MS);
      if (verdict === 'used')
        throw new UserError('ADMISSION_USED', {
          detail:
            'This admission was already used for another booking; an admission books once. Join the queue again for another.',
          extra: { ...join, bookingId: use!.bookingId, location: `/api/bookings/${use!.bookingId}` },
        });
      if (verdict === 'mine' || bookingId === undefined) return false;
      const entry: EntryDoc = { ...stored.doc, use: { key, bookingId, at: this.d.clock() } };
      if (await this.d.store.replaceEntry(entry, stored.etag)) return true;
    }
    throw new DocumentContendedError(entryIdOf(userId), 6);
  }

  /** Lets go of what requireAdmission bound for `bookingId`, if its booking never held seats. */
  async release(userId: string, showId: string, bookingId: string): Promise<void> {
    const room = await this.room(showId);
    if (!room?.enabled) return;
    const fact = useFactOf(await this.d.bookings.get(userId, bookingId));
    if (fact === 'spent') return;
    await this.unbind(userId, showId, bookingId);
    if (room.maxTicketsPerUser !== undefined)
      await releaseSeats(this.ledger, userId, saleIdOf(groupOf(room)), bookingId);
  }

  private async unbind(userId: string, showId: string, bookingId: string): Promise<void> {
    const stored = await this.d.store.entry(showId, userId);
    if (stored?.doc.use?.bookingId !== bookingId) return;
    const { use: _use, ...entry } = stored.doc;
    // Lost to another write: whoever won re-judged the use; a stale binding is let go by its fact.
    await this.d.store.replaceEntry(entry, stored.etag);
  }

  /** What the booking path saw (shared/waiting-room/outcomes.ts). Never fails the booking. */
  async recordOutcome(showId: string, outcome: Outcome): Promise<void> {
    // Shows without a room (nearly all) keep no totals: nothing is written for them.
    if (!this.outcomes.has(showId) && !(await this.room(showId).catch(() => undefined))?.enabled) return;
    await this.outcomes.record(showId, outcome);
  }

  // ---- the admitter ------------------------------------------------------------------------

  /** One tick over every open room; a room whose cursor another instance moved first is skipped. */
  async tick(): Promise<{ showId: string; admitted: number }[]> {
    const rooms = await this.d.store.enabledRooms();
    const out: { showId: string; admitted: number }[] = [];
    for (const room of rooms) {
      if (this.d.clock() < Date.parse(room.opensAt)) continue;
      try {
        out.push({ showId: room.showId, admitted: await this.admit(room) });
      } catch (err) {
        this.d.log?.(`waiting room ${room.showId}: tick failed: ${String(err)}`);
      }
    }
    return out;
  }

  private async admit(room: RoomDoc): Promise<number> {
    const now = this.d.clock();
    const opensAt = Date.parse(room.opensAt);
    await this.outcomes.flush(room.showId, true);
    const [stored, reports] = await Promise.all([
      this.d.store.cursor(room.showId),
      this.d.store.pressures(room.showId),
    ]);
    const current = stored?.doc ?? emptyCursor();
    // Every instance's outcomes since this cursor last looked (whichever instance wrote it).
    const fresh = newPressure(current.seen ?? {}, reports, now, FORGET_INSTANCE_MS);
    const paced = pace(current.factor, current.window, fresh.delta, now);
    const cursor: Cursor = {
      ...current,
      factor: paced.factor,
      seen: fresh.seen,
      slowdowns: (current.slowdowns ?? 0) + (paced.slowedDown ? 1 : 0),
    };
    if (paced.window) cursor.window = paced.window;
    else delete cursor.window;
    const budget = admissionBudget(cursor, now, { opensAt, admitPerMinute: room.admitPerMinute, maxGapMs: MAX_GAP_MS });
    const below = admissibleBelow(now, opensAt, this.d.settleMs);
    const picked =
      budget.count && below ? await this.d.store.entriesBetween(room.showId, cursor.through, below, budget.count) : [];
    const keepMs = room.admissionMinutes * 60_000 + KEEP_EXTRA_MS;
    const next = advance(
      cursor,
      now,
      budget,
      picked.map((p) => p.key),
      keepMs,
    );
    // Nobody to admit and nothing new from the booking path: no write (an idle open room costs two
    // reads a tick). The credit is not lost: the next tick credits the gap since lastTickAt, capped
    // at MAX_GAP_MS.
    const quiet = cursor.factor === current.factor && !fresh.delta.attempts && sameSeen(current.seen ?? {}, fresh.seen);
    if (!picked.length && stored && quiet) return 0;
    const doc: CursorDoc = { ...next, id: 'cursor', kind: 'cursor', showId: room.showId };
    if (!(await this.d.store.saveCursor(doc, stored?.etag))) return 0;
    this.cursors.set(room.showId, { at: now, value: Promise.resolve(next) });
    if (picked.length || next.admitted !== current.admitted) await this.announce(room, next, picked);
    return picked.length;
  }

  /** The show's group hears the new count (each waiting page works out its place); each admitted user hears it privately. */
  private async announce(room: RoomDoc, cursor: Cursor, picked: { userId: string }[]): Promise<void> {
    const message = {
      type: 'queue',
      showId: room.showId,
      admitted: cursor.admitted,
      admitPerMinute: effectiveRate(room.admitPerMinute, cursor.factor),
    };
    const sends = [
      this.d.realtime.sendToShow(room.showId, message),
      ...picked.map((p) => this.d.realtime.sendToUser(p.userId, { type: 'admitted', showId: room.showId })),
    ];
    // Live messages are a convenience (the page polls too): a failed send is logged, not retried.
    for (const r of await Promise.allSettled(sends))
      if (r.status === 'rejected') this.d.log?.(`waiting room ${room.showId}: push failed: ${String(r.reason)}`);
  }
}

/** The shows a room was switched with (its sale), sorted. */
const groupOf = (room: RoomDoc): string[] => [...(room.groupShowIds.length ? room.groupShowIds : [room.showId])].sort();

/** One sale = one group of shows switched together: its ledgers' id. */
export const saleIdOf = (showIds: readonly string[]) => derivedId('sale', ...[...showIds].sort());

/** A booking's worth on the ledger from its committed state (undefined: in flight, keep its line). */
function ledgerFactOf(doc: BookingDoc | undefined): BookingFact | undefined {
  if (!doc) return { state: 'absent' };
  if (doc.status === 'pending') return undefined;
  if (isTerminal(doc.status)) return { state: 'ended' };
  return { state: 'holds', seats: doc.seatIds.length };
}

function sameSeen(a: Record<string, PressureTotals>, b: Record<string, PressureTotals>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}
