// The client WebSocket endpoint `/client/hubs/{hub}` (also `/client/?hub=`), as the service serves it.
// Upgrades are checked before the handshake completes: a missing, forged or expired token is a
// plain HTTP 401, which `WebPubSubClient.start()` surfaces as a failed start. Recovery attempts
// (awps_connection_id + awps_reconnection_token) for a session that is gone are accepted and
// closed with 1008, the one close code that makes the client give up recovery at once.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { handleClientFrame, type EventHandler } from './client-frames.js';
import type { Hub } from './hub.js';
import { JSON_PROTOCOL, RELIABLE_PROTOCOL, Session, type SubProtocol } from './session.js';
import { TokenError, verifyClientToken } from './tokens.js';

export interface ClientEndpointContext {
  readonly accessKey: string;
  port(): number;
  hub(name: string): Hub;
  /** Ends a session for good: leaves its hub, tells the client why, closes with 1008. */
  close(session: Session, reason: string): void;
  readonly reconnectWindowMs: number;
  readonly maxUnackedMessages: number;
  readonly onEvent: EventHandler | undefined;
}

/** Close codes that mean the client hung up on purpose (`client.stop()` sends no code: 1005). */
const DELIBERATE = new Set([1000, 1001, 1005]);

export class ClientEndpoint {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 1024 * 1024,
    // The SDK offers exactly one subprotocol; plain WebSocket clients offer none.
    handleProtocols: (offered) => [...offered].find((p) => p === RELIABLE_PROTOCOL || p === JSON_PROTOCOL) ?? false,
  });

  constructor(private readonly ctx: ClientEndpointContext) {}

  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    socket.on('error', () => socket.destroy());
    const segments = url.pathname
      .split('/')
      .filter(Boolean)
      .map((s) => safeDecode(s));
    const hubName =
      segments[0] === 'client' && segments[1] === 'hubs' && segments.length === 3
        ? segments[2]
        : segments[0] === 'client' && segments.length === 1
          ? (url.searchParams.get('hub') ?? undefined)
          : undefined;
    if (!hubName) return refuse(socket, 404, `No client endpoint at ${url.pathname}; use /client/hubs/<hub>.`);

    const offered = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const protocol: SubProtocol | undefined =
      offered.length === 0
        ? 'simple'
        : offered.includes(RELIABLE_PROTOCOL)
          ? 'reliable'
          : offered.includes(JSON_PROTOCOL)
            ? 'json'
            : undefined;
    if (!protocol)
      return refuse(
        socket,
        400,
        `Unsupported subprotocol ${offered.join(', ')}; use ${RELIABLE_PROTOCOL} or ${JSON_PROTOCOL}.`,
      );

    const hub = this.ctx.hub(hubName);
    const recoveringId = url.searchParams.get('awps_connection_id');
    if (recoveringId)
      return this.recover(req, socket, head, hub, recoveringId, url.searchParams.get('awps_reconnection_token') ?? '');

    const token =
      url.searchParams.get('access_token') ?? /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return refuse(socket, 401, 'An access_token is required.');
    let claims;
    try {
      claims = await verifyClientToken(token, this.ctx.accessKey, hubName, this.ctx.port());
    } catch (err) {
      if (err instanceof TokenError) return refuse(socket, 401, err.message);
      throw err;
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(
        randomBytes(12).toString('base64url'),
        claims.userId,
        new Set(claims.roles),
        protocol,
        protocol === 'reliable' ? randomBytes(24).toString('base64url') : undefined,
        this.ctx.maxUnackedMessages,
      );
      hub.add(session, claims.groups);
      this.attach(session, hub, ws);
    });
  }

  private recover(req: IncomingMessage, socket: Duplex, head: Buffer, hub: Hub, id: string, token: string): void {
    // The reconnection token is the credential here: the access token may have expired meanwhile.
    const session = hub.connections.get(id);
    const valid =
      session &&
      !session.closed &&
      session.reconnectionToken !== undefined &&
      sameSecret(session.reconnectionToken, token);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!valid) return ws.close(1008, 'The connection cannot be recovered.');
      const old = session.socket;
      clearTimeout(session.expiry);
      session.expiry = undefined;
      this.attach(session, hub, ws);
      // A half-open old socket may still be around; the new one wins.
      old?.terminate();
    });
  }

  private attach(session: Session, hub: Hub, ws: WebSocket): void {
    session.socket = ws;
    session.lastSeen = Date.now();
    // Frames are handled one after another: an ack must be recorded before the next frame is
    // checked for a duplicate ackId, and an awaited upstream event must not reorder later frames.
    let inbox = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      session.lastSeen = Date.now();
      // Plain WebSocket clients and binary frames carry no protocol messages.
      if (session.protocol === 'simple' || isBinary) return;
      const text = data.toString();
      inbox = inbox.then(() => handleClientFrame(text, session, hub, this.ctx.onEvent));
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', (code) => {
      if (session.socket !== ws) return; // replaced by a recovered socket
      session.socket = undefined;
      if (session.closed) return;
      if (session.protocol === 'reliable' && !DELIBERATE.has(code)) {
        // Dropped, not closed: keep groups and buffer messages until the client comes back.
        session.expiry = setTimeout(
          () => this.ctx.close(session, 'The connection was not recovered in time.'),
          this.ctx.reconnectWindowMs,
        );
        session.expiry.unref();
      } else {
        this.ctx.close(session, 'The client closed the connection.');
      }
    });
    if (session.protocol !== 'simple') {
      session.write(
        JSON.stringify({
          type: 'system',
          event: 'connected',
          userId: session.userId,
          connectionId: session.id,
          ...(session.reconnectionToken ? { reconnectionToken: session.reconnectionToken } : {}),
        }),
      );
    }
    session.resend();
  }

  /** Terminates sockets that have been silent far longer than the client's 20 s ping interval. */
  sweep(hubs: Iterable<Hub>, silentForMs: number): void {
    const cutoff = Date.now() - silentForMs;
    for (const hub of hubs)
      for (const s of hub.connections.values()) if (s.socket && s.lastSeen < cutoff) s.socket.terminate();
  }

  close(): void {
    this.wss.close();
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ code: STATUS_CODES[status]?.replace(/\s/g, '') ?? 'Error', message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
