// Zod at the edge, once: a bad body, query or route value becomes one 400 that names
// every bad field ("body.seatIds", "query.date"), never a 500.
import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { invalidInput, UserError, type FieldError } from '../errors.js';

type Source = 'body' | 'query' | 'params' | 'headers';

/**
 * An id that names a stored document, in a route, a query or a body: checked here, before any
 * lookup, because Cosmos DB refuses '/', '\\', '?' and '#' in ids and a point read carries the id
 * in its URL path. The ids this app issues are letters, digits and '-', '_', '.', ':', '~'.
 */
export const documentId = z
  .string()
  .min(1, 'required')
  .max(128, 'at most 128 characters')
  .regex(/^[A-Za-z0-9][\w.:~-]*$/, "letters, digits, '-', '_', '.', ':' or '~', starting with a letter or digit");

function fieldErrors(source: Source, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: [source, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, source: Source): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(source, result.error);
  throw invalidInput(`Invalid ${source}: ${errors.map((e) => `${e.field} (${e.message})`).join('; ')}`, errors);
}

export function parseQuery<S extends z.ZodType>(req: HttpRequest, schema: S): z.infer<S> {
  return parseWith(schema, Object.fromEntries(req.query.entries()), 'query');
}

export function parseParams<S extends z.ZodType>(req: HttpRequest, schema: S): z.infer<S> {
  return parseWith(schema, req.params, 'params');
}

/** Reads a JSON body (415 for another content type, 400 for malformed JSON) and validates it. */
export async function parseBody<S extends z.ZodType>(
  req: HttpRequest,
  schema: S,
  maxBytes = 64 * 1024,
): Promise<z.infer<S>> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new UserError('UNSUPPORTED_MEDIA_TYPE', { detail: 'Send the body as application/json.' });
  }
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) {
    throw new UserError('PAYLOAD_TOO_LARGE', { detail: `The body may be at most ${maxBytes} bytes.` });
  }
  let value: unknown;
  try {
    value = text.length ? JSON.parse(text) : undefined;
  } catch {
    throw invalidInput('The body is not valid JSON.', [{ field: 'body', message: 'malformed JSON' }]);
  }
  return parseWith(schema, value, 'body');
}

/**
 * `parseQuery` for hot, read-only endpoints: the validated query is kept per raw query string
 * (validation is a pure function of it), so a repeated search costs a map lookup instead of a zod
 * parse. Only successes are kept, frozen; the memo forgets its oldest entry beyond `max`.
 */
export function parseQueryMemo<S extends z.ZodType>(
  req: HttpRequest,
  schema: S,
  memo: Map<string, Readonly<z.infer<S>>>,
  max = 1000,
): Readonly<z.infer<S>> {
  const url = req.url;
  const at = url.indexOf('?');
  const key = at < 0 ? '' : url.slice(at + 1);
  let parsed = memo.get(key);
  if (parsed === undefined) {
    parsed = Object.freeze(parseQuery(req, schema)) as Readonly<z.infer<S>>;
    memo.set(key, parsed);
    if (memo.size > max) memo.delete(memo.keys().next().value!);
  }
  return parsed;
}

/**
 * `parseParams` remembered per raw route value, for a schema that reads only `paramName` (a
 * `z.object` of that one key: other keys are stripped, so the result is a pure function of that
 * string). A repeated id costs a map lookup instead of a zod parse. Only successes are kept,
 * frozen; the memo forgets its oldest entry beyond `max`.
 */
export function parseParamsMemo<S extends z.ZodType>(
  req: HttpRequest,
  schema: S,
  paramName: string,
  memo: Map<string, Readonly<z.infer<S>>>,
  max = 1000,
): Readonly<z.infer<S>> {
  const raw = req.params[paramName];
  let parsed = raw === undefined ? undefined : memo.get(raw);
  if (parsed === undefined) {
    parsed = Object.freeze(parseParams(req, schema)) as Readonly<z.infer<S>>;
    if (raw !== undefined) {
      memo.set(raw, parsed);
      if (memo.size > max) memo.delete(memo.keys().next().value!);
    }
  }
  return parsed;
}
