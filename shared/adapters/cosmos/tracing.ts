// One span per Cosmos DB operation (docs/telemetry.md), as an SDK operation plugin (client.ts), so
// every store's calls are covered, the SDK's own retries inside it. Only inside a traced operation
// (an invocation, a saga step): start-up seeding and background polls would each be a lone trace.
// Off, it is one function call and one boolean test.
import { telemetry } from '../../telemetry/port.js';

interface OperationContext {
  path?: string;
  operationType?: string;
  resourceType?: string;
}

export const tracingPlugin = {
  on: 'operation' as const,
  plugin: <T>(context: unknown, _diagnostics: unknown, next: (context: unknown) => Promise<T>): Promise<T> => {
    const t = telemetry();
    if (!t.enabled || !t.inTrace()) return next(context);
    const c = context as OperationContext;
    // Paths look like dbs/<db>/colls/<container>/docs/<id>.
    const path = (c.path ?? '').split('/');
    const at = (segment: string) => {
      const i = path.indexOf(segment);
      return i >= 0 ? path[i + 1] : undefined;
    };
    const container = at('colls');
    const operation = c.operationType ?? 'operation';
    return t
      .span(
        `cosmos ${operation} ${container ?? c.resourceType ?? ''}`.trim(),
        {
          'db.operation.name': operation,
          'db.collection.name': container,
          'db.namespace': at('dbs'),
          'cosmos.resource_type': c.resourceType,
        },
        // An answer the stores expect and handle (not found, conflict, precondition failed) is
        // an outcome, not a failed call: the span records its status code and ends as OK.
        () =>
          next(context).then(
            (value) => ({ value }),
            (err: unknown) => {
              const status = (err as { code?: unknown })?.code;
              if (typeof status !== 'number' || !EXPECTED.has(status)) throw err;
              t.annotate({ 'db.response.status_code': String(status) });
              return { err };
            },
          ),
        'cosmos',
      )
      .then((r) => {
        if ('err' in r) throw r.err;
        return r.value;
      });
  },
};

const EXPECTED = new Set([404, 409, 412]);
