// The simulated payment provider (local/README.md, Plugins): the provider's REST API,
// a checkout page and signed webhooks, at <origin>/.payments. The local host supplies
// PAYMENTS_BASE_URL, PAYMENTS_API_KEY and PAYMENTS_WEBHOOK_SECRET (random per start) when unset,
// and the webhook goes to PAYMENTS_WEBHOOK_URL (default <origin>/<routePrefix>/payments/webhook).
// Behaviour switches: MARQUEE_PAYMENTS_* in settings.ts. State is journaled in the data folder
// (payments/journal.ndjson), so a restart keeps every session and payment.
import { join } from 'node:path';
import type { HostPlugin } from '../../local/core/plugin.js';
import { SimulatorSettingsSchema } from './settings.js';
import { createPaymentsSimulator } from './simulator.js';

export const paymentsPlugin: HostPlugin = {
  name: 'payments',
  async start(host) {
    const base = `${host.origin}/.payments`;
    if (host.env.PAYMENTS_BASE_URL !== base) {
      host.announce(`Payments: provider at ${host.env.PAYMENTS_BASE_URL} (simulator not started)`);
      return;
    }
    const prefix = host.hostJson.routePrefix ? `/${host.hostJson.routePrefix.replace(/^\/+|\/+$/g, '')}` : '';
    host.env.PAYMENTS_WEBHOOK_URL ??= `${host.origin}${prefix}/payments/webhook`;
    const parsed = SimulatorSettingsSchema.safeParse(host.env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`payments simulator: setting ${issue.path.join('.')}: ${issue.message}`);
    }
    const folder = host.data.folder('payments');
    const sim = createPaymentsSimulator({
      settings: parsed.data,
      baseUrl: base,
      warn: (m) => host.log.warn('%s', m),
      faults: host.faults,
      journal: folder && join(folder, 'journal.ndjson'),
    });
    // The simulator's own admin routes are the host's control plane: master key only.
    host.mount('/.payments', async (req, res, url) => {
      if (/^\/\.payments\/v1\/_simulator(\/|$)/i.test(url.pathname)) {
        if (!(await host.controlPlane.admit(req, res, url, { key: 'admin' }))) return;
      }
      return sim.handler(req, res, url);
    });
    host.announce(`Payments simulator: ${base}/checkout/{sessionId} (webhooks to ${parsed.data.PAYMENTS_WEBHOOK_URL})`);
    return { stop: () => sim.stop() };
  },
};
