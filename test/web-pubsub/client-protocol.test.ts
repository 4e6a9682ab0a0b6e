// The client side through the real `WebPubSubClient` (reliable subprotocol by default) and, where
// the SDK hides the wire, through a raw WebSocket: tokens, permissions, acks, sequence ids, pong.
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebPubSubEmulator } from '../../local/web-pubsub/index.js';
import { cleanup, connect, HUB, settle, startService, waitFor } from './harness.js';

let service: WebPubSubServiceClient;
let emulator: WebPubSubEmulator;

beforeAll(async () => {
  ({ service, emulator } = await startService());
});
afterAll(cleanup);

/** A raw socket on a subprotocol, with every frame it receives parsed. */
async function rawSocket(url: string, protocol = 'json.reliable.webpubsub.azure.v1') {
  const ws = new WebSocket(url, protocol);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  await waitFor(() => frames.length > 0, 'the connected frame');
  return { ws, frames, send: (frame: unknown) => ws.send(JSON.stringify(frame)) };
}

describe('Web PubSub emulator client protocol', () => {
  it('connects with a token from getClientAccessToken and reports the user and a connection id', async () => {
    const { url } = await service.getClientAccessToken({ userId: 'alice' });
    const client = new WebPubSubClient(url);
    const connected = new Promise<{ userId: string; connectionId: string }>((resolve) =>
      client.on('connected', resolve),
    );
    await client.start();
    const e = await connected;
    expect(e.userId).toBe('alice');
    expect(await service.connectionExists(e.connectionId)).toBe(true);
    client.stop();
  });

  it('refuses a forged token and an expired token at the upgrade with 401', async () => {
    const forger = new WebPubSubServiceClient(
      emulator.connectionString.replace(/AccessKey=[^;]+/, 'AccessKey=guessed'),
      HUB,
      { allowInsecureConnection: true },
    );
    const forged = await forger.getClientAccessToken({ userId: 'mallory', roles: ['webpubsub.joinLeaveGroup'] });
    await expect(new WebPubSubClient(forged.url).start()).rejects.toThrow();

    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(`${emulator.endpoint}/client/hubs/${HUB}`)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(emulator.accessKey));
    const baseUrl = (await service.getClientAccessToken()).baseUrl;
    const statuses = await Promise.all(
      [forged.url, `${baseUrl}?access_token=${expired}`, baseUrl].map((url) => upgradeStatus(url)),
    );
    expect(statuses).toEqual([401, 401, 401]);
  });

  it('refuses to join a group the roles do not allow, and allows the one they name', async () => {
    const c = await connect(service, { userId: 'bob', roles: ['webpubsub.joinLeaveGroup.show-1'] });
    await c.client.joinGroup('show-1');
    const started = Date.now();
    // The client retries a refused ack three times, 1 s apart, before it gives up.
    await expect(c.client.joinGroup('show-2')).rejects.toMatchObject({ errorDetail: { name: 'Forbidden' } });
    expect(Date.now() - started).toBeGreaterThan(2500);
    expect(await service.groupExists('show-1')).toBe(true);
    expect(await service.groupExists('show-2')).toBe(false);
  }, 15_000);

  it("joins the token's groups at connect and publishes only with sendToGroup rights", async () => {
    const sender = await connect(service, {
      userId: 'carol',
      groups: ['show-3'],
      roles: ['webpubsub.sendToGroup.show-3'],
    });
    const listener = await connect(service, { userId: 'dave', groups: ['show-3'] });
    await sender.client.sendToGroup('show-3', { hi: 1 }, 'json', { noEcho: true });
    await waitFor(() => listener.received.length === 1, 'the listener to get the group message');
    await settle();
    expect(listener.received).toEqual([{ hi: 1 }]);
    expect(sender.received).toEqual([]); // noEcho
    await expect(listener.client.sendToGroup('show-3', 'nope', 'text', { fireAndForget: false })).rejects.toMatchObject(
      { errorDetail: { name: 'Forbidden' } },
    );
  }, 15_000);

  it('answers ping with pong, numbers messages from 1, and acks a repeated ackId as Duplicate', async () => {
    const { url } = await service.getClientAccessToken({ userId: 'erin', roles: ['webpubsub.joinLeaveGroup'] });
    const raw = await rawSocket(url);
    expect(raw.frames[0]).toMatchObject({
      type: 'system',
      event: 'connected',
      userId: 'erin',
      reconnectionToken: expect.any(String),
    });

    raw.send({ type: 'ping' });
    await waitFor(() => raw.frames.some((f) => f.type === 'pong'), 'pong');

    raw.send({ type: 'joinGroup', group: 'show-4', ackId: 7 });
    raw.send({ type: 'joinGroup', group: 'show-4', ackId: 7 });
    await waitFor(() => raw.frames.filter((f) => f.type === 'ack').length === 2, 'two acks');
    const acks = raw.frames.filter((f) => f.type === 'ack');
    expect(acks[0]).toEqual({ type: 'ack', ackId: 7, success: true });
    expect(acks[1]).toMatchObject({ ackId: 7, success: false, error: { name: 'Duplicate' } });

    await service.group('show-4').sendToAll({ n: 1 });
    await service.sendToUser('erin', 'two', { contentType: 'text/plain' });
    await waitFor(() => raw.frames.filter((f) => f.type === 'message').length === 2, 'two messages');
    expect(raw.frames.filter((f) => f.type === 'message')).toEqual([
      { type: 'message', from: 'group', group: 'show-4', dataType: 'json', data: { n: 1 }, sequenceId: 1 },
      { type: 'message', from: 'server', dataType: 'text', data: 'two', sequenceId: 2 },
    ]);
    raw.ws.close();
  });

  it('sends no sequence ids or reconnection token on the plain json subprotocol', async () => {
    const c = await connect(service, { userId: 'finn', groups: ['show-5'] }, { protocol: WebPubSubJsonProtocol() });
    const { url } = await service.getClientAccessToken({ userId: 'finn', groups: ['show-5'] });
    const raw = await rawSocket(url, 'json.webpubsub.azure.v1');
    expect(raw.frames[0]).not.toHaveProperty('reconnectionToken');
    await service.group('show-5').sendToAll({ n: 1 });
    await waitFor(() => c.received.length === 1 && raw.frames.length === 2, 'both clients to get the message');
    expect(raw.frames[1]).toEqual({
      type: 'message',
      from: 'group',
      group: 'show-5',
      dataType: 'json',
      data: { n: 1 },
    });
    raw.ws.close();
  });
});

function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'json.reliable.webpubsub.azure.v1');
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}
