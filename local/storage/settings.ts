// host.json `extensions.queues`, with the Storage Queues extension's defaults; the blob trigger
// shares maxDequeueCount for its retries, as the extension does.
import { timeSpanMs, type HostJson } from '../core/host-json.js';

export interface QueueSettings {
  batchSize: number;
  maxDequeueCount: number;
  visibilityTimeoutSeconds: number;
  maxPollingIntervalMs: number;
  encoding: 'base64' | 'none';
}

export function queueSettings(hostJson: HostJson): QueueSettings {
  const ext = (hostJson.raw.extensions ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const q = ext.queues ?? {};
  const int = (value: unknown, fallback: number, min: number, max: number) =>
    typeof value === 'number' && Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
  const encoding = String(q.messageEncoding ?? 'base64').toLowerCase();
  if (encoding !== 'base64' && encoding !== 'none')
    throw new Error(`host.json extensions.queues.messageEncoding must be "base64" or "none", not "${encoding}"`);
  return {
    batchSize: int(q.batchSize, 16, 1, 32),
    maxDequeueCount: int(q.maxDequeueCount, 5, 1, 1000),
    visibilityTimeoutSeconds: Math.round(timeSpanMs(q.visibilityTimeout, 0) / 1000),
    maxPollingIntervalMs: Math.max(100, maxPolling(q.maxPollingInterval)),
    encoding,
  };
}

/** A TimeSpan, or milliseconds as a number (the extension takes both). */
function maxPolling(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : timeSpanMs(value, 60_000);
}
