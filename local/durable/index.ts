// Durable Functions on the local host (local/README.md, Plugins): the app's orchestrations are replayed
// through the durable-functions library itself, state lives in Azurite (history + instances tables
// per task hub), the Durable HTTP API serves the library's DurableClient, and an operator console
// reads that same API.
//
//   history.ts, actions.ts   the wire shapes the library reads and writes
//   replay.ts                one call into the library's orchestrator callback
//   episode.ts               one episode: deliver one event, replay, number and record new tasks
//   engine.ts, work.ts       episodes per instance, activities, timers, children
//   control.ts, recovery.ts  raise/terminate/suspend/resume/purge; restart after a crash
//   store.ts                 Azurite tables
//   http-api.ts, status.ts, client-binding.ts   the Durable HTTP API
//   console/index.html       the operator console (static, uses only the HTTP API)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLocalConfig } from '../config.js';
import { randomSecret } from '../core/data-dir.js';
import type { HostPlugin } from '../core/plugin.js';
import { clientPayload } from './client-binding.js';
import { Engine } from './engine.js';
import { answerApi, API_BASE, durableApi } from './http-api.js';
import { installInProcessClient } from './in-process-client.js';
import { recoverAll } from './recovery.js';
import { readSettings } from './settings.js';
import { DurableStore } from './store.js';

export const CONSOLE_PATH = '/_console/durable';

export const durablePlugin: HostPlugin = {
  name: 'durable',
  triggers: ['orchestrationTrigger', 'activityTrigger'],
  async start(host) {
    const settings = readSettings(host);
    const store = new DurableStore(host.storageConnectionString, settings.hub);
    const systemKey = host.keys.systemKey;
    const rpcToken = randomSecret();
    const payload = clientPayload(host.origin, settings.hub, systemKey, rpcToken);
    // Supplied before the store is ready (Azurite may still be starting after a crash): an HTTP
    // function served meanwhile gets its client, whose calls answer 503 HOST_STARTING until the API
    // is mounted below — a retryable fault for the app, not a missing input.
    host.invoker.provideInput('durableClient', () => payload);
    host.invoker.provideInput('orchestrationClient', () => payload);
    await store.init();
    const engine = new Engine(host, store, settings.timers);
    host.mount(API_BASE, durableApi(engine, { controlPlane: host.controlPlane, rpcToken, systemKey }));
    // The app's client calls from this process skip the socket (in-process-client.ts); until now they
    // went over HTTP and were answered 503 HOST_STARTING. MARQUEE_DURABLE_CLIENT_HTTP=true keeps HTTP.
    const base = `${API_BASE}/rpc/${rpcToken}`;
    const uninstall =
      host.env.MARQUEE_DURABLE_CLIENT_HTTP === 'true'
        ? undefined
        : installInProcessClient(host.appRoot, `${host.origin}${base}/`, (req, url) =>
            answerApi(engine, req, url, base, systemKey),
          );
    // The page holds no data: everything it shows comes from the API, with the key it was opened
    // with (?code=) or an operator's token it signs in for.
    const page = (await consolePage()).replace(
      '__OPERATOR_ROLE__',
      JSON.stringify(parseLocalConfig(host.env).MARQUEE_OPERATOR_ROLE),
    );
    host.mount(CONSOLE_PATH, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'content-security-policy':
          "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      });
      res.end(page);
    });
    const resumed = await recoverAll(engine);
    const orchestrations = host.registry.byTriggerType('orchestrationTrigger').length;
    const activities = host.registry.byTriggerType('activityTrigger').length;
    host.announce(
      `Durable: task hub ${settings.hub}, ${orchestrations} orchestrations, ${activities} activities${resumed ? `, ${resumed} instances resumed` : ''}`,
    );
    host.announce(`Durable API: ${host.origin}${API_BASE}/ (system or master key, x-functions-key or ?code=)`);
    host.announce(`Durable console: ${host.origin}${CONSOLE_PATH}/?code=${encodeURIComponent(systemKey)}`);
    return {
      stop: () => {
        uninstall?.();
        return engine.stop();
      },
    };
  },
};

/** The page sits beside the sources; the compiled plugin (dist/local/durable) looks there too. */
async function consolePage(): Promise<string> {
  const candidates = [
    join(__dirname, 'console', 'index.html'),
    join(__dirname, '..', '..', '..', 'local', 'durable', 'console', 'index.html'),
  ];
  for (const file of candidates) {
    try {
      return await readFile(file, 'utf8');
    } catch {
      // try the next location
    }
  }
  throw new Error('durable console: local/durable/console/index.html is missing');
}
