// The host plugin's settings contract: it fills WEBPUBSUB_CONNECTION_STRING (the app fills WEBPUBSUB_HUB) when
// unset, adopts the key of a connection string that names its own port, leaves a remote service
// alone, and reports a busy port in one line naming the setting.
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostContext, PluginHandle } from '../../local/core/plugin.js';
import { webPubSubPlugin } from '../../local/web-pubsub/index.js';

const handles: PluginHandle[] = [];
afterAll(async () => {
  for (const h of handles) await h.stop();
});

/** The plugin reads only `env` and `announce` from the host. */
function fakeHost(env: NodeJS.ProcessEnv): { host: HostContext; banner: string[] } {
  const banner: string[] = [];
  return { host: { env, announce: (line: string) => banner.push(line) } as unknown as HostContext, banner };
}

async function start(env: NodeJS.ProcessEnv) {
  const { host, banner } = fakeHost(env);
  const handle = await webPubSubPlugin.start(host);
  if (handle) handles.push(handle);
  return { handle, banner };
}

async function busyPort(): Promise<{ port: number; close: () => void }> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

describe('Web PubSub host plugin', () => {
  it('fills the connection string with a fresh key, and announces the endpoint', async () => {
    // The hub is the app's setting (Marquee's plugin, local-plugins/marquee, fills 'marquee').
    const env: NodeJS.ProcessEnv = { MARQUEE_WEBPUBSUB_PORT: '0', WEBPUBSUB_HUB: 'marquee' };
    const { banner } = await start(env);
    const other: NodeJS.ProcessEnv = { MARQUEE_WEBPUBSUB_PORT: '0' };
    await start(other);
    expect(env.WEBPUBSUB_CONNECTION_STRING).toMatch(
      /^Endpoint=http:\/\/localhost;Port=\d+;AccessKey=[^;]{20,};Version=1\.0;$/,
    );
    expect(env.WEBPUBSUB_CONNECTION_STRING!.split('AccessKey=')[1]).not.toBe(
      other.WEBPUBSUB_CONNECTION_STRING!.split('AccessKey=')[1],
    );
    expect(banner.join('\n')).toContain('Web PubSub emulator: http://localhost:');
    const service = new WebPubSubServiceClient(env.WEBPUBSUB_CONNECTION_STRING!, env.WEBPUBSUB_HUB!, {
      allowInsecureConnection: true,
    });
    expect(await service.groupExists('nobody-here')).toBe(false);
  });

  it('serves with the key of a connection string that names its own port', async () => {
    const probe = await busyPort();
    probe.close();
    const connectionString = `Endpoint=http://localhost;Port=${probe.port};AccessKey=fixed-dev-key;Version=1.0;`;
    const env: NodeJS.ProcessEnv = {
      MARQUEE_WEBPUBSUB_PORT: String(probe.port),
      WEBPUBSUB_CONNECTION_STRING: connectionString,
      WEBPUBSUB_HUB: 'other',
    };
    await start(env);
    expect(env.WEBPUBSUB_CONNECTION_STRING).toBe(connectionString);
    expect(env.WEBPUBSUB_HUB).toBe('other');
    const service = new WebPubSubServiceClient(connectionString, 'other', { allowInsecureConnection: true });
    expect(await service.userExists('nobody')).toBe(false);
  });

  it('starts nothing when the connection string points at another service', async () => {
    const { handle, banner } = await start({
      MARQUEE_WEBPUBSUB_PORT: '0',
      WEBPUBSUB_CONNECTION_STRING: 'Endpoint=https://x.webpubsub.azure.com;AccessKey=k;Version=1.0;',
    });
    expect(handle).toBeUndefined();
    expect(banner.join('\n')).toContain('emulator not started');
  });

  it('names the port and the setting when the port is busy', async () => {
    const busy = await busyPort();
    try {
      await expect(start({ MARQUEE_WEBPUBSUB_PORT: String(busy.port) })).rejects.toThrow(
        `port ${busy.port} on 127.0.0.1 is already in use; set MARQUEE_WEBPUBSUB_PORT to another port (or 0 for any free port)`,
      );
    } finally {
      busy.close();
    }
  });
});
