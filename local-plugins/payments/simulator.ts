// The payment simulator as a raw handler, independent of the host so a test can mount it on a
// plain node:http server: the REST API under <base>/v1, the checkout page under
// <base>/checkout/{id}, and the webhook sender. State is in memory, journaled to a file when given
// one (see store.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendProblem } from '../../local/core/http-server.js';
import { Faults } from '../../local/core/faults.js';
import type { RawHandler } from '../../local/core/plugin.js';
import { serveApi, type ApiContext } from './api.js';
import { serveCheckout } from './checkout.js';
import { ledger } from './ledger.js';
import { behaviourFrom, type Behaviour, type SimulatorSettings } from './settings.js';
import { SimulatorStore } from './store.js';
import { WebhookSender } from './webhooks.js';

export interface PaymentsSimulatorOptions {
  settings: SimulatorSettings;
  /** Public base URL, e.g. http://127.0.0.1:7071/.payments (its path is where the handler answers). */
  baseUrl: string;
  warn?: (message: string) => void;
  now?: () => number;
  /** Provider errors, latency, outages and webhook faults for chaos runs (the host's; none by default). */
  faults?: Faults;
  /** The store's journal file; in memory only without one. */
  journal?: string;
}

export interface PaymentsSimulator {
  handler: RawHandler;
  store: SimulatorStore;
  sender: WebhookSender;
  /** The global behaviour (from settings); tests may change it between cases. */
  behaviour: Behaviour;
  stop(): Promise<void>;
}

export function createPaymentsSimulator(options: PaymentsSimulatorOptions): PaymentsSimulator {
  const { settings } = options;
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const faults = options.faults ?? Faults.off();
  const store = new SimulatorStore(now, options.journal);
  const sender = new WebhookSender({
    url: settings.PAYMENTS_WEBHOOK_URL,
    secret: settings.PAYMENTS_WEBHOOK_SECRET,
    retries: settings.MARQUEE_PAYMENTS_WEBHOOK_RETRIES,
    retryBaseMs: settings.MARQUEE_PAYMENTS_WEBHOOK_RETRY_BASE_MS,
    warn,
    faults,
  });
  const delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const sim: PaymentsSimulator = {
    handler,
    store,
    sender,
    behaviour: behaviourFrom(settings),
    async stop() {
      sender.stop();
      store.close();
      for (const d of delays) {
        clearTimeout(d.timer);
        d.resolve();
      }
      delays.clear();
    },
  };
  const ctx = {
    store,
    apiKey: settings.PAYMENTS_API_KEY,
    baseUrl,
    behaviour: () => sim.behaviour,
    sessionTtlSeconds: settings.MARQUEE_PAYMENTS_SESSION_TTL_SECONDS,
    now,
    sender,
  } satisfies ApiContext & { sender: WebhookSender };

  /** A slow or hanging provider: the answer waits (released early when the simulator stops). */
  const apiDelay = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => (delays.delete(entry), resolve()), ms),
        resolve,
      };
      delays.add(entry);
    });

  async function handler(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.toLowerCase().startsWith(basePath.toLowerCase())) return false;
    const rest = url.pathname.slice(basePath.length) || '/';
    const checkout = /^\/checkout\/([A-Za-z0-9_-]+)\/?$/.exec(rest);
    if (checkout) {
      await serveCheckout(ctx, req, res, url, checkout[1]!);
      return true;
    }
    if (rest === '/' && req.method === 'GET') {
      sendJson(res, 200, {
        name: 'Marquee payments simulator',
        api: `${baseUrl}/v1`,
        checkout: `${baseUrl}/checkout/{sessionId}`,
        webhookUrl: settings.PAYMENTS_WEBHOOK_URL,
        behaviour: sim.behaviour,
      });
      return true;
    }
    if (rest === '/v1/_simulator/deliveries' && req.method === 'GET') {
      sendJson(res, 200, { deliveries: sender.deliveries });
      return true;
    }
    if (rest === '/v1/_simulator/ledger' && req.method === 'GET') {
      sendJson(res, 200, ledger(store));
      return true;
    }
    if (settings.MARQUEE_PAYMENTS_API_DELAY_MS > 0 && rest.startsWith('/v1/'))
      await apiDelay(settings.MARQUEE_PAYMENTS_API_DELAY_MS);
    if (rest.startsWith('/v1/') && (await injectFault(res))) return true;
    if (res.destroyed) return true;
    if (await serveApi(ctx, req, res, rest + url.search)) return true;
    sendProblem(res, 404, 'Not Found', `The payment simulator serves nothing at ${url.pathname}.`, 'NOT_FOUND');
    return true;
  }

  /** Chaos faults on the provider's API: an outage window, latency, or an error before any processing. */
  async function injectFault(res: ServerResponse): Promise<boolean> {
    if (faults.paymentsOut()) {
      sendProblem(
        res,
        503,
        'Service Unavailable',
        'The provider is down (injected outage).',
        'PROVIDER_UNAVAILABLE',
        {},
        { 'retry-after': '1' },
      );
      return true;
    }
    if (faults.roll('payments.latency'))
      await apiDelay(Math.floor(faults.uniform('payments.latency') * faults.settings.LOCAL_FAULTS_PAYMENTS_LATENCY_MS));
    if (faults.roll('payments.error')) {
      const status = faults.uniform('payments.error') < 0.5 ? 500 : 503;
      sendProblem(res, status, 'Provider Error', 'Injected provider error; nothing was processed.', 'PROVIDER_ERROR');
      return true;
    }
    return false;
  }

  return sim;
}
