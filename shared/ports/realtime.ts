// The realtime port. Its one real adapter is shared/adapters/webpubsub/, built in shared/services.ts.
import { SystemError } from '../errors.js';

// Web PubSub (docs/architecture.md, Realtime; message formats in docs/realtime.md): public seat diffs go to the show's group, private
// messages (a holder's seats, booking status) to one user's channel — every connection negotiated
// with that user id. Messages are JSON; deliveries are at-most-once per connection (clients
// resynchronise by version), so callers send state, not increments.

export type { SeatDiffMessage, HoldsMessage } from '../domain/seat-diff.js';

/** A private message to one user; `type` says what it is (`holds`, `booking`, ...). */
export interface RealtimeUserMessage {
  type: string;
  [key: string]: unknown;
}

export interface ClientAccessRequest {
  /** Groups the connection joins at connect time and may join again, and no others. */
  groups: string[];
  /** Present for signed-in callers: messages sent to this user reach the connection. */
  userId?: string;
  minutes: number;
}

export interface ClientAccess {
  /** `wss://…/client/hubs/<hub>?access_token=…` for `@azure/web-pubsub-client` or a plain WebSocket. */
  url: string;
  /** ISO-8601 UTC; the URL is checked only when a socket opens. */
  expiresAt: string;
  groups: string[];
}

export interface RealtimePublisher {
  /** Sends a public seat diff to group `show.<showId>`. */
  sendSeatDiff(showId: string, diff: import('../domain/seat-diff.js').SeatDiffMessage): Promise<void>;
  /** Sends a message to everyone in the show's group (`show.<showId>`), e.g. the waiting room's count. */
  sendToShow(showId: string, message: RealtimeUserMessage): Promise<void>;
  /** Sends a private message to every connection of `userId` (none connected: dropped). */
  sendToUser(userId: string, message: RealtimeUserMessage): Promise<void>;
  clientAccess(request: ClientAccessRequest): Promise<ClientAccess>;
}

/** Web PubSub refused or did not answer after the adapter's retries. Retryable. */
export class RealtimeError extends SystemError<'REALTIME_UNAVAILABLE'> {
  constructor(detail: string, options: { cause?: unknown } = {}) {
    super('REALTIME_UNAVAILABLE', { detail, retryAfter: 1, cause: options.cause });
  }
}
