// The OpenAPI document (docs/api.md): valid OpenAPI 3.1, covering exactly the HTTP functions the app
// registers (derived from the registrations, like the deploy contract), and the copy API Management
// imports (infra/terraform/openapi.json) is the one the code generates. Needs the compiled app.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from '@scalar/openapi-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/http/openapi/document.js';
import { listRegistrations } from '../deploy/contract.js';
import { coverageProblems, httpRoutes, type HttpRoute, type OpenApiDoc } from './coverage.js';

const repoRoot = resolve(__dirname, '..', '..');
const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as OpenApiDoc & Record<string, unknown>;
let routes: HttpRoute[];

beforeAll(() => {
  routes = httpRoutes(listRegistrations(repoRoot, {}));
});

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
  });

  it('describes every registered HTTP function, and nothing else', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(coverageProblems(routes, document)).toEqual([]);
  });

  it('gives every operation its problem answers as problem+json, and the security its access needs', () => {
    for (const [path, item] of Object.entries(document.paths))
      for (const [method, op] of Object.entries(item) as [string, Record<string, unknown>][]) {
        const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
        const errors = Object.keys(responses).filter((s) => Number(s) >= 400);
        expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const s of errors)
          expect(Object.keys(responses[s]!.content!), `${method} ${path} ${s}`).toEqual(['application/problem+json']);
        const access = op['x-marquee-access'] as string;
        const security = op.security as Record<string, string[]>[];
        if (access === 'anonymous') expect(security).toEqual([]);
        else expect(security.some((r) => 'bearer' in r)).toBe(true);
        if (access.startsWith('roles:')) {
          expect(security).toEqual([{ bearer: access.slice(6).split(',') }]);
          expect(responses['403']).toBeDefined();
        }
        if (access !== 'anonymous') expect(responses['401']).toBeDefined();
      }
  });

  it('is the copy API Management imports (regenerate it with npm run openapi:export)', () => {
    const committed = JSON.parse(readFileSync(resolve(repoRoot, 'infra/terraform/openapi.json'), 'utf8')) as unknown;
    expect(committed).toEqual(document);
  });
});

describe('the coverage check fails when it should', () => {
  it('names a registered function the document leaves out, and an operation nothing registers', () => {
    const without = structuredClone(document);
    delete without.paths['/shows/{showId}/seats']!.get;
    expect(coverageProblems(routes, without)).toEqual([
      'show-seats: GET /api/shows/{showId}/seats is not in the OpenAPI document',
    ]);
    const extra = [...routes.filter((r) => r.name !== 'tickets-verify')];
    expect(coverageProblems(extra, document)).toEqual([
      'POST /tickets/verify is documented but no function registers it',
    ]);
  });
});
