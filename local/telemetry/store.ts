// What the local host keeps of received telemetry, in memory and bounded (local/README.md, Telemetry):
// the most recent traces with their spans (the host's own and every OTLP sender's), the latest
// point of every metric stream, and the most recent log records. A restart starts empty.
import type { AttributeValue, SpanRecord, SpanSink } from '../core/tracing.js';
import type { LogRecordEntry, MetricPoint } from './otlp-json.js';

const MAX_TRACES = 500;
const MAX_SPANS_PER_TRACE = 2000;
const MAX_LOGS = 2000;
const MAX_METRIC_STREAMS = 2000;

interface Trace {
  spans: Map<string, SpanRecord>;
  lastMs: number;
}

export interface TraceSummary {
  traceId: string;
  /** The root span's name (or the earliest span's, while the root has not arrived). */
  name: string;
  startMs: number;
  durationMs: number;
  spans: number;
  errors: number;
  services: string[];
  /** Correlation attributes found on any span (bookingId, showId…). */
  attributes: Record<string, AttributeValue>;
}

const SUMMARY_KEYS = ['bookingId', 'showId', 'durabletask.task.instance_id'];

export class TelemetryStore implements SpanSink {
  private readonly traces = new Map<string, Trace>();
  private readonly logs: LogRecordEntry[] = [];
  private readonly metrics = new Map<string, MetricPoint>();

  put(span: SpanRecord): void {
    let t = this.traces.get(span.traceId);
    if (!t) {
      t = { spans: new Map(), lastMs: 0 };
      this.traces.set(span.traceId, t);
      if (this.traces.size > MAX_TRACES) this.traces.delete(this.traces.keys().next().value!);
    }
    if (t.spans.size >= MAX_SPANS_PER_TRACE && !t.spans.has(span.spanId)) return;
    t.spans.set(span.spanId, span);
    t.lastMs = Math.max(t.lastMs, span.endMs ?? span.startMs);
  }

  putLogs(records: LogRecordEntry[]): void {
    this.logs.push(...records);
    if (this.logs.length > MAX_LOGS) this.logs.splice(0, this.logs.length - MAX_LOGS);
  }

  putMetrics(points: MetricPoint[]): void {
    for (const p of points) {
      const key = `${p.service}\u0000${p.name}\u0000${JSON.stringify(Object.entries(p.attributes).sort())}`;
      this.metrics.delete(key); // re-inserted: the map stays ordered by last update
      this.metrics.set(key, p);
      if (this.metrics.size > MAX_METRIC_STREAMS) this.metrics.delete(this.metrics.keys().next().value!);
    }
  }

  /** Newest first; `match` keeps traces with a span whose attribute `key` equals `value`. */
  list(limit: number, match?: { key: string; value: string }): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (const [traceId, t] of this.traces) {
      const spans = [...t.spans.values()];
      if (match && !spans.some((s) => String(s.attributes[match.key]) === match.value)) continue;
      out.push(summarize(traceId, spans));
    }
    return out.sort((a, b) => b.startMs - a.startMs).slice(0, limit);
  }

  /** The trace's spans by start time, and the log records written inside it. */
  trace(traceId: string): { traceId: string; spans: SpanRecord[]; logs: LogRecordEntry[] } | undefined {
    const t = this.traces.get(traceId);
    if (!t) return undefined;
    return {
      traceId,
      spans: [...t.spans.values()].sort((a, b) => a.startMs - b.startMs),
      logs: this.logs.filter((l) => l.traceId === traceId),
    };
  }

  metricPoints(name?: string): MetricPoint[] {
    return [...this.metrics.values()].filter((p) => !name || p.name === name);
  }

  recentLogs(limit: number): LogRecordEntry[] {
    return this.logs.slice(-limit).reverse();
  }
}

function summarize(traceId: string, spans: SpanRecord[]): TraceSummary {
  const ids = new Set(spans.map((s) => s.spanId));
  const byStart = [...spans].sort((a, b) => a.startMs - b.startMs);
  const root = byStart.find((s) => !s.parentSpanId) ?? byStart.find((s) => !ids.has(s.parentSpanId!)) ?? byStart[0]!;
  const startMs = byStart[0]!.startMs;
  const endMs = Math.max(...spans.map((s) => s.endMs ?? s.startMs));
  const attributes: Record<string, AttributeValue> = {};
  for (const s of spans)
    for (const k of SUMMARY_KEYS)
      if (s.attributes[k] !== undefined && attributes[k] === undefined) attributes[k] = s.attributes[k];
  return {
    traceId,
    name: root.name,
    startMs,
    durationMs: endMs - startMs,
    spans: spans.length,
    errors: spans.filter((s) => s.status === 'error').length,
    services: [...new Set(spans.map((s) => s.service))],
    attributes,
  };
}
