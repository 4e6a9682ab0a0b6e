// Telemetry on the local host (local/README.md, Telemetry): an OTLP/HTTP receiver any app or tool can
// export to, the host's own spans (core/tracing.ts), and a Traces view beside the Durable console.
// With MARQUEE_TELEMETRY=true the host records its spans and points the app's OpenTelemetry SDK at
// the receiver through OpenTelemetry's own settings (OTEL_EXPORTER_OTLP_ENDPOINT and _HEADERS),
// unless they are set. It knows nothing of the app: it stores whatever spans, metrics and logs arrive.
//
//   POST /.local/otlp/v1/{traces,metrics,logs}   OTLP/HTTP JSON (master key)
//   GET  /.local/traces[?limit=&attribute=&value=]   recent traces, newest first
//   GET  /.local/traces/<traceId>                    one trace's spans and logs
//   GET  /.local/metrics[?name=], /.local/logs[?limit=]
//   GET  /_console/traces                            the Traces view (static; reads the routes above)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readBody, sendJson, sendProblem } from '../core/http-server.js';
import type { HostContext, HostPlugin } from '../core/plugin.js';
import { parseLocalConfig } from '../config.js';
import { decodeLogs, decodeMetrics, decodeTraces } from './otlp-json.js';
import { TelemetryStore } from './store.js';

export const OTLP_PATH = '/.local/otlp';
export const TRACES_CONSOLE_PATH = '/_console/traces';
const MAX_OTLP_BYTES = 8 * 1024 * 1024;

export const telemetryPlugin: HostPlugin = {
  name: 'telemetry',
  // Before the app: the SDK reads the OTEL_* settings when the app's first module loads.
  beforeApp: true,
  async start(host) {
    const store = new TelemetryStore();
    const on = parseLocalConfig(host.env).MARQUEE_TELEMETRY;
    if (on) {
      host.tracer.useSink(store);
      supplySettings(host);
    }
    host.mount(OTLP_PATH, async (req, res, url) => {
      if (!(await host.controlPlane.admit(req, res, url, { key: 'admin' }))) return;
      await receive(store, req, res, url.pathname.slice(OTLP_PATH.length));
    });
    const reader = async (req: IncomingMessage, res: ServerResponse, url: URL, fn: () => void) => {
      if (req.method !== 'GET') return sendProblem(res, 405, 'Method Not Allowed', 'Use GET.', 'METHOD_NOT_ALLOWED');
      // The console's door: the master or Durable system key, or an operator's token.
      if (await host.controlPlane.admit(req, res, url, { key: 'system', operator: true })) fn();
    };
    host.mount('/.local/traces', (req, res, url) =>
      reader(req, res, url, () => {
        const rest = decodeURIComponent(url.pathname.slice('/.local/traces'.length).replace(/^\/+|\/+$/g, ''));
        if (rest) {
          const trace = /^[0-9a-f]{32}$/.test(rest) ? store.trace(rest) : undefined;
          if (!trace) return sendProblem(res, 404, 'Not Found', `No trace ${rest} is kept.`, 'TRACE_NOT_FOUND');
          return sendJson(res, 200, trace, { 'cache-control': 'no-store' });
        }
        const q = url.searchParams;
        const limit = boundedInt(q.get('limit'), 50, 500);
        const key = q.get('attribute');
        const value = q.get('value');
        sendJson(res, 200, store.list(limit, key && value !== null ? { key, value } : undefined), {
          'cache-control': 'no-store',
        });
      }),
    );
    host.mount('/.local/metrics', (req, res, url) =>
      reader(req, res, url, () => sendJson(res, 200, store.metricPoints(url.searchParams.get('name') ?? undefined))),
    );
    host.mount('/.local/logs', (req, res, url) =>
      reader(req, res, url, () =>
        sendJson(res, 200, store.recentLogs(boundedInt(url.searchParams.get('limit'), 100, 2000))),
      ),
    );
    const page = await consolePage();
    host.mount(TRACES_CONSOLE_PATH, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'content-security-policy':
          "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      });
      res.end(page);
    });
    host.announce(
      on
        ? `Traces: ${host.origin}${TRACES_CONSOLE_PATH}/?code=${encodeURIComponent(host.keys.systemKey)} (OTLP/HTTP JSON at ${host.origin}${OTLP_PATH})`
        : `Telemetry off (MARQUEE_TELEMETRY=true records traces; OTLP/HTTP JSON is still received at ${host.origin}${OTLP_PATH})`,
    );
  },
};

/** OpenTelemetry's standard settings, pointing the app's SDK here (only those still unset). */
function supplySettings(host: HostContext): void {
  const env = host.env;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  env.OTEL_EXPORTER_OTLP_ENDPOINT = `${host.origin}${OTLP_PATH}`;
  env.OTEL_EXPORTER_OTLP_HEADERS ??= `x-functions-key=${host.keys.masterKey}`;
  // Short batches: a developer looks at the trace a second after the click, not five.
  env.OTEL_BSP_SCHEDULE_DELAY ??= '500';
  env.OTEL_BLRP_SCHEDULE_DELAY ??= '500';
  env.OTEL_METRIC_EXPORT_INTERVAL ??= '2000';
}

async function receive(store: TelemetryStore, req: IncomingMessage, res: ServerResponse, signal: string) {
  if (req.method !== 'POST')
    return sendProblem(res, 405, 'Method Not Allowed', 'OTLP/HTTP uses POST.', 'METHOD_NOT_ALLOWED');
  const decode = { '/v1/traces': decodeTraces, '/v1/metrics': decodeMetrics, '/v1/logs': decodeLogs }[signal];
  if (!decode)
    return sendProblem(res, 404, 'Not Found', 'OTLP signals are /v1/traces, /v1/metrics and /v1/logs.', 'NOT_FOUND');
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    return sendProblem(
      res,
      415,
      'Unsupported Media Type',
      'This receiver reads OTLP/HTTP JSON: send content-type application/json (OTEL_EXPORTER_OTLP_PROTOCOL=http/json).',
      'UNSUPPORTED_MEDIA_TYPE',
    );
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req, MAX_OTLP_BYTES)).toString('utf8'));
  } catch (err) {
    if ((err as { status?: number }).status === 413)
      return sendProblem(
        res,
        413,
        'Payload Too Large',
        `At most ${MAX_OTLP_BYTES} bytes per export.`,
        'PAYLOAD_TOO_LARGE',
      );
    return sendProblem(res, 400, 'Bad Request', 'The body is not JSON.', 'INVALID_JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return sendProblem(res, 400, 'Bad Request', 'The body must be an OTLP export request object.', 'INVALID_OTLP');
  const records = decode(body as Record<string, unknown>);
  if (signal === '/v1/traces') for (const s of records as ReturnType<typeof decodeTraces>) store.put(s);
  else if (signal === '/v1/logs') store.putLogs(records as ReturnType<typeof decodeLogs>);
  else store.putMetrics(records as ReturnType<typeof decodeMetrics>);
  sendJson(res, 200, {});
}

function boundedInt(text: string | null, fallback: number, max: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

/** The page sits beside the sources; the compiled plugin (dist/local/telemetry) looks there too. */
async function consolePage(): Promise<string> {
  for (const file of [
    join(__dirname, 'console', 'index.html'),
    join(__dirname, '..', '..', '..', 'local', 'telemetry', 'console', 'index.html'),
  ]) {
    try {
      return await readFile(file, 'utf8');
    } catch {
      // try the next location
    }
  }
  throw new Error('telemetry console: local/telemetry/console/index.html is missing');
}
