// host.json, read the way the real host reads the parts the local host plays.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostJson {
  routePrefix: string;
  serviceBus: { maxConcurrentCalls: number; maxDeliveryCount: number; lockDurationMs: number };
  durableTask: {
    hubName: string;
    maxConcurrentActivityFunctions: number;
    maxConcurrentOrchestratorFunctions: number;
    /** durableTask.tracing.distributedTracingEnabled: spans per orchestration and activity. */
    distributedTracing: boolean;
  };
  raw: Record<string, unknown>;
}

type Json = Record<string, unknown>;

export function readHostJson(appRoot: string): HostJson {
  const raw = JSON.parse(readFileSync(join(appRoot, 'host.json'), 'utf8')) as Json;
  const ext = (raw.extensions ?? {}) as Json;
  const http = (ext.http ?? {}) as Json;
  const sb = (ext.serviceBus ?? {}) as Json;
  const dt = (ext.durableTask ?? {}) as Json;
  const tracing = (dt.tracing ?? {}) as Json;
  return {
    // An empty string removes the prefix, as on the real host.
    routePrefix: typeof http.routePrefix === 'string' ? http.routePrefix.replace(/^\/+|\/+$/g, '') : 'api',
    serviceBus: {
      maxConcurrentCalls: num(sb.maxConcurrentCalls, 16),
      maxDeliveryCount: Math.max(1, num(sb.maxDeliveryCount, 10)),
      lockDurationMs: timeSpanMs(sb.lockDuration, 30_000),
    },
    durableTask: {
      hubName: typeof dt.hubName === 'string' ? dt.hubName : 'TestHubName',
      maxConcurrentActivityFunctions: num(dt.maxConcurrentActivityFunctions, 20),
      maxConcurrentOrchestratorFunctions: num(dt.maxConcurrentOrchestratorFunctions, 20),
      // The extension reads its options case-insensitively (its docs write DistributedTracingEnabled).
      distributedTracing: (tracing.distributedTracingEnabled ?? tracing.DistributedTracingEnabled) === true,
    },
    raw,
  };
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** .NET TimeSpan "hh:mm:ss" or "d.hh:mm:ss" to milliseconds. */
export function timeSpanMs(value: unknown, fallback: number): number {
  if (typeof value !== 'string') return fallback;
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
  if (!m) return fallback;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 3600 + Number(min) * 60 + Number(s)) * 1000;
}
