// Every emulated service, in start order (STYLE rule 2). Each folder under local/ is one plugin.
import type { HostPlugin } from './core/plugin.js';
import { webPubSubPlugin } from './web-pubsub/index.js';

export const plugins: HostPlugin[] = [
  webPubSubPlugin,
];
