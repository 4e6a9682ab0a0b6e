// One hub's membership: connections, groups, users, and the groups users were added to through
// REST. A user's group membership outlives their connections on the real service (a user added
// to a group joins it from every current and future connection), so it is kept apart from the
// per-connection group sets.
import { usage } from '../core/usage.js';
import type { Filter } from './filter.js';
import type { Payload } from './payload.js';
import type { Session } from './session.js';

export interface SendOptions {
  excluded?: ReadonlySet<string>;
  filter?: Filter;
}

/** Closes a session for good; the emulator owns sockets and timers. */
export type Closer = (session: Session, reason: string) => void;

export class Hub {
  readonly connections = new Map<string, Session>();
  readonly groups = new Map<string, Set<Session>>();
  readonly users = new Map<string, Set<Session>>();
  private readonly userGroups = new Map<string, Set<string>>();

  constructor(
    readonly name: string,
    private readonly close: Closer,
  ) {}

  add(session: Session, tokenGroups: readonly string[]): void {
    this.connections.set(session.id, session);
    if (session.userId !== null) {
      let mine = this.users.get(session.userId);
      if (!mine) this.users.set(session.userId, (mine = new Set()));
      mine.add(session);
      for (const g of this.userGroups.get(session.userId) ?? []) this.join(session, g);
    }
    for (const g of tokenGroups) this.join(session, g);
  }

  remove(session: Session): void {
    if (this.connections.get(session.id) !== session) return;
    this.connections.delete(session.id);
    for (const g of [...session.groups]) this.leave(session, g);
    if (session.userId !== null) {
      const mine = this.users.get(session.userId);
      mine?.delete(session);
      if (mine?.size === 0) this.users.delete(session.userId);
    }
  }

  join(session: Session, group: string): void {
    let members = this.groups.get(group);
    if (!members) this.groups.set(group, (members = new Set()));
    members.add(session);
    session.groups.add(group);
  }

  leave(session: Session, group: string): void {
    session.groups.delete(group);
    const members = this.groups.get(group);
    members?.delete(session);
    if (members?.size === 0) this.groups.delete(group);
  }

  addUserToGroup(userId: string, group: string): void {
    let groups = this.userGroups.get(userId);
    if (!groups) this.userGroups.set(userId, (groups = new Set()));
    groups.add(group);
    for (const s of this.users.get(userId) ?? []) this.join(s, group);
  }

  removeUserFromGroup(userId: string, group: string): void {
    this.userGroups.get(userId)?.delete(group);
    for (const s of this.users.get(userId) ?? []) this.leave(s, group);
  }

  removeUserFromAllGroups(userId: string): void {
    this.userGroups.delete(userId);
    for (const s of this.users.get(userId) ?? []) for (const g of [...s.groups]) this.leave(s, g);
  }

  /** The sessions a send or close reaches, after `excluded` and `filter`. */
  select(sessions: Iterable<Session> | undefined, options: SendOptions = {}): Session[] {
    const chosen: Session[] = [];
    for (const s of sessions ?? []) {
      if (options.excluded?.has(s.id)) continue;
      if (options.filter && !options.filter({ connectionId: s.id, userId: s.userId, groups: s.groups })) continue;
      chosen.push(s);
    }
    return chosen;
  }

  deliver(sessions: Iterable<Session>, payload: Payload): void {
    // Billed per delivery, per started 2 KB (docs/capacity.md, Web PubSub); the frame stands for the message.
    const bytes = payload.open.length + 1;
    const units = Math.ceil(bytes / 2048);
    const w = usage.c.webPubSub;
    for (const s of sessions) {
      w.delivered++;
      w.bytesDelivered += bytes;
      w.billableMessages += units;
      if (!s.deliver(payload)) this.close(s, 'The connection was closed because its message buffer overflowed.');
    }
  }

  closeAll(sessions: Iterable<Session>, reason: string): void {
    for (const s of [...sessions]) this.close(s, reason);
  }
}
