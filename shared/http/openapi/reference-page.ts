// The API reference page at /api/docs: Swagger UI from the installed swagger-ui-dist package (no
// CDN), started by a script file of our own rather than an inline one, so the page runs under a
// Content-Security-Policy without 'unsafe-inline' scripts. Only the files the page needs are served.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Relative links: the page works wherever /api is mounted (the app, the local host, API Management). */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Marquee API reference</title>
<link rel="stylesheet" href="docs-assets/swagger-ui.css">
<link rel="icon" type="image/png" href="docs-assets/favicon-32x32.png">
</head>
<body>
<div id="api-reference"></div>
<script src="docs-assets/swagger-ui-bundle.js"></script>
<script src="docs-assets/marquee-docs.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', document.baseURI).href,
  dom_id: '#api-reference',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  tryItOutEnabled: false,
  persistAuthorization: false,
});
`;

/** Scripts and styles from this origin only; Swagger UI sets element styles and loads data: images. */
export const REFERENCE_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PACKAGE_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

export interface StaticFile {
  body: string | Buffer;
  contentType: string;
}

export const referencePage = (): StaticFile => ({ body: PAGE, contentType: 'text/html; charset=utf-8' });

const loaded = new Map<string, StaticFile>();

/** A file of the page, or undefined for any other name (no path is ever built from the request). */
export function referenceAsset(name: string): StaticFile | undefined {
  if (name === 'marquee-docs.js') return { body: INIT, contentType: 'text/javascript; charset=utf-8' };
  const contentType = PACKAGE_FILES[name];
  if (!contentType) return undefined;
  let file = loaded.get(name);
  if (!file) {
    const root = dirname(require.resolve('swagger-ui-dist/package.json'));
    file = { body: readFileSync(join(root, name)), contentType };
    loaded.set(name, file);
  }
  return file;
}
