// Recovery of reliable connections: a dropped socket comes back with its connection id, groups
// and every unacknowledged message; a session that is gone (window elapsed, overflowed buffer,
// wrong token) is refused with close code 1008 so the client starts afresh.
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebPubSubEmulator } from '../../local/web-pubsub/index.js';
import { cleanup, connect, HUB, startService, waitFor } from './harness.js';

let service: WebPubSubServiceClient;
let emulator: WebPubSubEmulator;

beforeAll(async () => {
  ({ service, emulator } = await startService({ reconnectWindowMs: 1500, maxUnackedMessages: 50 }));
});
afterAll(cleanup);

interface Raw {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  closed: Promise<number>;
}

async function raw(url: string): Promise<Raw> {
  const ws = new WebSocket(url, 'json.reliable.webpubsub.azure.v1');
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, frames, closed };
}

const messages = (r: Raw) => r.frames.filter((f) => f.type === 'message');
const recoveryUrl = (url: string, connected: Record<string, unknown>, token = String(connected.reconnectionToken)) =>
  `${url}&awps_connection_id=${encodeURIComponent(String(connected.connectionId))}&awps_reconnection_token=${encodeURIComponent(token)}`;

describe('Web PubSub emulator reliable recovery', () => {
  it('recovers a dropped SDK client without losing or repeating a message', async () => {
    const c = await connect(service, { userId: 'alice', groups: ['show-1'] });
    const id = c.connectionId();
    let connectedEvents = 0;
    c.client.on('connected', () => connectedEvents++);
    const sent: number[] = [];
    for (let n = 1; n <= 30; n++) {
      if (n === 10) expect(emulator.dropConnection(HUB, id)).toBe(true);
      await service.group('show-1').sendToAll({ n });
      sent.push(n);
    }
    await waitFor(() => c.received.length >= 30, 'all 30 messages', 10_000);
    expect(c.received.map((m) => (m as { n: number }).n)).toEqual(sent);
    expect(c.disconnects).toBe(0); // recovered, not reconnected
    expect(connectedEvents).toBe(0);
    expect(await service.connectionExists(id)).toBe(true);
    expect(await service.groupExists('show-1')).toBe(true);
  });

  it('resends every message after the last sequenceAck on the recovered socket', async () => {
    const { url } = await service.getClientAccessToken({ userId: 'bob', groups: ['show-2'] });
    const first = await raw(url);
    await service.group('show-2').sendToAll({ n: 1 });
    await service.group('show-2').sendToAll({ n: 2 });
    await waitFor(() => messages(first).length === 2, 'two messages');
    first.ws.send(JSON.stringify({ type: 'sequenceAck', sequenceId: 1 }));
    await new Promise((r) => setTimeout(r, 50));
    first.ws.terminate(); // no close handshake: a network drop
    await first.closed;
    await service.group('show-2').sendToAll({ n: 3 }); // while nobody is connected

    const connected = first.frames[0]!;
    const second = await raw(recoveryUrl(url, connected));
    await waitFor(() => messages(second).length === 2, 'the unacknowledged messages');
    expect(second.frames[0]).toMatchObject({
      type: 'system',
      event: 'connected',
      connectionId: connected.connectionId,
    });
    expect(messages(second).map((m) => [m.sequenceId, m.data])).toEqual([
      [2, { n: 2 }],
      [3, { n: 3 }],
    ]);
    second.ws.close();
  });

  it('closes with 1008 a recovery with a wrong token, after the window, or of an unknown connection', async () => {
    const { url } = await service.getClientAccessToken({ userId: 'carol' });
    const first = await raw(url);
    const connected = first.frames[0]!;
    first.ws.terminate();
    await first.closed;

    const wrong = await raw(recoveryUrl(url, connected, 'not-the-token'));
    expect(await wrong.closed).toBe(1008);
    const unknown = await raw(recoveryUrl(url, { connectionId: 'nope', reconnectionToken: 'nope' }));
    expect(await unknown.closed).toBe(1008);

    await new Promise((r) => setTimeout(r, 2000)); // past the 1.5 s window
    expect(await service.connectionExists(String(connected.connectionId))).toBe(false);
    const late = await raw(recoveryUrl(url, connected));
    expect(await late.closed).toBe(1008);
  });

  it('closes with 1008 a connection whose unacknowledged buffer overflows', async () => {
    const { url } = await service.getClientAccessToken({ userId: 'dave', groups: ['show-3'] });
    const slow = await raw(url);
    for (let n = 1; n <= 51; n++) await service.group('show-3').sendToAll({ n });
    expect(await slow.closed).toBe(1008);
    expect(slow.frames.at(-1)).toMatchObject({ type: 'system', event: 'disconnected' });
    expect(await service.connectionExists(String(slow.frames[0]!.connectionId))).toBe(false);
  });
});
