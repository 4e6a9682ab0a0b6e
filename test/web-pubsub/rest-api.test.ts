// The REST side through the real `WebPubSubServiceClient`: sends reach exactly who they name,
// membership and existence checks answer like the service, and only key-signed calls are served.
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, connect, HUB, settle, startService, waitFor } from './harness.js';

let service: WebPubSubServiceClient;
let connectionString: string;

beforeAll(async () => {
  ({
    service,
    emulator: { connectionString },
  } = await startService());
});
afterAll(cleanup);

describe('Web PubSub emulator REST API', () => {
  it('delivers a group send to the group members only', async () => {
    const member = await connect(service, { userId: 'alice', groups: ['show-1'] });
    const outsider = await connect(service, { userId: 'bob', groups: ['show-2'] });
    await service.group('show-1').sendToAll({ seats: ['A1'] });
    await waitFor(() => member.received.length === 1, 'the member to receive the diff');
    await settle();
    expect(member.received).toEqual([{ seats: ['A1'] }]);
    expect(outsider.received).toEqual([]);
  });

  it('delivers a user send to every connection of that user and nobody else', async () => {
    const phone = await connect(service, { userId: 'carol' });
    const laptop = await connect(service, { userId: 'carol' });
    const other = await connect(service, { userId: 'dave' });
    await service.sendToUser('carol', 'booking confirmed', { contentType: 'text/plain' });
    await waitFor(() => phone.received.length === 1 && laptop.received.length === 1, "both of carol's connections");
    await settle();
    expect(phone.received).toEqual(['booking confirmed']);
    expect(other.received).toEqual([]);
  });

  it('sends to everyone except the excluded connections', async () => {
    const a = await connect(service, { userId: 'erin' });
    const b = await connect(service, { userId: 'frank' });
    await service.sendToAll({ hello: 'all' }, { excludedConnections: [a.connectionId()] });
    await waitFor(() => b.received.some((m) => JSON.stringify(m) === '{"hello":"all"}'), 'the included connection');
    await settle();
    expect(a.received).not.toContainEqual({ hello: 'all' });
  });

  it('applies an OData filter on group sends', async () => {
    const vip = await connect(service, { userId: 'gina', groups: ['show-3', 'vip'] });
    const plain = await connect(service, { userId: 'hank', groups: ['show-3'] });
    await service
      .group('show-3')
      .sendToAll('vip only', { contentType: 'text/plain', filter: "'vip' in groups and userId ne 'nobody'" });
    await waitFor(() => vip.received.includes('vip only'), 'the vip member');
    await settle();
    expect(plain.received).not.toContain('vip only');
  });

  it('answers connection, group and user existence', async () => {
    const c = await connect(service, { userId: 'ivan', groups: ['show-4'] });
    expect(await service.connectionExists(c.connectionId())).toBe(true);
    expect(await service.connectionExists('no-such-connection')).toBe(false);
    expect(await service.groupExists('show-4')).toBe(true);
    expect(await service.groupExists('show-none')).toBe(false);
    expect(await service.userExists('ivan')).toBe(true);
    expect(await service.userExists('nobody')).toBe(false);
  });

  it('closes a connection, telling the client why', async () => {
    const c = await connect(service, { userId: 'judy' }, { autoReconnect: false });
    const stopped = new Promise<string | undefined>((resolve) =>
      c.client.on('disconnected', (e) => resolve(e.message?.message)),
    );
    const id = c.connectionId();
    await service.closeConnection(id, { reason: 'operator request' });
    expect(await stopped).toBe('operator request');
    expect(await service.connectionExists(id)).toBe(false);
    expect(await service.userExists('judy')).toBe(false);
  });

  it('closes every connection of a group and of a user', async () => {
    const g = await connect(service, { userId: 'kim', groups: ['show-5'] }, { autoReconnect: false });
    const u = await connect(service, { userId: 'leo' }, { autoReconnect: false });
    await service.group('show-5').closeAllConnections({ reason: 'show cancelled' });
    await service.closeUserConnections('leo');
    await waitFor(() => g.disconnects === 1 && u.disconnects === 1, 'both clients to be disconnected');
    expect(await service.connectionExists(g.connectionId())).toBe(false);
    expect(await service.groupExists('show-5')).toBe(false);
  });

  it('adds and removes connections and users in groups', async () => {
    const c = await connect(service, { userId: 'mia' });
    await service.group('show-6').addConnection(c.connectionId());
    expect(await service.groupExists('show-6')).toBe(true);
    await service.group('show-6').removeConnection(c.connectionId());
    expect(await service.groupExists('show-6')).toBe(false);

    await service.group('user-channel').addUser('mia');
    await service.group('user-channel').sendToAll('to mia', { contentType: 'text/plain' });
    await waitFor(() => c.received.includes('to mia'), "the user's connection to get the group message");
    // A user's membership also covers connections opened later.
    const later = await connect(service, { userId: 'mia' });
    await service.group('user-channel').sendToAll('again', { contentType: 'text/plain' });
    await waitFor(() => later.received.includes('again'), 'the later connection');
    await service.group('user-channel').removeUser('mia');
    expect(await service.groupExists('user-channel')).toBe(false);
  });

  it('grants, checks and revokes permissions', async () => {
    const c = await connect(service, { userId: 'nina' });
    const id = c.connectionId();
    expect(await service.hasPermission(id, 'joinLeaveGroup', { targetName: 'show-7' })).toBe(false);
    await service.grantPermission(id, 'joinLeaveGroup', { targetName: 'show-7' });
    expect(await service.hasPermission(id, 'joinLeaveGroup', { targetName: 'show-7' })).toBe(true);
    await c.client.joinGroup('show-7');
    await service.revokePermission(id, 'joinLeaveGroup', { targetName: 'show-7' });
    expect(await service.hasPermission(id, 'joinLeaveGroup', { targetName: 'show-7' })).toBe(false);
  });

  it('refuses calls signed with another key, and unknown connections, with {code, message}', async () => {
    const forged = new WebPubSubServiceClient(
      connectionString.replace(/AccessKey=[^;]+/, 'AccessKey=not-the-key'),
      HUB,
      { allowInsecureConnection: true },
    );
    await expect(forged.sendToAll({ x: 1 })).rejects.toMatchObject({ statusCode: 401 });
    await expect(service.group('g').addConnection('no-such-connection')).rejects.toMatchObject({ statusCode: 404 });

    const endpoint = /Endpoint=([^;]+);Port=(\d+)/.exec(connectionString)!;
    const response = await fetch(`${endpoint[1]}:${endpoint[2]}/api/hubs/${HUB}/:send?api-version=2024-12-01`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'Unauthorized', message: expect.any(String) });
  });

  it('refuses a REST token that is expired, has no exp, is unsigned (alg none) or is not a JWT', async () => {
    const [, host, port] = /Endpoint=([^;]+);Port=(\d+)/.exec(connectionString)!;
    const key = new TextEncoder().encode(/AccessKey=([^;]+)/.exec(connectionString)![1]!);
    const url = `${host}:${port}/api/hubs/${HUB}/:send?api-version=2024-12-01`;
    const send = (token: string) =>
      fetch(url, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
    const signed = (exp?: number) => {
      const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience(url);
      return (exp === undefined ? jwt : jwt.setExpirationTime(exp)).sign(key);
    };
    const now = Math.floor(Date.now() / 1000);
    expect((await send(await signed(now + 600))).status).toBe(202); // the same key and shape, in date: accepted
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none' })}.${b64({ exp: now + 600, aud: url })}.`;
    for (const token of [await signed(now - 5), await signed(), unsigned, 'not-a-jwt']) {
      const r = await send(token);
      expect(r.status, token).toBe(401);
      expect(await r.json()).toMatchObject({ code: 'Unauthorized' });
    }
  });
});
