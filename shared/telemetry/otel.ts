// The telemetry port over the OpenTelemetry API (docs/telemetry.md). Whichever SDK start.ts installed
// (Azure Monitor's distro in Azure, OTLP or the console locally) receives what this writes; the API's
// context (AsyncLocalStorage) carries the current span from the invocation into every awaited call.
import { context, metrics, SpanKind, SpanStatusCode, trace, type Counter, type Histogram } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { Attributes, Dependency, LogLevel, Metric, Telemetry } from './port.js';

const SCOPE = 'marquee';

const SEVERITY: Record<LogLevel, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

/** OpenTelemetry's semantic conventions for each dependency (database spans, messaging spans, peers). */
const DEPENDENCY_ATTRIBUTES: Record<Dependency, Record<string, string>> = {
  cosmos: { 'db.system.name': 'azure.cosmosdb', 'peer.service': 'cosmos' },
  payments: { 'peer.service': 'payments' },
  webpubsub: { 'peer.service': 'webpubsub' },
  servicebus: { 'messaging.system': 'servicebus', 'peer.service': 'servicebus' },
  webhook: { 'peer.service': 'partner-webhook' },
  email: { 'peer.service': 'acs-email' },
  sms: { 'peer.service': 'acs-sms' },
  push: { 'peer.service': 'web-push' },
};

function clean(attributes: Attributes | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (attributes) for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v;
  return out;
}

export function openTelemetry(): Telemetry {
  const tracer = trace.getTracer(SCOPE);
  const meter = metrics.getMeter(SCOPE);
  const logger = logs.getLogger(SCOPE);
  const instruments = new Map<string, Counter | Histogram>();
  const instrument = (m: Metric) => {
    let i = instruments.get(m.name);
    if (!i) {
      i =
        m.kind === 'counter'
          ? meter.createCounter(m.name, { unit: m.unit })
          : meter.createHistogram(m.name, { unit: m.unit });
      instruments.set(m.name, i);
    }
    return i;
  };
  return {
    enabled: true,
    inTrace: () => trace.getActiveSpan() !== undefined,
    annotate: (attributes) => trace.getActiveSpan()?.setAttributes(clean(attributes)),
    span(name, attributes, fn, dependency) {
      const options = {
        kind: dependency ? SpanKind.CLIENT : SpanKind.INTERNAL,
        attributes: { ...(dependency ? DEPENDENCY_ATTRIBUTES[dependency] : {}), ...clean(attributes) },
      };
      return tracer.startActiveSpan(name, options, async (span) => {
        try {
          return await fn();
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message ?? String(err) });
          throw err;
        } finally {
          span.end();
        }
      });
    },
    record(metric, value = 1, attributes) {
      const i = instrument(metric);
      if (metric.kind === 'counter') (i as Counter).add(value, clean(attributes));
      else (i as Histogram).record(value, clean(attributes));
    },
    log(level, message, attributes) {
      // The record carries the active span's trace and span ids (the Logs API reads the context).
      logger.emit({
        severityNumber: SEVERITY[level],
        severityText: level.toUpperCase(),
        body: message,
        attributes: clean(attributes),
        context: context.active(),
      });
      if (level === 'warn' || level === 'error') console[level](message, ...(attributes ? [attributes] : []));
    },
  };
}
