// Live updates through Web PubSub: GET /api/realtime/negotiate?showId= returns a client access URL
// allowed to join that show's group and the caller's own user channel; @azure/web-pubsub-client
// (≈14 KB compressed) speaks the reliable JSON subprotocol, reconnects and rejoins groups. A new
// connection may have missed messages, so `onReconnect` tells the page to refetch what it shows.
// The library is its own chunk, fetched when a page first connects: the connection starts after the
// page's first drawing anyway, and its 45 KB of script need not be compiled before that drawing
// (the stadium's cold load, bench/web.ts) nor counted in every page's first load.
import type { WebPubSubClient } from '@azure/web-pubsub-client';
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
  let client: WebPubSubClient | undefined;
  handlers.onStatus?.('connecting');
  import('@azure/web-pubsub-client').then(
    ({ WebPubSubClient }) => {
      if (!stopped) client = start(new WebPubSubClient(access(params), { autoRejoinGroups: true }));
    },
    () => !stopped && handlers.onStatus?.('offline'), // the chunk could not be loaded: the page polls
  );
  let groups: string[] = [];
  function access(p: { showId?: string }) {
    return {
      getClientAccessUrl: async () => {
        const n = await get<Negotiated>(`/api/realtime/negotiate${query(p)}`);
        groups = n.groups ?? (n.group ? [n.group] : p.showId ? [showGroup(p.showId)] : []);
        return n.url;
      },
    };
  }
  function start(c: WebPubSubClient): WebPubSubClient {
    let first = true;
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
    c.on('group-message', (e) => handlers.onMessage(parse(e.message.data), 'group'));
    c.on('server-message', (e) => handlers.onMessage(parse(e.message.data), 'user'));
    c.on('connected', () => {
      if (stopped) return;
      handlers.onStatus?.('live');
      const wasFirst = first;
      first = false;
      // Joining is idempotent; a token that already placed us in the group makes this a no-op.
      if (wasFirst) for (const g of groups) c.joinGroup(g).catch(() => undefined);
      handlers.onConnected?.(wasFirst);
    });
    c.on('disconnected', () => !stopped && handlers.onStatus?.('connecting'));
    c.on('stopped', () => !stopped && handlers.onStatus?.('offline'));
    c.start().catch(() => !stopped && handlers.onStatus?.('offline'));
    return c;
  }
  return {
    stop() {
      stopped = true;
      client?.stop();
    },
  };
}
