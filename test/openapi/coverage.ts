// Checks the OpenAPI document against what the app registers (test/deploy/contract.ts
// listRegistrations: the compiled app loaded the way the worker loads it): every HTTP function's
// route and methods are operations named after it, with the route's parameters, and the document
// describes nothing that is not registered. Problems come back as sentences.
import { pathOf } from '../../shared/http/openapi/document.js';
import type { Registration } from '../deploy/contract.js';

export interface OpenApiDoc {
  paths: Record<
    string,
    Record<string, { operationId?: string; 'x-marquee-function'?: string; parameters?: { in: string; name: string }[] }>
  >;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export interface HttpRoute {
  name: string;
  route: string;
  methods: string[];
}

/** The HTTP functions among the registrations: their route (the name when none is given) and methods. */
export function httpRoutes(regs: Registration[]): HttpRoute[] {
  return regs.flatMap((r) => {
    const trigger = Object.values(r.bindings).find((b) => b.type === 'httpTrigger');
    if (!trigger) return [];
    const methods = ((trigger.methods as string[] | undefined) ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).map((m) =>
      m.toLowerCase(),
    );
    return [{ name: r.name, route: (trigger.route as string | undefined) ?? r.name, methods }];
  });
}

const routeParams = (route: string) => [...pathOf(route).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();

export function coverageProblems(routes: HttpRoute[], doc: OpenApiDoc): string[] {
  const problems: string[] = [];
  const expected = new Set<string>();
  for (const { name, route, methods } of routes) {
    const path = pathOf(route);
    for (const method of methods) {
      expected.add(`${method} ${path}`);
      const op = doc.paths[path]?.[method];
      if (!op) {
        problems.push(`${name}: ${method.toUpperCase()} /api/${route} is not in the OpenAPI document`);
        continue;
      }
      const operationId = methods.length > 1 ? `${name}-${method}` : name;
      if (op.operationId !== operationId || op['x-marquee-function'] !== name)
        problems.push(
          `${method.toUpperCase()} ${path}: operationId ${op.operationId} of ${op['x-marquee-function']}, but the function is ${name}`,
        );
      const documented = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      if (documented.join() !== routeParams(route).join())
        problems.push(
          `${name}: path parameters ${documented.join(',') || 'none'}, the route has ${routeParams(route)}`,
        );
    }
  }
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
      if (!expected.has(`${method} ${path}`))
        problems.push(`${method.toUpperCase()} ${path} is documented but no function registers it`);
      const id = item[method]!.operationId ?? '';
      if (ids.has(id)) problems.push(`operationId ${id} is used twice`);
      ids.add(id);
    }
  return problems;
}
