// The virtual waiting room for hot on-sales (docs/architecture.md, Waiting room): the operator's
// switch, joining (one entry per user and show, a signed queue ticket), the queue status with its
// live position, the admitter's tick, and the check the booking path makes before it holds seats.
//
// The join path writes one small document of its own (no per-show counter: nothing hot to contend
// on); the admitter alone writes the show's cursor, one conditional replace per tick; a status poll
// reads only cached copies of the room and the cursor and this instance's rank index.
import { randomBytes } from 'node:crypto';
import { UserError, notFound } from '../errors.js';
import {
  admissibleBelow,
  admissionBudget,
  adjustFactor,
  advance,
  checkAdmission,
  effectiveRate,
  emptyCursor,
  entryState,
  admittedInWindow,
  orderKey,
  seatsLeft,
  LOTTERY_HEX_DIGITS,
  type Cursor,
  type EntryState,
  type Pressure,
} from '../domain/waiting-room/index.js';
import type { BookingStore } from '../booking/store.js';
import { ACTIVE_STATUSES } from '../booking/model.js';
import type { RealtimePublisher } from '../ports/realtime.js';
import { entryIdOf, type CursorDoc, type EntryDoc, type RoomDoc, type WaitingRoomStore } from './ports.js';
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
  bookings: Pick<BookingStore, 'listForUser'>;
  realtime: Pick<RealtimePublisher, 'sendToShow' | 'sendToUser'>;
  clock: () => number;
  /** Arrivals after opening are admitted only this old (see admissibleBelow). */
  settleMs: number;
  /** How long the room and cursor copies are reused on the request paths. */
  cacheMs: number;
  log?: (message: string) => void;
}

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
}

const KEEP_EXTRA_MS = 120_000;
const MAX_GAP_MS = 5_000;

export class WaitingRoomService {
  private readonly rooms = new Map<string, Cached<RoomDoc | undefined>>();
  private readonly cursors = new Map<string, Cached<Cursor>>();
  private readonly ranks = new Map<string, RankIndex>();
  private readonly pressure = new Map<string, Pressure>();
  /** Bookings started with an admission, per show, in this instance (the operator's conversion). */
  private readonly booked = new Map<string, number>();

  constructor(private readonly d: WaitingRoomDeps) {}

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

  private cached<T>(map: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = this.d.clock();
    const hit = map.get(key);
    if (hit && now - hit.at < this.d.cacheMs) return hit.value;
    const value = load();
    map.set(key, { at: now, value });
    value.catch(() => map.delete(key));
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
    const [stored, queued] = await Promise.all([this.d.store.cursor(showId), this.d.store.count(showId)]);
    const cursor = stored?.doc ?? emptyCursor();
    const booked = this.booked.get(showId) ?? 0;
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
    return { ticket, created, status: await this.statusOf(room, claims) };
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

  private async statusOf(room: RoomDoc, claims: { userId: string; showId: string; key: string }): Promise<QueueStatus> {
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
    const rank = await this.rankOf(room, claims.key, now);
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
   * Before POST /api/bookings or best-available holds seats of `showId`: nothing when the show has
   * no room; otherwise a valid admission token of this user for this show, checked against the
   * committed cursor, and the per-user ticket cap across the room's shows.
   */
  async requireAdmission(userId: string, showId: string, token: string | undefined, seats: number): Promise<void> {
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
    const committed: EntryState | undefined = claims
      ? entryState(claims.key, await this.cursor(showId), now, room.admissionMinutes * 60_000)
      : undefined;
    const check = checkAdmission(claims, { userId, showId }, committed);
    if (!check.ok)
      throw new UserError(check.code, {
        detail:
          check.code === 'ADMISSION_REQUIRED'
            ? `${check.detail} Join the queue (POST ${join.joinUrl}) and book with the admission token it gives you, in the Admission-Token header.`
            : check.detail,
        extra: join,
      });
    if (room.maxTicketsPerUser !== undefined) {
      const held = await this.seatsOfUser(userId, room, now);
      const left = seatsLeft(room.maxTicketsPerUser, held);
      if (seats > left)
        throw new UserError('TICKET_LIMIT_REACHED', {
          detail: `At most ${room.maxTicketsPerUser} tickets per person for this sale; you have ${held}, so ${left} more.`,
          extra: { maxTicketsPerUser: room.maxTicketsPerUser, held, left },
        });
    }
  }

  private async seatsOfUser(userId: string, room: RoomDoc, now: number): Promise<number> {
    const shows = new Set(room.groupShowIds.length ? room.groupShowIds : [room.showId]);
    const counted = new Set<string>([...ACTIVE_STATUSES, 'confirmed', 'cancelling']);
    const bookings = await this.d.bookings.listForUser(userId, 'upcoming', new Date(now).toISOString(), 200);
    return bookings
      .filter((b) => shows.has(b.showId) && counted.has(b.status))
      .reduce((n, b) => n + b.seatIds.length, 0);
  }

  /** What the booking path saw, for the admitter's slow-down (in this instance). */
  recordOutcome(showId: string, outcome: 'held' | 'conflict' | 'busy'): void {
    const p = this.pressure.get(showId) ?? { attempts: 0, conflicts: 0, busy: 0 };
    p.attempts++;
    if (outcome === 'conflict') p.conflicts++;
    if (outcome === 'busy') p.busy++;
    this.pressure.set(showId, p);
    if (outcome === 'held') this.booked.set(showId, (this.booked.get(showId) ?? 0) + 1);
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
    const stored = await this.d.store.cursor(room.showId);
    const pressure = this.pressure.get(room.showId) ?? { attempts: 0, conflicts: 0, busy: 0 };
    this.pressure.delete(room.showId);
    const current = stored?.doc ?? emptyCursor();
    const cursor = { ...current, factor: adjustFactor(current.factor, pressure) };
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
    // Nobody to admit and no change of pace: no write (an idle open room costs one read a tick). The
    // credit is not lost: the next tick credits the gap since lastTickAt, capped at MAX_GAP_MS.
    if (!picked.length && stored && cursor.factor === current.factor) return 0;
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
