// Live updates through Web PubSub: GET /api/realtime/negotiate?showId= returns a client access URL
// allowed to join that show's group and the caller's own user channel; @azure/web-pubsub-client
// (≈14 KB compressed) speaks the reliable JSON subprotocol, reconnects and rejoins groups. A new
// connection may have missed messages, so `onReconnect` tells the page to refetch what it shows.
import { WebPubSubClient } from '@azure/web-pubsub-client';
import { get, query } from './api/client';
import { showGroup } from '../../shared/contracts/realtime.js';

export interface Negotiated {
  url: string;
  /** Groups the token lets this connection join (the show's group); optional in the response. */
  groups?: string[];
  group?: string;
}

export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface LiveHandlers {
  /** A message from the show's group or the user channel (the parsed JSON data). */
  onMessage(data: unknown, source: 'group' | 'user'): void;
  /** Connected again after a drop (or the first time, `first` = true): refetch snapshots. */
  onConnected?(first: boolean): void;
  onStatus?(status: LiveStatus): void;
}

export interface LiveConnection {
  stop(): void;
}

export function connectLive(params: { showId?: string }, handlers: LiveHandlers): LiveConnection {
  let stopped = false;
  let first = true;
  let groups: string[] = [];
  handlers.onStatus?.('connecting');
  const client = new WebPubSubClient(
    {
      getClientAccessUrl: async () => {
        const n = await get<Negotiated>(`/api/realtime/negotiate${query(params)}`);
        groups = n.groups ?? (n.group ? [n.group] : params.showId ? [showGroup(params.showId)] : []);
        return n.url;
      },
    },
    { autoRejoinGroups: true },
  );
  const parse = (data: unknown) => {
    if (typeof data === 'string') {
      try {
        return JSON.parse(data) as unknown;
      } catch {
        return data;
      }
    }
    return data;
  };
  client.on('group-message', (e) => handlers.onMessage(parse(e.message.data), 'group'));
  client.on('server-message', (e) => handlers.onMessage(parse(e.message.data), 'user'));
  client.on('connected', () => {
    if (stopped) return;
    handlers.onStatus?.('live');
    const wasFirst = first;
    first = false;
    // Joining is idempotent; a token that already placed us in the group makes this a no-op.
    if (wasFirst) for (const g of groups) client.joinGroup(g).catch(() => undefined);
    handlers.onConnected?.(wasFirst);
  });
  client.on('disconnected', () => !stopped && handlers.onStatus?.('connecting'));
  client.on('stopped', () => !stopped && handlers.onStatus?.('offline'));
  client.start().catch(() => !stopped && handlers.onStatus?.('offline'));
  return {
    stop() {
      stopped = true;
      client.stop();
    },
  };
}
