// `POST /admin/functions/{name}` with the master key: runs a non-HTTP function by hand, as Core
// Tools and the real host's admin API do (body `{"input": …}`, 202 Accepted at once; the outcome is
// in the host log). A timer gets the TimerInfo of an unscheduled run; other triggers get the input
// (a string holding JSON is parsed, as a queue or Service Bus message body would be). HTTP functions
// are called at their route, Durable ones through the Durable API: those are 400 here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlPlane } from './control-plane.js';
import { readBody, sendProblem } from './http-server.js';
import type { Invoker } from './invoke.js';
import type { Logger } from './log.js';
import type { RawHandler } from './plugin.js';
import type { Registry } from './registry.js';

export const ADMIN_FUNCTIONS = '/admin/functions';

const NOT_BY_HAND = new Set(['httptrigger', 'orchestrationtrigger', 'activitytrigger', 'entitytrigger']);

export function adminFunctionsRoute(
  registry: Registry,
  invoker: Invoker,
  controlPlane: ControlPlane,
  log: Logger,
): RawHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = /^\/admin\/functions\/([^/]+)\/?$/i.exec(url.pathname);
    if (!m) return false;
    if (!(await controlPlane.admit(req, res, url, { key: 'admin' }))) return;
    if (req.method !== 'POST')
      return sendProblem(
        res,
        405,
        'Method Not Allowed',
        'Only POST runs a function.',
        'METHOD_NOT_ALLOWED',
        {},
        { allow: 'POST' },
      );
    const name = decodeURIComponent(m[1]!);
    const fn = [...registry.functions.values()].find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!fn) return sendProblem(res, 404, 'Not Found', `No function is named ${name}.`, 'NOT_FOUND');
    const type = fn.trigger.type.toLowerCase();
    if (NOT_BY_HAND.has(type))
      return sendProblem(
        res,
        400,
        'Bad Request',
        `${fn.name} has a ${fn.trigger.type}: ${type === 'httptrigger' ? 'call its route' : 'use the Durable API'}.`,
        'NOT_RUNNABLE_BY_HAND',
        { field: 'name' },
      );
    let input: unknown;
    try {
      const text = (await readBody(req, 1024 * 1024)).toString('utf8');
      const body = text.trim() ? (JSON.parse(text) as unknown) : {};
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
      input = (body as { input?: unknown }).input;
    } catch {
      return sendProblem(
        res,
        400,
        'Bad Request',
        'The body must be a JSON object such as {"input": "…"}.',
        'VALIDATION_FAILED',
        {
          errors: [{ field: 'body', message: 'a JSON object with an optional "input"' }],
        },
      );
    }
    const trigger =
      type === 'timertrigger' ? { schedule: { adjustForDST: true }, isPastDue: false } : parseIfJson(input);
    res.writeHead(202, { 'content-length': '0' }).end();
    // The Invoker logs a failure with the function name and invocation id.
    invoker.invoke(fn, trigger, { logDetail: 'run by hand' }).then(
      () => log.info("Executed '%s' (run by hand, Succeeded)", fn.name),
      () => undefined,
    );
  };
}

function parseIfJson(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}
