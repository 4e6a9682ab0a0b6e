// The API describes itself: GET /api/openapi.json (the OpenAPI 3.1 document generated from the
// handlers' zod schemas, shared/http/openapi/document.ts) and the reference page GET /api/docs with
// its files under /api/docs-assets/. Anonymous and cacheable; the document is built once per instance.
import { app } from '@azure/functions';
import { handle } from '../shared/http/handler.js';
import { cacheable, etagOf, matchesIfNoneMatch } from '../shared/http/caching.js';
import { parseParams } from '../shared/http/validate.js';
import { notFound } from '../shared/errors.js';
import { buildOpenApiDocument } from '../shared/http/openapi/document.js';
import { DocsAssetParamsSchema } from '../shared/http/openapi/docs-operations.js';
import { REFERENCE_PAGE_CSP, referenceAsset, referencePage } from '../shared/http/openapi/reference-page.js';

let documentBody: string | undefined;

app.http('openapi-document', {
  route: 'openapi.json',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle((req) => {
    documentBody ??= JSON.stringify(buildOpenApiDocument());
    return cacheable(req, documentBody, { cacheControl: 'public, max-age=300' });
  }),
});

app.http('api-docs', {
  route: 'docs',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle((req) => {
    const page = referencePage();
    const answer = cacheable(req, page.body as string, {
      cacheControl: 'public, max-age=300',
      contentType: page.contentType,
    });
    return {
      ...answer,
      headers: {
        ...(answer.headers as Record<string, string>),
        'content-security-policy': REFERENCE_PAGE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
    };
  }),
});

app.http('api-docs-asset', {
  route: 'docs-assets/{*asset}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle((req) => {
    const { asset } = parseParams(req, DocsAssetParamsSchema);
    const file = referenceAsset(asset);
    if (!file) throw notFound(`The file ${asset}`);
    // Bytes as they are (the icon is binary); ETag per file, so a new package version is fetched again.
    const etag = etagOf(file.body);
    const headers = { etag, 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' };
    if (matchesIfNoneMatch(req, etag)) return { status: 304, headers };
    return { status: 200, headers: { ...headers, 'content-type': file.contentType }, body: file.body };
  }),
});
