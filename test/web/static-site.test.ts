// The web plugin's file serving (local-plugins/web/static.ts) over real HTTP on a temporary build folder:
// content types, caching by kind, precompressed variants, 304, the SPA fallback, and no escape
// from the folder.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE, staticSite } from '../../local-plugins/web/static.js';

let dir: string;
let server: Server;
let origin: string;
const js = 'console.log("marquee");'.repeat(100);

beforeAll(async () => {
  const top = mkdtempSync(join(tmpdir(), 'marquee-web-'));
  writeFileSync(join(top, 'secret.txt'), 'outside the site');
  dir = join(top, 'site');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Marquee</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), js);
  writeFileSync(join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync(js));
  writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(js));
  writeFileSync(join(dir, 'assets', 'app-1.css'), 'body{}');
  writeFileSync(join(dir, 'robots.txt'), 'User-agent: *');
  // The repository's own Static Web Apps configuration, as the build copies it into web/dist.
  copyFileSync(
    join(__dirname, '..', '..', 'web', 'public', 'staticwebapp.config.json'),
    join(dir, 'staticwebapp.config.json'),
  );
  const site = staticSite(dir);
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!site.serve(req, res, url)) {
      res.writeHead(404);
      res.end('miss');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as { port: number };
  origin = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('the web client file server', () => {
  it("adds the site's security headers to every answer: a CSP without inline script that forbids framing, and the rest", async () => {
    for (const path of ['/', '/movies/mov-1', '/assets/index-abc123.js']) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('serves hashed assets for a year, brotli or gzip as the client accepts, and the raw file otherwise', async () => {
    const br = await fetch(`${origin}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(br.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('accept-encoding');
    expect(await br.text()).toBe(js); // fetch decodes it
    const gz = await fetch(`${origin}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const css = await fetch(`${origin}/assets/app-1.css`, { headers: { 'accept-encoding': 'br' } });
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('content-encoding')).toBeNull();
  });

  it('answers index.html with no-cache for the root and for client routes, and 304 on a matching ETag', async () => {
    for (const path of ['/', '/shows/shw-1', '/bookings/bk_x?status=paid', '/me/bookings']) {
      const r = await fetch(origin + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(await r.text()).toContain('<title>Marquee</title>');
    }
    const first = await fetch(`${origin}/`);
    const again = await fetch(`${origin}/`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('does not invent files: a missing asset or image is a miss, and ../ cannot leave the folder', async () => {
    expect((await fetch(`${origin}/posters/mov-001.jpg`)).status).toBe(404);
    expect((await fetch(`${origin}/assets/gone-123.js`)).status).toBe(404);
    expect((await fetch(`${origin}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${origin}/assets/..%2f..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${origin}/robots.txt`)).headers.get('cache-control')).toBe('public, max-age=3600');
  });
});
