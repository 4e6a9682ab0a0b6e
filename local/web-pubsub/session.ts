// One client connection as the service sees it. On the reliable subprotocol the session outlives
// its socket: after a drop it keeps its groups and buffers messages until the client recovers
// with awps_connection_id + awps_reconnection_token, or the window closes.
// Kept small on purpose (benchmark: 500 connections on one group): the resend buffer is an array
// of references to shared payloads whose sequence ids are implied by position.
import { WebSocket } from 'ws';
import type { Payload } from './payload.js';

export type SubProtocol = 'reliable' | 'json' | 'simple';

export const RELIABLE_PROTOCOL = 'json.reliable.webpubsub.azure.v1';
export const JSON_PROTOCOL = 'json.webpubsub.azure.v1';

/** How many processed ackIds a connection remembers to answer `Duplicate`. */
const ACK_MEMORY = 1024;

export class Session {
  socket: WebSocket | undefined;
  readonly groups = new Set<string>();
  /** Last time any frame arrived; the keep-alive sweep terminates silent sockets. */
  lastSeen = Date.now();
  /** Pending end of the recovery window while the socket is gone. */
  expiry: NodeJS.Timeout | undefined;
  closed = false;

  private lastSequenceId = 0;
  /** unacked[head + i] carries sequence id firstUnacked + i. */
  private unacked: Payload[] = [];
  private head = 0;
  private firstUnacked = 1;
  private ackIds: Set<number> | undefined;

  constructor(
    readonly id: string,
    readonly userId: string | null,
    /** Roles from the token plus REST grants, as `webpubsub.<permission>[.<group>]`. */
    readonly permissions: Set<string>,
    readonly protocol: SubProtocol,
    readonly reconnectionToken: string | undefined,
    private readonly maxUnacked: number,
  ) {}

  get buffered(): number {
    return this.unacked.length - this.head;
  }

  /** Sends (or buffers) one message; false when the resend buffer overflowed. */
  deliver(payload: Payload): boolean {
    if (this.protocol !== 'reliable') {
      this.write(this.protocol === 'simple' ? payload.raw : payload.open + '}');
      return true;
    }
    const seq = ++this.lastSequenceId;
    this.unacked.push(payload);
    if (this.buffered > this.maxUnacked) return false;
    this.write(`${payload.open},"sequenceId":${seq}}`);
    return true;
  }

  /** The client has everything up to `sequenceId`: forget it. */
  acknowledge(sequenceId: number): void {
    const upTo = Math.min(sequenceId, this.lastSequenceId);
    if (upTo < this.firstUnacked) return;
    this.head += upTo - this.firstUnacked + 1;
    this.firstUnacked = upTo + 1;
    if (this.head === this.unacked.length) {
      this.unacked = [];
      this.head = 0;
    } else if (this.head > 256 && this.head * 2 > this.unacked.length) {
      this.unacked = this.unacked.slice(this.head);
      this.head = 0;
    }
  }

  /** After recovery: everything the client has not acknowledged, in order. */
  resend(): void {
    for (let i = this.head; i < this.unacked.length; i++) {
      this.write(`${this.unacked[i]!.open},"sequenceId":${this.firstUnacked + i - this.head}}`);
    }
  }

  /** True the first time an ackId is seen; later it is a Duplicate. */
  rememberAck(ackId: number): boolean {
    this.ackIds ??= new Set();
    if (this.ackIds.has(ackId)) return false;
    this.ackIds.add(ackId);
    if (this.ackIds.size > ACK_MEMORY) this.ackIds.delete(this.ackIds.values().next().value!);
    return true;
  }

  hasAcked(ackId: number): boolean {
    return this.ackIds?.has(ackId) ?? false;
  }

  may(permission: 'joinLeaveGroup' | 'sendToGroup', group: string): boolean {
    return this.permissions.has(`webpubsub.${permission}`) || this.permissions.has(`webpubsub.${permission}.${group}`);
  }

  write(data: string | Buffer): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(data);
  }
}
