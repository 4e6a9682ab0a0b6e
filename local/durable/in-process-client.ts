// The app's DurableClient (durable-functions) sends every call — start, raise, status — over HTTP to
// the rpcBaseUrl of its binding (client-binding.ts), which on this host is this very process. The
// socket, the HTTP parsing on both ends and axios's transport cost more CPU than the call itself
// (bench/booking.ts: ~5 calls per booking). So calls under that base are answered in process by the
// same code the HTTP route runs (http-api.ts answerApi): same routes, status codes and JSON bodies,
// no socket. This is done with an axios adapter on the axios the app's durable-functions library
// uses, installed before the app creates any client; any other URL goes to axios's own adapter.
//
// The trace context: the app's HTTP instrumentation adds a traceparent only to real requests, so an
// in-process call without one takes the calling invocation's (its span is what the app's call would
// have hung under).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { invocationScope } from '../core/supervise.js';
import type { ApiAnswer, ApiRequest } from './http-api.js';

/** The parts of axios used here (the app's copy, loaded at run time). */
interface AxiosModule {
  defaults: { adapter?: unknown };
  getAdapter(adapters: unknown): (config: AxiosConfig) => Promise<unknown>;
  AxiosError: new (message: string, code?: string, config?: unknown, request?: unknown, response?: unknown) => Error;
}

interface AxiosConfig {
  url?: string;
  baseURL?: string;
  method?: string;
  data?: unknown;
  headers?: { toJSON?(): Record<string, unknown> } & Record<string, unknown>;
  validateStatus?: ((status: number) => boolean) | null;
}

export type Answer = (req: ApiRequest, url: URL) => Promise<ApiAnswer>;

/**
 * Installs the adapter and returns its removal; undefined when the app's durable-functions or its axios
 * cannot be found (then the client keeps using HTTP, which works the same, only slower). Several hosts
 * in one process (tests) chain: each answers its own base and hands anything else on.
 */
export function installInProcessClient(appRoot: string, rpcBase: string, answer: Answer): (() => void) | undefined {
  let axios: AxiosModule;
  try {
    const fromApp = createRequire(join(appRoot, 'package.json'));
    const fromLibrary = createRequire(fromApp.resolve('durable-functions'));
    axios = fromLibrary('axios') as AxiosModule;
  } catch {
    return undefined;
  }
  if (typeof axios.getAdapter !== 'function' || !axios.defaults) return undefined;
  const previous = axios.defaults.adapter;
  const network = axios.getAdapter(previous);
  const adapter = async (config: AxiosConfig) => {
    const full =
      config.baseURL && config.url && !/^https?:/i.test(config.url) ? config.baseURL + config.url : config.url;
    if (!full || !full.startsWith(rpcBase)) return network(config);
    const url = new URL(full);
    const headers = lowerCase(config.headers?.toJSON ? config.headers.toJSON() : (config.headers ?? {}));
    const traceParent = headers.traceparent ?? invocationScope.getStore()?.traceParent;
    if (traceParent) headers.traceparent = traceParent;
    const body = bodyOf(config.data);
    const a = await answer({ method: (config.method ?? 'get').toUpperCase(), headers, body: async () => body }, url);
    const response = {
      data: a.payload,
      status: a.status,
      statusText: '',
      headers: a.headers,
      config,
      request: { path: url.pathname + url.search, inProcess: true },
    };
    if (config.validateStatus && !config.validateStatus(a.status))
      throw new axios.AxiosError(
        `Request failed with status code ${a.status}`,
        a.status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
        config,
        response.request,
        response,
      );
    return response;
  };
  axios.defaults.adapter = adapter;
  return () => {
    if (axios.defaults.adapter === adapter) axios.defaults.adapter = previous;
  };
}

function lowerCase(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined && v !== null && typeof v !== 'object' && typeof v !== 'function')
      out[k.toLowerCase()] = String(v);
  return out;
}

/** What axios would have sent: its request transform has made JSON text of an object already. */
function bodyOf(data: unknown): Buffer {
  if (data === undefined || data === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.from(JSON.stringify(data), 'utf8');
}
