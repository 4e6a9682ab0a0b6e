// Live seat maps end to end, real SDKs on both sides: viewers connect with
// `@azure/web-pubsub-client` through GET /api/realtime/negotiate; holds written to Cosmos (by an
// inventory service in this process, as another Function instance would) travel through the
// local change feed, the fan-out and the Web PubSub emulator to the viewers of that show only.
import { WebPubSubClient } from '@azure/web-pubsub-client';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebPubSubPublisher } from '../../shared/adapters/webpubsub/index.js';
import { call, expectBadField } from '../catalog/helpers.js';
import { tokenFor } from '../support/tokens.js';
import {
  dropProxy,
  negotiate,
  serverSeats,
  seatsOf,
  settle,
  startStack,
  viewer,
  waitFor,
  type Stack,
  type Viewer,
} from './harness.js';

let stack: Stack;
const viewers: Viewer[] = [];
const track = (v: Viewer) => (viewers.push(v), v);

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const v of viewers) v.stop();
  await stack?.host.stop();
});

const accessKey = () => /AccessKey=([^;]+)/i.exec(stack.host.env.WEBPUBSUB_CONNECTION_STRING!)![1]!;

describe('GET /api/realtime/negotiate', () => {
  it('answers 400 naming showId when it is missing or malformed, 404 for an unknown show, 401 for a bad bearer', async () => {
    expectBadField(await call(stack.host.origin, '/api/realtime/negotiate'), 'query.showId');
    expectBadField(
      await call(stack.host.origin, '/api/realtime/negotiate?showId=' + encodeURIComponent('a b/../$x')),
      'query.showId',
    );
    expectBadField(
      await call(stack.host.origin, `/api/realtime/negotiate?showId=${stack.shows[0].id}&group=admins`),
      'query',
    );
    const missing = await call<{ code: string }>(stack.host.origin, '/api/realtime/negotiate?showId=shw-hyd-nope');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    const forged = await call(stack.host.origin, `/api/realtime/negotiate?showId=${stack.shows[0].id}`, {
      headers: { authorization: 'Bearer not.a.jwt' },
    });
    expect(forged.status).toBe(401);
  });

  it('gives an anonymous viewer a URL for the show group only, pre-joined, with no user id', async () => {
    const showId = stack.shows[0].id;
    const r = await call<{ url: string; expiresAt: string; groups: string[]; userId?: string }>(
      stack.host.origin,
      `/api/realtime/negotiate?showId=${showId}`,
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body.groups).toEqual([`show.${showId}`]);
    expect(r.body.userId).toBeUndefined();
    const claims = decodeJwt(new URL(r.body.url).searchParams.get('access_token')!);
    expect(claims.sub).toBeUndefined();
    expect(claims.role).toEqual([`webpubsub.joinLeaveGroup.show.${showId}`]);
    expect(claims['webpubsub.group']).toEqual([`show.${showId}`]);
    expect(Math.abs(Date.parse(r.body.expiresAt) - claims.exp! * 1000)).toBeLessThan(1000);
    expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(10 * 60_000);
  });

  it('gives a signed-in caller their own user channel', async () => {
    const token = await tokenFor(stack.host.origin, { sub: 'user-neg' });
    const r = await negotiate(stack.host.origin, stack.shows[0].id, token);
    expect(r.userId).toBe('user-neg');
    expect(decodeJwt(new URL(r.url).searchParams.get('access_token')!).sub).toBe('user-neg');
  });
});

