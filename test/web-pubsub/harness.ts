// Shared set-up for the Web PubSub emulator tests: the emulator in-process on 127.0.0.1:0, the
// real server SDK against it, and real clients that record what they receive. Every client and
// emulator started here is stopped by `cleanup()` (call it in afterAll/afterEach).
import { WebPubSubServiceClient, type GenerateClientTokenOptions } from '@azure/web-pubsub';
import { WebPubSubClient, type WebPubSubClientOptions } from '@azure/web-pubsub-client';
import {
  startWebPubSubEmulator,
  type WebPubSubEmulator,
  type WebPubSubEmulatorOptions,
} from '../../local/web-pubsub/index.js';

export const HUB = 'marquee';

export interface RecordingClient {
  client: WebPubSubClient;
  /** Data of every group or server message, in arrival order. */
  received: unknown[];
  connectionId(): string;
  disconnects: number;
}

const cleanups: (() => Promise<void> | void)[] = [];

export async function cleanup(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

export async function startService(
  options: WebPubSubEmulatorOptions = {},
): Promise<{ emulator: WebPubSubEmulator; service: WebPubSubServiceClient }> {
  const emulator = await startWebPubSubEmulator({ host: '127.0.0.1', port: 0, ...options });
  cleanups.push(() => emulator.stop());
  const service = new WebPubSubServiceClient(emulator.connectionString, HUB, { allowInsecureConnection: true });
  return { emulator, service };
}

/** A started client whose URL comes from the server SDK, as the app's negotiate function would give it. */
export async function connect(
  service: WebPubSubServiceClient,
  token: GenerateClientTokenOptions = {},
  options: WebPubSubClientOptions = {},
): Promise<RecordingClient> {
  const client = new WebPubSubClient(
    { getClientAccessUrl: async () => (await service.getClientAccessToken(token)).url },
    options,
  );
  const received: unknown[] = [];
  let id = '';
  const recording: RecordingClient = { client, received, connectionId: () => id, disconnects: 0 };
  const connected = new Promise<void>((resolve) =>
    client.on('connected', (e) => {
      id = e.connectionId;
      resolve();
    }),
  );
  client.on('disconnected', () => recording.disconnects++);
  client.on('group-message', (e) => received.push(e.message.data));
  client.on('server-message', (e) => received.push(e.message.data));
  await client.start();
  cleanups.push(() => client.stop());
  await connected; // start() resolves on open; the connection id comes with the `connected` frame
  return recording;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets in-flight frames land, for assertions that something did NOT arrive. */
export const settle = (ms = 200) => new Promise((r) => setTimeout(r, ms));
