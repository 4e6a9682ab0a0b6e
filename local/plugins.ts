// The plugins the host knows (local/README.md, Plugins). The core ones serve the bindings any app
// can register and always start; the optional ones are emulators of services an app's own code
// calls, started when the app lists them by name in its local.host.json (core/app-config.ts), where
// it also lists plugins of its own (a module path). Start order: core `beforeApp`, the app's
// `beforeApp` in its order, the app, the other core ones, the app's others in its order.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { AppConfig } from './core/app-config.js';
import type { HostPlugin } from './core/plugin.js';
import { httpPlugin } from './http/index.js';
import { webPubSubPlugin } from './web-pubsub/index.js';
import { communicationPlugin } from './communication/index.js';
import { durablePlugin } from './durable/index.js';
import { serviceBusPlugin } from './service-bus/index.js';
import { storagePlugin } from './storage/index.js';
import { changeFeedPlugin } from './change-feed/index.js';
import { timerPlugin } from './timer/index.js';
import { telemetryPlugin } from './telemetry/index.js';

export const corePlugins: HostPlugin[] = [
  // First: the app's OpenTelemetry SDK reads the settings it supplies when the app loads.
  telemetryPlugin,
  httpPlugin,
  durablePlugin,
  // Service Bus and storage before the timers: a runOnStartup timer may already write their outputs.
  serviceBusPlugin,
  storagePlugin,
  changeFeedPlugin,
  timerPlugin,
];

export const optionalPlugins: Record<string, HostPlugin> = {
  'web-pubsub': webPubSubPlugin,
  communication: communicationPlugin,
};

/** The app's plugins from its local.host.json, in its order. */
export function appPlugins(config: AppConfig, appRoot: string): HostPlugin[] {
  const load = createRequire(resolve(appRoot, 'package.json'));
  return config.plugins.flatMap((entry): HostPlugin[] => {
    const builtIn = optionalPlugins[entry];
    if (builtIn) return [builtIn];
    if (!/^\.\.?\//.test(entry))
      throw new Error(
        `local.host.json: plugin "${entry}" is neither a built-in one (${Object.keys(optionalPlugins).join(', ')}) nor a path starting with ./`,
      );
    const mod = load(resolve(appRoot, entry)) as { plugins?: HostPlugin[]; plugin?: HostPlugin; default?: HostPlugin };
    const found = mod.plugins ?? (mod.plugin ? [mod.plugin] : mod.default ? [mod.default] : undefined);
    if (!found?.length || !found.every((p) => typeof p?.start === 'function'))
      throw new Error(`local.host.json: ${entry} exports no plugin (\`plugins\`, \`plugin\` or a default)`);
    return found;
  });
}
