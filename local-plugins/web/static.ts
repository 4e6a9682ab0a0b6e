// A small static file server for the built client (web/dist): content types, ETag/304, long
// immutable caching for Vite's hashed assets and no-cache for index.html, precompressed .br/.gz
// variants chosen by Accept-Encoding, and the single-page-app fallback — an unknown path without a
// file extension is a client route, answered with index.html. Like Azure Static Web Apps, it adds
// the `globalHeaders` of the site's own staticwebapp.config.json to every answer (the security
// headers: CSP, frame-ancestors, Referrer-Policy, Permissions-Policy), so the policy the site ships
// with is the one tested locally.
import { createReadStream, existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface StaticSite {
  root: string;
  /** Serves the request; false when the path names nothing and is not a client route. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

/** The site's staticwebapp.config.json `globalHeaders`, re-read when the file changes (a rebuild). */
function globalHeaders(root: string): () => Record<string, string> {
  const path = join(root, 'staticwebapp.config.json');
  let seen = -1;
  let headers: Record<string, string> = {};
  return () => {
    let mtime: number;
    try {
      mtime = statSync(path).mtimeMs;
    } catch {
      return (headers = {});
    }
    if (mtime !== seen) {
      seen = mtime;
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as { globalHeaders?: Record<string, unknown> };
        headers = Object.fromEntries(
          Object.entries(parsed.globalHeaders ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
        );
      } catch {
        headers = {};
      }
    }
    return headers;
  };
}

export function staticSite(root: string): StaticSite {
  const extraHeaders = globalHeaders(root);
  const file = (rel: string): { path: string; stat: Stats } | undefined => {
    const path = normalize(join(root, rel));
    if (path !== root && !path.startsWith(root + sep)) return undefined; // ../ escapes
    try {
      const stat = statSync(path);
      return stat.isFile() ? { path, stat } : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    root,
    serve(req, res, url) {
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname);
      } catch {
        return false;
      }
      if (rel.includes('\0')) return false;
      let found = rel.endsWith('/') ? file(join(rel, 'index.html')) : file(rel);
      let spa = false;
      if (!found && !extname(rel)) {
        found = file('index.html');
        spa = true;
      }
      if (!found) return false;
      const isIndex = spa || found.path.endsWith(`${sep}index.html`);
      const cache = isIndex ? 'no-cache' : /[\\/]assets[\\/]/.test(found.path) ? IMMUTABLE : 'public, max-age=3600';
      send(req, res, found.path, found.stat, cache, extraHeaders());
      return true;
    },
  };
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  stat: Stats,
  cacheControl: string,
  extra: Record<string, string>,
): void {
  const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const accept = String(req.headers['accept-encoding'] ?? '');
  let body = path;
  let size = stat.size;
  let encoding: string | undefined;
  for (const [enc, ext] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (!new RegExp(`\\b${enc}\\b`).test(accept)) continue;
    if (existsSync(path + ext)) {
      body = path + ext;
      size = statSync(body).size;
      encoding = enc;
      break;
    }
  }
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    ...extra,
    'content-type': type,
    'cache-control': cacheControl,
    etag,
    'last-modified': stat.mtime.toUTCString(),
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (encoding) headers['content-encoding'] = encoding;
  headers['content-length'] = size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(body)
    .on('error', () => res.destroy())
    .pipe(res);
}