describe('seat diffs', () => {
  it('reach every viewer of the show within 1 s of the Cosmos write, and no viewer of another show', async () => {
    const [a, b] = stack.shows;
    const holderToken = await tokenFor(stack.host.origin, { sub: 'holder-1' });
    const otherToken = await tokenFor(stack.host.origin, { sub: 'other-1' });
    const onA = [
      track(await viewer(stack, a.id)),
      track(await viewer(stack, a.id, holderToken)),
      track(await viewer(stack, a.id, otherToken)),
    ];
    const onB = track(await viewer(stack, b.id));

    // Warm-up write: the fan-out's first message for a show is its full state.
    const warm = await seatsOf(stack, a.id, 1, 4);
    await stack.inventory.block(a.id, warm);
    await waitFor(() => onA.every((v) => v.seats.get(warm[0]!) === '2'), 'warm-up block on every viewer of A');
    // First sight of the show since the host started: the full state, flagged.
    expect(onA[0]!.messages[0]).toMatchObject({ type: 'seats', showId: a.id, full: true, base: null });

    const seats = await seatsOf(stack, a.id, 4);
    const before = Date.now();
    const held = await stack.inventory.hold(a.id, seats, 'hold-e2e-1', 'holder-1', 300);
    expect(held.ok).toBe(true);
    const written = Date.now();
    await waitFor(
      () => onA.every((v) => seats.every((s) => v.seats.get(s) === '1')),
      'the hold on every viewer of A',
      3000,
    );
    const latest = Math.max(...onA.map((v) => [...v.arrivals.values()].at(-1)!));
    console.log(`realtime e2e: hold write ${written - before} ms, write → last viewer ${latest - written} ms`);
    expect(latest - written).toBeLessThan(1000);

    // Nothing about show A reaches show B's viewer.
    await settle();
    expect(onB.messages.filter((m) => m.showId !== b.id)).toEqual([]);
    expect(onB.messages.flatMap((m) => m.sections.flatMap((s) => Object.keys(s.seats)))).not.toContain(seats[0]);

    // No user, hold or booking id in any public message.
    const text = JSON.stringify(onA.flatMap((v) => v.messages));
    expect(text).not.toContain('holder-1');
    expect(text).not.toContain('hold-e2e-1');

    // The holder sees the seats as theirs on their own channel; nobody else gets that message.
    await waitFor(
      () => onA[1]!.server.some((m) => m.type === 'holds' && (m.seatIds as string[]).length === 4),
      'holds message for the holder',
    );
    const mine = onA[1]!.server.filter((m) => m.type === 'holds').at(-1)!;
    expect(mine).toMatchObject({
      type: 'holds',
      showId: a.id,
      seatIds: [...seats].sort(),
      expiresAt: held.ok ? held.expiresAt : '',
    });
    expect(onA[0]!.server).toEqual([]);
    expect(onA[2]!.server).toEqual([]);
    expect(onB.server).toEqual([]);

    // Releasing frees the seats for everyone and empties the holder's list.
    await stack.inventory.release(a.id, 'hold-e2e-1');
    await waitFor(
      () => onA.every((v) => seats.every((s) => v.seats.get(s) === '0')),
      'the release on every viewer of A',
      3000,
    );
    await waitFor(() => (onA[1]!.server.at(-1)?.seatIds as string[] | undefined)?.length === 0, 'empty holds message');
    expect(Object.fromEntries(onA[0]!.seats)).toEqual(Object.fromEntries(await serverSeats(stack, a.id)));
  });

  it('coalesces a burst of holds on one show into far fewer messages than holds', async () => {
    const [a] = stack.shows;
    const v = track(await viewer(stack, a.id));
    await stack.inventory.block(a.id, await seatsOf(stack, a.id, 1, 5)); // settle the full-state path
    await waitFor(() => v.messages.length > 0, 'first message');
    const start = v.messages.length;
    const seats = await seatsOf(stack, a.id, 40, 10);
    const holds = [];
    for (let i = 0; i < 40; i++) {
      holds.push(stack.inventory.hold(a.id, [seats[i]!], `burst-${i}`, `burst-user-${i}`, 300));
      await new Promise((r) => setTimeout(r, 5)); // ~200 holds/s
    }
    expect((await Promise.all(holds)).every((h) => h.ok)).toBe(true);
    await waitFor(() => seats.every((s) => v.seats.get(s) === '1'), 'every burst hold on the viewer', 5000);
    const used = v.messages.length - start;
    console.log(`realtime e2e: 40 holds in ~${40 * 5} ms → ${used} messages per viewer`);
    expect(used).toBeLessThan(15);
    expect(Object.fromEntries(v.seats)).toEqual(Object.fromEntries(await serverSeats(stack, a.id)));
  });

  it('survives a dropped connection without losing a diff', async () => {
    const [, b] = stack.shows;
    const wps = new URL(stack.host.env.WEBPUBSUB_CONNECTION_STRING!.match(/Endpoint=([^;]+)/i)![1]!);
    const port = /Port=(\d+)/i.exec(stack.host.env.WEBPUBSUB_CONNECTION_STRING!)?.[1] ?? wps.port;
    const proxy = await dropProxy(`http://127.0.0.1:${port}`);
    try {
      const v = track(await viewer(stack, b.id, undefined, {}, (url) => url.replace(/:\d+\//, `:${proxy.port}/`)));
      let disconnected = 0;
      v.client.on('disconnected', () => disconnected++);
      const seats = await seatsOf(stack, b.id, 30, 50);
      await stack.inventory.block(b.id, [seats[0]!]);
      await waitFor(() => v.seats.get(seats[0]!) === '2', 'first block');
      const refetchesBefore = v.refetches;
      for (let i = 1; i < 30; i++) {
        if (i === 10 || i === 20) expect(proxy.drop()).toBeGreaterThan(0);
        await stack.inventory.block(b.id, [seats[i]!]);
        await new Promise((r) => setTimeout(r, 30));
      }
      await waitFor(() => seats.every((s) => v.seats.get(s) === '2'), 'every block after the drops', 10_000);
      // Recovered (same connection, resent messages), not reconnected, and no refetch needed.
      expect(disconnected).toBe(0);
      expect(v.refetches).toBe(refetchesBefore);
      const chained = v.messages.filter((m) => !m.full);
      for (let i = 1; i < chained.length; i++)
        expect(chained[i]!.base, 'each diff starts where the previous ended').toBe(chained[i - 1]!.version);
      expect(Object.fromEntries(v.seats)).toEqual(Object.fromEntries(await serverSeats(stack, b.id)));
    } finally {
      await proxy.close();
    }
  });
});

describe('access control', () => {
  it('refuses a forged token and an expired one', async () => {
    const { url } = await negotiate(stack.host.origin, stack.shows[0].id);
    const real = new URL(url);
    const claims = decodeJwt(real.searchParams.get('access_token')!);
    const sign = (key: string, exp: number) =>
      new SignJWT({ ...claims, exp })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(key));
    const attempt = async (token: string) => {
      const u = new URL(real);
      u.searchParams.set('access_token', token);
      const client = new WebPubSubClient(u.toString(), { autoReconnect: false });
      try {
        await client.start();
        client.stop();
        return 'accepted';
      } catch {
        return 'refused';
      }
    };
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    expect(await attempt(await sign(accessKey(), inAnHour))).toBe('accepted'); // the harness itself is sound
    expect(await attempt(await sign('not-the-service-key-0123456789', inAnHour))).toBe('refused');
    expect(await attempt(await sign(accessKey(), Math.floor(Date.now() / 1000) - 60))).toBe('refused');
  });

  it('does not let a viewer join another show group', async () => {
    const [a, b] = stack.shows;
    const v = track(await viewer(stack, a.id));
    await expect(v.client.joinGroup(`show.${b.id}`)).rejects.toThrow();
    await v.client.joinGroup(`show.${a.id}`); // its own group is allowed (rejoin)
    await stack.inventory.block(b.id, await seatsOf(stack, b.id, 1, 90));
    await settle(600);
    expect(v.messages.filter((m) => m.showId === b.id)).toEqual([]);
  });

  it('delivers a user-channel message only to that user', async () => {
    const [a] = stack.shows;
    const alice = track(await viewer(stack, a.id, await tokenFor(stack.host.origin, { sub: 'alice-rt' })));
    const bob = track(await viewer(stack, a.id, await tokenFor(stack.host.origin, { sub: 'bob-rt' })));
    const anon = track(await viewer(stack, a.id));
    const publisher = createWebPubSubPublisher({
      connectionString: stack.host.env.WEBPUBSUB_CONNECTION_STRING!,
      hub: 'marquee',
      timeoutMs: 2000,
    });
    await publisher.sendToUser('alice-rt', { type: 'booking', bookingId: 'bk-1', status: 'confirmed' });
    await waitFor(() => alice.server.length === 1, 'alice gets her message');
    await settle(300);
    expect(alice.server).toEqual([{ type: 'booking', bookingId: 'bk-1', status: 'confirmed' }]);
    expect(bob.server).toEqual([]);
    expect(anon.server).toEqual([]);
  });
});
