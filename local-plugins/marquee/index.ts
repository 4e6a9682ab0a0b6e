// Marquee's own plugins for the local host, listed by the repository's local.host.json: Marquee's
// settings (checked with its schema, shared/config.ts, and filled where the host's services stand in
// for Azure's), the dev identity provider, the payment simulator and the web client. The host in
// local/ knows none of them (local/README.md, The app's local.host.json).
import type { HostPlugin } from '../../local/core/plugin.js';
import { identityPlugin } from '../identity/index.js';
import { paymentsPlugin } from '../payments/index.js';
import { webPlugin } from '../web/index.js';
import { marqueeSettingsPlugin } from './settings.js';

export const plugins: HostPlugin[] = [marqueeSettingsPlugin, identityPlugin, paymentsPlugin, webPlugin];
