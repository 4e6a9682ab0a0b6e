// Binding expressions in storage binding options, as the real host resolves them per invocation:
// `%Setting%` from app settings, then `{name}` from the trigger's binding data — its metadata
// (`{queueTrigger}`, `{name}` of a blob path, `{id}` of a message), the top-level properties of a
// JSON payload, an HTTP request's route parameters and `{Query.x}` — plus `{rand-guid}`,
// `{DateTime}`, `{sys.randGuid}` and `{sys.utcNow}`. Names compare case-insensitively; a name with
// no value fails the invocation, as the real host's "No value for named parameter".
import { randomUUID } from 'node:crypto';
import { resolvePlaceholders } from '../core/placeholders.js';

export type BindingData = Record<string, unknown>;

/** The binding data of one invocation, from the trigger's value and metadata. */
export function bindingData(triggerValue: unknown, metadata: Record<string, unknown> | undefined): BindingData {
  const data: BindingData = { ...metadata };
  const request = asHttpRequest(triggerValue);
  if (request) {
    Object.assign(data, request.params);
    data.Query = Object.fromEntries(request.query.entries());
    // As the extensions do: on a name conflict, the payload's property wins over the built-in
    // metadata (a message `{"id": …}` names `{id}`, not the message id).
  } else if (isPlainObject(triggerValue)) Object.assign(data, triggerValue);
  return data;
}

/** Resolves one option (a path, a partition key, a filter) against the invocation's binding data. */
export function resolveExpression(raw: string, data: BindingData, env: NodeJS.ProcessEnv): string {
  const settled = resolvePlaceholders(raw, env);
  const now = new Date();
  return settled.replace(/\{([^{}]+)\}/g, (_, expr: string) => {
    const name = expr.trim();
    const lower = name.toLowerCase();
    if (lower === 'rand-guid' || lower === 'sys.randguid') return randomUUID();
    if (lower === 'datetime' || lower === 'sys.utcnow') return now.toISOString();
    const value = lookup(data, name.split('.'));
    if (value === undefined || value === null)
      throw new Error(`No value for named parameter '${name}' (binding expression in "${raw}")`);
    return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
  });
}

function lookup(data: unknown, path: string[]): unknown {
  let current = data;
  for (const part of path) {
    if (!isPlainObject(current)) return undefined;
    const key = Object.keys(current).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : current[key];
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

interface RequestLike {
  params: Record<string, string>;
  query: URLSearchParams;
}

function asHttpRequest(value: unknown): RequestLike | undefined {
  const v = value as Partial<RequestLike> | null;
  return v && typeof v === 'object' && v.query instanceof URLSearchParams && typeof v.params === 'object'
    ? (v as RequestLike)
    : undefined;
}
