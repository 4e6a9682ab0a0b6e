// Web PubSub for the local host (local/README.md, Plugins): an emulator of the service on its own port,
// speaking the REST API of `@azure/web-pubsub` and the client protocol of
// `@azure/web-pubsub-client`, so the app and the browser use both real SDKs unchanged.
//
// Settings: MARQUEE_WEBPUBSUB_PORT (default 7072, 0 = any free port). The plugin fills
// WEBPUBSUB_CONNECTION_STRING (fresh random key per start) when unset; the emulator serves any hub. A connection string that already points at this port on loopback lends its key to the
// emulator; one that points elsewhere (real Azure) means no emulator is started.
import { parseLocalConfig } from '../config.js';
import type { HostPlugin } from '../core/plugin.js';
import { usage } from '../core/usage.js';
import { PortBusyError } from '../services/ports.js';
import { isLoopback, parseConnectionString } from './connection-string.js';
import { startWebPubSubEmulator } from './emulator.js';

export { startWebPubSubEmulator, type WebPubSubEmulator, type WebPubSubEmulatorOptions } from './emulator.js';
export type { ClientEvent, EventHandler } from './client-frames.js';

export const webPubSubPlugin: HostPlugin = {
  name: 'web-pubsub',
  // WEBPUBSUB_CONNECTION_STRING is an app setting: fill it before the app loads.
  beforeApp: true,
  async start(host) {
    const { MARQUEE_HOST, MARQUEE_WEBPUBSUB_PORT: port } = parseLocalConfig(host.env);
    let accessKey: string | undefined;
    const configured = host.env.WEBPUBSUB_CONNECTION_STRING;
    if (configured) {
      const { endpoint, accessKey: key } = parseConnectionString(configured);
      const endpointPort = Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80));
      if (!(isLoopback(endpoint.hostname) && port !== 0 && endpointPort === port)) {
        host.announce(
          `Web PubSub:         ${endpoint.origin} (from WEBPUBSUB_CONNECTION_STRING; emulator not started)`,
        );
        return;
      }
      accessKey = key;
    }
    const emulator = await startWebPubSubEmulator({ host: MARQUEE_HOST, port, accessKey }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE')
          throw new PortBusyError(
            `port ${port} on ${MARQUEE_HOST} is already in use; set MARQUEE_WEBPUBSUB_PORT to another port (or 0 for any free port)`,
          );
        throw err;
      },
    );
    host.env.WEBPUBSUB_CONNECTION_STRING ??= emulator.connectionString;
    usage.watch('webPubSub', emulator.endpoint);
    host.announce(
      `Web PubSub emulator: ${emulator.endpoint} (clients at ${emulator.endpoint.replace(/^http/, 'ws')}/client/hubs/${host.env.WEBPUBSUB_HUB ?? '<hub>'})`,
    );
    return { stop: () => emulator.stop() };
  },
};
