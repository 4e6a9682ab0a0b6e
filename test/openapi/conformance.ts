// Checks observed HTTP answers against the OpenAPI document (test/openapi/journey.test.ts): the
// operation is found by method and path, the status must be documented for it, and the body must
// validate (Ajv, JSON Schema 2020-12, formats checked) against the schema of that status and
// content type — success bodies and problem+json alike. Problems come back as sentences.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface Observation {
  method: string;
  /** The URL's pathname, e.g. /api/shows/shw-1/seats. */
  path: string;
  status: number;
  contentType: string | null;
  body: string;
}

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, unknown> }>;
}
export interface Document {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class Conformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: { regex: RegExp; path: string }[];
  private readonly base: string;

  constructor(private readonly doc: Document) {
    addFormats.default(this.ajv);
    // The whole document as one schema resource, so every $ref (#/components/schemas/…) resolves.
    this.ajv.addSchema(doc as object, 'openapi.json');
    this.base = doc.servers?.[0]?.url ?? '';
    this.routes = Object.keys(doc.paths).map((path) => ({
      path,
      regex: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  /** The operation answering `method path`, literal segments first (/shows/x/seats before /shows/{id}). */
  operationOf(method: string, path: string): { path: string; op: Operation } | undefined {
    const local = path.startsWith(this.base) ? path.slice(this.base.length) : path;
    const candidates = this.routes
      .filter((r) => r.regex.test(local) && this.doc.paths[r.path]![method.toLowerCase()])
      .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
    const found = candidates[0];
    return found ? { path: found.path, op: this.doc.paths[found.path]![method.toLowerCase()]! } : undefined;
  }

  check(o: Observation): string[] {
    const where = `${o.method} ${o.path} → ${o.status}`;
    const found = this.operationOf(o.method, o.path);
    if (!found) return [`${where}: no operation in the document`];
    const response = found.op.responses[String(o.status)];
    if (!response) return [`${where}: status ${o.status} is not documented for ${found.op.operationId}`];
    if (!response.content) return o.body ? [`${where}: a body where the document says none`] : [];
    const type = (o.contentType ?? '').split(';')[0]!.trim();
    if (!(type in response.content))
      return [`${where}: content type ${type || 'none'}, documented ${Object.keys(response.content).join(', ')}`];
    if (!type.includes('json')) return [];
    const ref = `openapi.json#/${pointer('paths', found.path, o.method.toLowerCase(), 'responses', String(o.status), 'content', type, 'schema')}`;
    let validate = this.compiled.get(ref);
    if (!validate) this.compiled.set(ref, (validate = this.ajv.compile({ $ref: ref })));
    let body: unknown;
    try {
      body = JSON.parse(o.body);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    if (validate(body)) return [];
    return [
      `${where} (${found.op.operationId}): ${this.ajv.errorsText(validate.errors, { separator: '; ' })} in ${o.body.slice(0, 300)}`,
    ];
  }
}

/**
 * Records every answer from `origin` + /api/ that passes through global fetch while installed (the
 * e2e helpers use fetch), leaving the answer itself untouched for the caller.
 */
export function recordApiAnswers(origin: string): { observed: Observation[]; uninstall(): void } {
  const original = globalThis.fetch;
  const observed: Observation[] = [];
  globalThis.fetch = async (input, init) => {
    const res = await original(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    // A followed redirect ends elsewhere (the payment link → the provider's page): not our answer.
    if (
      !res.redirected &&
      url.origin === origin &&
      url.pathname.startsWith('/api/') &&
      !url.pathname.startsWith('/api/_test/')
    ) {
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      observed.push({
        method,
        path: url.pathname,
        status: res.status,
        contentType: res.headers.get('content-type'),
        body: await res.clone().text(),
      });
    }
    return res;
  };
  return { observed, uninstall: () => void (globalThis.fetch = original) };
}
