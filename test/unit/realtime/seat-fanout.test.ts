// Unit tests of the change-feed fan-out (shared/realtime/seat-fanout.ts) with a recording
// publisher: first sight of a show is a full state, later batches are diffs, a failed push leaves
// the view where it was so the retried batch sends the same diff again.
import { describe, expect, it } from 'vitest';
import type { SeatDiffMessage, SectionSnapshot } from '../../../shared/domain/seat-diff.js';
import type { ClientAccess, RealtimePublisher, RealtimeUserMessage } from '../../../shared/ports/realtime.js';
import { SeatFanout } from '../../../shared/realtime/seat-fanout.js';

const T0 = Date.parse('2030-01-01T10:00:00Z');
const doc = (showId: string, sectionId: string, version: number, seats: Record<string, unknown>) => ({
  id: `${showId}:${sectionId}`,
  showId,
  sectionId,
  layoutId: 'l',
  version,
  seats,
  holdExpiry: null,
  booked: 0,
  _etag: `"${version}"`,
  _ts: 1,
});
const held = (userId: string) => ({
  s: 'held',
  userId,
  holdId: `h-${userId}`,
  expiresAt: new Date(T0 + 600_000).toISOString(),
});

function recorder() {
  const groups: { showId: string; diff: SeatDiffMessage }[] = [];
  const users: { userId: string; message: RealtimeUserMessage }[] = [];
  let failures = 0;
  const publisher: RealtimePublisher = {
    async sendSeatDiff(showId, diff) {
      if (failures-- > 0) throw new Error('Web PubSub is down');
      groups.push({ showId, diff });
    },
    sendToShow: async () => undefined,
    async sendToUser(userId, message) {
      users.push({ userId, message });
    },
    clientAccess: async (): Promise<ClientAccess> => ({ url: 'ws://x', expiresAt: '', groups: [] }),
  };
  return { publisher, groups, users, failNext: (n: number) => (failures = n) };
}

function fanout(publisher: RealtimePublisher, stored: Record<string, SectionSnapshot[]> = {}) {
  const reads: string[] = [];
  const f = new SeatFanout({
    publisher,
    clock: () => T0,
    coalesceMs: 0,
    sections: async (showId) => (reads.push(showId), stored[showId] ?? []),
  });
  return { f, reads };
}

describe('SeatFanout', () => {
  it('announces a show it has not seen in full (from a read), then sends diffs', async () => {
    const r = recorder();
    const { f, reads } = fanout(r.publisher, {
      s1: [{ sectionId: 'B', version: 7, etag: '"7"', seats: { B1: { s: 'blocked' } } }],
    });
    await f.handle([doc('s1', 'A', 1, { A1: held('u1') })]);
    expect(reads).toEqual(['s1']);
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.diff).toMatchObject({ full: true, version: 8, base: null });
    expect(r.groups[0]!.diff.sections.map((s) => s.sectionId)).toEqual(['A', 'B']);
    expect(r.users).toEqual([{ userId: 'u1', message: expect.objectContaining({ type: 'holds', seatIds: ['A1'] }) }]);

    await f.handle([doc('s1', 'A', 2, {})]);
    expect(reads).toEqual(['s1']); // no second read
    expect(r.groups[1]!.diff).toMatchObject({
      full: false,
      base: 8,
      version: 9,
      sections: [{ sectionId: 'A', seats: { A1: '0' } }],
    });
    expect(r.users[1]).toEqual({ userId: 'u1', message: expect.objectContaining({ seatIds: [] }) });
  });

  it('sends one message per show for a batch touching several shows, and skips foreign documents', async () => {
    const r = recorder();
    const { f } = fanout(r.publisher);
    await f.handle([doc('s1', 'A', 1, {}), doc('s2', 'A', 1, {})]);
    await f.handle([
      doc('s1', 'A', 2, { A1: { s: 'blocked' } }),
      doc('s1', 'B', 1, { B1: { s: 'blocked' } }),
      doc('s2', 'A', 2, { A9: { s: 'blocked' } }),
      { id: 'lease', since: 3 },
    ]);
    const diffs = r.groups.filter((g) => !g.diff.full);
    expect(diffs.map((g) => [g.showId, g.diff.sections.length])).toEqual([
      ['s1', 2],
      ['s2', 1],
    ]);
  });

  it('keeps the view when a push fails, so the retried batch sends the same diff', async () => {
    const r = recorder();
    const { f } = fanout(r.publisher);
    await f.handle([doc('s1', 'A', 1, {})]);
    r.groups.length = 0;
    r.failNext(1);
    const batch = [doc('s1', 'A', 2, { A1: { s: 'blocked' } })];
    await expect(f.handle(batch)).rejects.toThrow('Web PubSub is down');
    await f.handle(batch);
    expect(r.groups.map((g) => [g.diff.base, g.diff.version, g.diff.sections[0]!.seats])).toEqual([
      [1, 2, { A1: '2' }],
    ]);
    await f.handle(batch); // a third delivery (at-least-once) is silent
    expect(r.groups).toHaveLength(1);
  });
});
