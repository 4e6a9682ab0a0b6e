// OTLP/HTTP JSON bodies (opentelemetry-proto's JSON mapping: lowerCamelCase fields, trace and span
// ids in hex, 64-bit integers as numbers or decimal strings) into the store's records. Generic:
// nothing here knows which app sent them. A malformed item is skipped, never thrown on, as a
// collector drops what it cannot read and answers the rest.
import type { AttributeValue, SpanKind, SpanRecord, SpanStatus } from '../core/tracing.js';

type Json = Record<string, unknown>;

export interface LogRecordEntry {
  timeMs: number;
  severity: string;
  body: string;
  attributes: Record<string, AttributeValue>;
  traceId?: string;
  spanId?: string;
  service: string;
}

export interface MetricPoint {
  name: string;
  unit: string;
  type: 'sum' | 'gauge' | 'histogram';
  attributes: Record<string, AttributeValue>;
  /** Sum or gauge value; a histogram's sum. */
  value: number;
  /** A histogram's count. */
  count?: number;
  timeMs: number;
  service: string;
}

const KINDS: SpanKind[] = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: SpanStatus[] = ['unset', 'ok', 'error'];

const list = (v: unknown): Json[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Json[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Nanoseconds (number or decimal string) to epoch milliseconds. */
function nanosToMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v / 1e6;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(BigInt(v) / 1000n) / 1000;
  return undefined;
}

/** The JSON mapping's bytes are hex for ids; a base64 id (a non-conforming sender) is converted. */
function id(v: unknown, bytes: number): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(s)) return s.toLowerCase();
  const b = Buffer.from(s, 'base64');
  return b.length === bytes ? b.toString('hex') : undefined;
}

function anyValue(v: unknown): AttributeValue | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Json;
  if (typeof o.stringValue === 'string') return o.stringValue;
  if (typeof o.boolValue === 'boolean') return o.boolValue;
  if (o.intValue !== undefined) return Number(o.intValue);
  if (typeof o.doubleValue === 'number') return o.doubleValue;
  if (o.arrayValue && typeof o.arrayValue === 'object')
    return JSON.stringify(list((o.arrayValue as Json).values).map(anyValue));
  if (o.kvlistValue && typeof o.kvlistValue === 'object')
    return JSON.stringify(attributes((o.kvlistValue as Json).values));
  return undefined;
}

export function attributes(v: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of list(v)) {
    const key = str(kv.key);
    const value = anyValue(kv.value);
    if (key && value !== undefined) out[key] = value;
  }
  return out;
}

function serviceOf(resource: unknown): string {
  const a = attributes((resource as Json | undefined)?.attributes);
  return typeof a['service.name'] === 'string' ? a['service.name'] : 'unknown_service';
}

export function decodeTraces(body: Json): SpanRecord[] {
  const out: SpanRecord[] = [];
  for (const rs of list(body.resourceSpans)) {
    const service = serviceOf(rs.resource);
    for (const ss of list(rs.scopeSpans)) {
      for (const s of list(ss.spans)) {
        const traceId = id(s.traceId, 16);
        const spanId = id(s.spanId, 8);
        const startMs = nanosToMs(s.startTimeUnixNano);
        if (!traceId || !spanId || startMs === undefined) continue;
        const parentSpanId = id(s.parentSpanId, 8);
        const status = (s.status ?? {}) as Json;
        const statusMessage = str(status.message);
        out.push({
          traceId,
          spanId,
          ...(parentSpanId ? { parentSpanId } : {}),
          name: str(s.name) ?? '(unnamed)',
          kind: KINDS[Number(s.kind)] ?? 'internal',
          startMs,
          endMs: nanosToMs(s.endTimeUnixNano),
          status: STATUSES[Number(status.code ?? 0)] ?? 'unset',
          ...(statusMessage ? { statusMessage } : {}),
          attributes: attributes(s.attributes),
          service,
        });
      }
    }
  }
  return out;
}

export function decodeLogs(body: Json): LogRecordEntry[] {
  const out: LogRecordEntry[] = [];
  for (const rl of list(body.resourceLogs)) {
    const service = serviceOf(rl.resource);
    for (const sl of list(rl.scopeLogs)) {
      for (const r of list(sl.logRecords)) {
        const traceId = id(r.traceId, 16);
        const spanId = id(r.spanId, 8);
        const b = anyValue(r.body);
        out.push({
          timeMs: nanosToMs(r.timeUnixNano) ?? nanosToMs(r.observedTimeUnixNano) ?? Date.now(),
          severity: str(r.severityText) ?? String(r.severityNumber ?? ''),
          body: b === undefined ? '' : String(b),
          attributes: attributes(r.attributes),
          ...(traceId ? { traceId } : {}),
          ...(spanId ? { spanId } : {}),
          service,
        });
      }
    }
  }
  return out;
}

export function decodeMetrics(body: Json): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const rm of list(body.resourceMetrics)) {
    const service = serviceOf(rm.resource);
    for (const sm of list(rm.scopeMetrics)) {
      for (const m of list(sm.metrics)) {
        const name = str(m.name);
        if (!name) continue;
        const unit = str(m.unit) ?? '';
        const kinds: [MetricPoint['type'], unknown][] = [
          ['sum', m.sum],
          ['gauge', m.gauge],
          ['histogram', m.histogram],
        ];
        for (const [type, data] of kinds) {
          if (!data || typeof data !== 'object') continue;
          for (const p of list((data as Json).dataPoints)) {
            const value = type === 'histogram' ? Number(p.sum ?? 0) : Number(p.asInt ?? p.asDouble ?? 0);
            out.push({
              name,
              unit,
              type,
              attributes: attributes(p.attributes),
              value,
              ...(type === 'histogram' ? { count: Number(p.count ?? 0) } : {}),
              timeMs: nanosToMs(p.timeUnixNano) ?? Date.now(),
              service,
            });
          }
        }
      }
    }
  }
  return out;
}
