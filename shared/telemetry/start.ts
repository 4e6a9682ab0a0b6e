// Starts OpenTelemetry once per process, when the first app module loads (docs/telemetry.md), and
// installs the port's OpenTelemetry implementation; with telemetry off nothing is loaded or hooked.
//   azure-monitor  Azure Monitor's distro (@azure/monitor-opentelemetry): traces, metrics and logs to
//                  Application Insights, with its HTTP and Azure SDK instrumentations
//   otlp           the OpenTelemetry SDK with OTLP/HTTP (JSON) exporters: the local host's receiver
//   console        the same SDK printing spans, metrics and logs on the console
// Both carry the Functions host's trace context into each invocation (invocation-context.ts).
import { telemetrySettings, type TelemetrySettings } from '../config.js';
import { useTelemetry } from './port.js';

export type Exporter = 'none' | 'azure-monitor' | 'otlp' | 'console';

export function exporterFor(s: TelemetrySettings): Exporter {
  if (s.TELEMETRY_EXPORTER !== 'auto') return s.TELEMETRY_EXPORTER;
  if (s.APPLICATIONINSIGHTS_CONNECTION_STRING) return 'azure-monitor';
  return s.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none';
}

// Outgoing HTTP calls get a client span and a traceparent header only inside a traced operation, and
// the Functions worker receives no HTTP of its own to trace (the host does that).
const httpOptions = { disableIncomingRequestInstrumentation: true, requireParentforOutgoingSpans: true };

let started: Exporter | undefined;

export function startTelemetry(env: Record<string, string | undefined> = process.env): Exporter {
  if (started) return started;
  const settings = telemetrySettings(env);
  started = settings ? exporterFor(settings) : 'none';
  if (!settings || started === 'none') return started;
  if (started === 'azure-monitor') {
    type AzureMonitor = typeof import('@azure/monitor-opentelemetry');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when used
    const { useAzureMonitor } = require('@azure/monitor-opentelemetry') as AzureMonitor;
    useAzureMonitor({
      azureMonitorExporterOptions: { connectionString: settings.APPLICATIONINSIGHTS_CONNECTION_STRING },
      samplingRatio: settings.TELEMETRY_SAMPLING_RATIO,
      instrumentationOptions: { http: { enabled: true, ...httpOptions }, azureSdk: { enabled: true } },
    });
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when used
    const { startOpenTelemetrySdk } = require('./sdk.js') as typeof import('./sdk.js');
    startOpenTelemetrySdk(settings, started, httpOptions);
  }
  // The OpenTelemetry API and the invocation hook load only here: with telemetry off the app's cold
  // start does not pay for them (shared/adapters/sdks.ts).
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when used */
  const { openTelemetry } = require('./otel.js') as typeof import('./otel.js');
  const { traceInvocations } = require('./invocation-context.js') as typeof import('./invocation-context.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  useTelemetry(openTelemetry());
  traceInvocations();
  return started;
}
