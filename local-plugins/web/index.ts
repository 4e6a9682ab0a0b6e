// The web client plugin: serves the built single-page app (web/dist, from `npm run build:web`) at
// the root of the host's port, with the SPA fallback for client routes. It never answers the
// host's own paths — /api, /runtime, /.identity, /.payments, /.local, /_console, /.well-known —
// so a miss there stays the owner's 404 problem. MARQUEE_WEB_DIST points elsewhere if needed.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { sendProblem } from '../../local/core/http-server.js';
import type { HostPlugin } from '../../local/core/plugin.js';
import { staticSite } from './static.js';

const RESERVED = /^\/(api|runtime|\.identity|\.payments|\.local|_console|\.well-known)(\/|$)/i;

const WebSettingsSchema = z.object({ MARQUEE_WEB_DIST: z.string().min(1).optional() });

/** The repository root, from source (local-plugins/web) or compiled (dist/local-plugins/web) alike. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  if (existsSync(join(dir, 'web', 'package.json'))) return dir;
  // dist/local-plugins/web has no package.json of its own, but a stray one could sit above dist/.
  return resolve(__dirname, '..', '..', '..');
}

export const webPlugin: HostPlugin = {
  name: 'web',
  async start(host) {
    const parsed = WebSettingsSchema.safeParse(host.env);
    if (!parsed.success) throw new Error(`web: setting MARQUEE_WEB_DIST: ${parsed.error.issues[0]!.message}`);
    const root = resolve(parsed.data.MARQUEE_WEB_DIST ?? join(repoRoot(), 'web', 'dist'));
    const site = staticSite(root);
    const built = () => existsSync(join(root, 'index.html'));
    host.mount('/', (req, res, url) => {
      if (RESERVED.test(url.pathname)) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (!built()) {
        sendProblem(
          res,
          503,
          'Web client not built',
          `Run "npm run build:web" to build the web client into ${root}.`,
          'WEB_NOT_BUILT',
        );
        return true;
      }
      return site.serve(req, res, url);
    });
    host.announce(
      built()
        ? `Web client:         ${host.origin}/`
        : `Web client:         not built (${root} missing; run npm run build:web)`,
    );
  },
};
