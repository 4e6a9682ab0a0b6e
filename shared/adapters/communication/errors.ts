// How a Communication Services answer maps onto the channel port's failures: a request the service
// refuses (bad address, bad content) is permanent; throttling, timeouts and 5xx are transient.
import { ChannelError } from '../../notifications/ports.js';

const PERMANENT = new Set([400, 404, 413, 415, 422]);

export function channelErrorOf(err: unknown, what: string): ChannelError {
  const status = (err as { statusCode?: number }).statusCode;
  const message = `${what}: ${status ? `${status} ` : ''}${(err as Error)?.message ?? String(err)}`.slice(0, 500);
  return new ChannelError(message, status !== undefined && PERMANENT.has(status));
}

/** A UUID derived from `key`: the service's idempotency keys are UUIDs, ours are delivery ids. */
export function uuidFrom(key: string, hash: (s: string) => Buffer): string {
  const h = hash(key).subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5 layout (name-based, SHA)
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** True for a connection string whose endpoint is http on loopback. */
export function isLocalEndpoint(connectionString: string | undefined): boolean {
  const m = /endpoint=([^;]+)/i.exec(connectionString ?? '');
  if (!m) return false;
  const url = new URL(m[1]!);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
