// The host's own spans (local/README.md, Telemetry), as the Functions host and the Durable extension
// emit theirs in Azure: one per HTTP request, per orchestration (Durable distributed tracing V2) and
// per activity execution. Each invocation receives its span's traceparent in
// InvocationContext.traceContext, so the app's spans (exported over OTLP to this host) nest under
// it. Off (MARQUEE_TELEMETRY=off) `start` answers undefined and nothing is allocated.
import { randomBytes } from 'node:crypto';

export type SpanKind = 'server' | 'client' | 'internal' | 'producer' | 'consumer';
export type SpanStatus = 'unset' | 'ok' | 'error';
export type AttributeValue = string | number | boolean;

/** One finished or running span, as the trace store keeps spans of every source (host and OTLP). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** Epoch milliseconds (fractions kept). */
  startMs: number;
  /** Unset while the span runs. */
  endMs?: number;
  status: SpanStatus;
  statusMessage?: string;
  attributes: Record<string, AttributeValue>;
  /** service.name of the resource that emitted it. */
  service: string;
}

export interface SpanSink {
  /** A span started (endMs unset) or ended; the same spanId again replaces the earlier record. */
  put(span: SpanRecord): void;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

export function parseTraceParent(value: unknown): { traceId: string; spanId: string } | undefined {
  const m = typeof value === 'string' ? TRACEPARENT.exec(value.trim()) : null;
  if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) return undefined;
  return { traceId: m[1]!, spanId: m[2]! };
}

export class OpenSpan {
  readonly traceParent: string;
  private ended = false;

  constructor(
    private readonly record: SpanRecord,
    private readonly sink: SpanSink,
  ) {
    this.traceParent = `00-${record.traceId}-${record.spanId}-01`;
    sink.put({ ...record });
  }

  get traceId(): string {
    return this.record.traceId;
  }

  end(status: SpanStatus = 'ok', attributes: Record<string, AttributeValue> = {}, message?: string): void {
    if (this.ended) return;
    this.ended = true;
    Object.assign(this.record.attributes, attributes);
    this.record.status = status;
    if (message) this.record.statusMessage = message;
    this.record.endMs = performance.timeOrigin + performance.now();
    this.sink.put({ ...this.record });
  }
}

export class HostTracer {
  private sink: SpanSink | undefined;

  constructor(private readonly service = 'functions-host') {}

  /** Turns span recording on, into `sink` (the telemetry plugin's trace store). */
  useSink(sink: SpanSink): void {
    this.sink = sink;
  }

  get enabled(): boolean {
    return this.sink !== undefined;
  }

  /** A new span, child of `parent` (a traceparent) or the root of a new trace; undefined when off. */
  start(
    name: string,
    kind: SpanKind,
    parent?: string,
    attributes: Record<string, AttributeValue> = {},
  ): OpenSpan | undefined {
    if (!this.sink) return undefined;
    const p = parseTraceParent(parent);
    return new OpenSpan(
      {
        traceId: p?.traceId ?? randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        ...(p ? { parentSpanId: p.spanId } : {}),
        name,
        kind,
        startMs: performance.timeOrigin + performance.now(),
        status: 'unset',
        attributes: { ...attributes },
        service: this.service,
      },
      this.sink,
    );
  }
}
