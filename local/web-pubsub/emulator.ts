// The Web PubSub service on one port: REST under /api/hubs, client WebSockets under /client.
// Usable alone (tests, benchmark) or through the host plugin. State is in memory and per
// process, as a local service should be; nothing is persisted across restarts.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ClientEndpoint } from './client-endpoint.js';
import type { EventHandler } from './client-frames.js';
import { buildConnectionString, isLoopback } from './connection-string.js';
import { Hub } from './hub.js';
import { handleRest } from './rest.js';
import type { Session } from './session.js';

export interface WebPubSubEmulatorOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** HMAC key for every token; a fresh random one when omitted. */
  accessKey?: string;
  /** How long a dropped reliable connection may be recovered; default 30 s (the client's own limit). */
  reconnectWindowMs?: number;
  /** Unacknowledged messages a reliable connection may hold before it is closed; default 4096. */
  maxUnackedMessages?: number;
  /** Receives client `event` frames (the real service's upstream event handler). */
  onEvent?: EventHandler;
}

export interface WebPubSubEmulator {
  /** e.g. http://localhost:7072 */
  readonly endpoint: string;
  /** `Endpoint=http://localhost;Port=<port>;AccessKey=<key>;Version=1.0;` */
  readonly connectionString: string;
  readonly port: number;
  readonly accessKey: string;
  /** Cuts a connection's socket without a close handshake, as a network drop would (tests). */
  dropConnection(hub: string, connectionId: string): boolean;
  /** Live counts, for the banner and the benchmark. */
  stats(): { hubs: number; connections: number; groups: number };
  stop(): Promise<void>;
}

/** Silence after which a socket is presumed dead: the client pings every 20 s. */
const SILENT_LIMIT_MS = 120_000;

export async function startWebPubSubEmulator(options: WebPubSubEmulatorOptions = {}): Promise<WebPubSubEmulator> {
  const host = options.host ?? '127.0.0.1';
  const accessKey = options.accessKey ?? randomBytes(32).toString('base64');
  const hubs = new Map<string, Hub>();
  let port = 0;

  const close = (session: Session, reason: string) => {
    if (session.closed) return;
    session.closed = true;
    clearTimeout(session.expiry);
    for (const hub of hubs.values()) hub.remove(session);
    const ws = session.socket;
    if (!ws) return;
    if (session.protocol !== 'simple')
      session.write(JSON.stringify({ type: 'system', event: 'disconnected', message: reason }));
    // 1008 rather than 1000: the client must not try to recover a session the service ended.
    ws.close(1008, truncate(reason, 120));
  };
  const hub = (name: string) => {
    const key = name.toLowerCase(); // hub names are case-insensitive on the service
    let found = hubs.get(key);
    if (!found) hubs.set(key, (found = new Hub(name, close)));
    return found;
  };

  const clients = new ClientEndpoint({
    accessKey,
    port: () => port,
    hub,
    close,
    reconnectWindowMs: options.reconnectWindowMs ?? 30_000,
    maxUnackedMessages: options.maxUnackedMessages ?? 4096,
    onEvent: options.onEvent,
  });

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    handleRest(req, res, url, { accessKey, hub })
      .then((handled) => {
        if (!handled)
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(JSON.stringify({ code: 'NotFound', message: `Nothing is served at ${url.pathname}.` }));
      })
      .catch((err: unknown) => {
        if (!res.headersSent)
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ code: 'InternalServerError', message: String((err as Error)?.message ?? err) }));
        else res.destroy();
      });
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    clients.upgrade(req, socket, head, url).catch(() => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as { port: number }).port;

  const sweeper = setInterval(() => clients.sweep(hubs.values(), SILENT_LIMIT_MS), 30_000);
  sweeper.unref();

  // The SDK turns the endpoint into the client URL (ws://<host>:<port>/client/hubs/…), so a
  // loopback bind is announced as localhost, as the service's documented local connection strings have it.
  const publicHost = isLoopback(host) || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let stopped = false;
  return {
    endpoint: `http://${publicHost}:${port}`,
    connectionString: buildConnectionString(publicHost, port, accessKey),
    port,
    accessKey,
    dropConnection(hubName, connectionId) {
      const socket = hubs.get(hubName.toLowerCase())?.connections.get(connectionId)?.socket;
      socket?.terminate();
      return socket !== undefined;
    },
    stats() {
      let connections = 0;
      let groups = 0;
      for (const h of hubs.values()) {
        connections += h.connections.size;
        groups += h.groups.size;
      }
      return { hubs: hubs.size, connections, groups };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sweeper);
      for (const h of hubs.values()) {
        for (const s of h.connections.values()) {
          s.closed = true; // so the socket's close handler opens no recovery window
          clearTimeout(s.expiry);
          s.socket?.terminate();
        }
      }
      hubs.clear();
      clients.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function truncate(text: string, bytes: number): string {
  return Buffer.byteLength(text) <= bytes
    ? text
    : Buffer.from(text)
        .subarray(0, bytes)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
}
