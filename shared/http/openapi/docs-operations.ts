// The API's description of itself (functions/openapi.ts): the OpenAPI document and the reference
// page that renders it, with the page's script and style files from the installed swagger-ui-dist.
import { z } from 'zod';
import { anonymous, type ApiOperation } from './operation.js';

export const DocsAssetParamsSchema = z.object({
  asset: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]*\.(js|css|png|map)$/, 'a file of the reference page')
    .meta({ example: 'swagger-ui-bundle.js' }),
});

export const docsOperations: ApiOperation[] = [
  {
    name: 'openapi-document',
    method: 'get',
    route: 'openapi.json',
    tag: 'API',
    summary: 'This OpenAPI 3.1 document',
    description: 'Generated from the zod schemas the handlers validate with; API Management imports it.',
    access: anonymous(),
    responses: {
      200: {
        description: 'The document',
        schema: z.record(z.string(), z.unknown()),
        headers: { ETag: 'Version of the document', 'Cache-Control': 'public, max-age=300' },
      },
      304: { description: 'Not modified' },
    },
    problems: [],
    publicMaxAge: 300,
  },
  {
    name: 'api-docs',
    method: 'get',
    route: 'docs',
    tag: 'API',
    summary: 'The API reference page',
    access: anonymous(),
    responses: { 200: { description: 'An HTML page rendering the document', contentType: 'text/html' } },
    problems: [],
    publicMaxAge: 300,
  },
  {
    name: 'api-docs-asset',
    method: 'get',
    route: 'docs-assets/{*asset}',
    tag: 'API',
    summary: 'A script or style file of the reference page',
    access: anonymous(),
    params: DocsAssetParamsSchema,
    responses: {
      200: {
        description: 'The file (from the installed swagger-ui-dist package)',
        contentType: 'application/octet-stream',
      },
    },
    problems: ['NOT_FOUND'],
    publicMaxAge: 86_400,
  },
];
