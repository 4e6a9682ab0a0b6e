// Every emulated service, in start order (local/README.md, Plugins). Each folder under local/ is one plugin.
import type { HostPlugin } from './core/plugin.js';
import { httpPlugin } from './http/index.js';
import { identityPlugin } from './identity/index.js';
import { webPubSubPlugin } from './web-pubsub/index.js';
import { communicationPlugin } from './communication/index.js';
import { durablePlugin } from './durable/index.js';
import { serviceBusPlugin } from './service-bus/index.js';
import { changeFeedPlugin } from './change-feed/index.js';
import { timerPlugin } from './timer/index.js';
import { paymentsPlugin } from './payments/index.js';
import { webPlugin } from './web/index.js';
import { telemetryPlugin } from './telemetry/index.js';

export const plugins: HostPlugin[] = [
  // First: the app's OpenTelemetry SDK reads the settings it supplies when the app loads.
  telemetryPlugin,
  httpPlugin,
  identityPlugin,
  webPubSubPlugin,
  communicationPlugin,
  durablePlugin,
  // Service Bus before the timers: a runOnStartup timer may already write a serviceBus output.
  serviceBusPlugin,
  changeFeedPlugin,
  timerPlugin,
  paymentsPlugin,
  webPlugin,
];
