// The OpenTelemetry SDK outside Azure (docs/telemetry.md): OTLP/HTTP with JSON bodies to
// OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces, /v1/metrics, /v1/logs, headers from
// OTEL_EXPORTER_OTLP_HEADERS), or the console. Batching and export intervals are the SDK's own
// OTEL_BSP_* / OTEL_BLRP_* / OTEL_METRIC_EXPORT_INTERVAL settings. The three providers are built
// directly rather than through @opentelemetry/sdk-node, which loads every exporter it knows
// (gRPC, protobuf, Zipkin, Prometheus) and doubled the app's cold start.
import { metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, ConsoleLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TelemetrySettings } from '../config.js';

export function startOpenTelemetrySdk(
  settings: TelemetrySettings,
  exporter: 'otlp' | 'console',
  http: HttpInstrumentationConfig,
): void {
  const otlp = exporter === 'otlp';
  const resource = resourceFromAttributes({ 'service.name': settings.OTEL_SERVICE_NAME });
  // register(): the global tracer provider, the AsyncLocalStorage context manager, W3C propagation.
  new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.TELEMETRY_SAMPLING_RATIO) }),
    spanProcessors: [new BatchSpanProcessor(otlp ? new OTLPTraceExporter() : new ConsoleSpanExporter())],
  }).register();
  metrics.setGlobalMeterProvider(
    new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: otlp ? new OTLPMetricExporter() : new ConsoleMetricExporter(),
          exportIntervalMillis: settings.OTEL_METRIC_EXPORT_INTERVAL,
          exportTimeoutMillis: Math.min(30_000, settings.OTEL_METRIC_EXPORT_INTERVAL),
        }),
      ],
    }),
  );
  logs.setGlobalLoggerProvider(
    new LoggerProvider({
      resource,
      processors: [
        new BatchLogRecordProcessor({ exporter: otlp ? new OTLPLogExporter() : new ConsoleLogRecordExporter() }),
      ],
    }),
  );
  // Enabled on construction, against the global providers registered above.
  new HttpInstrumentation(http);
}
