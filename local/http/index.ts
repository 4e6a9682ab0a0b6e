// The HTTP trigger plugin: serves every `httpTrigger` registration under /<routePrefix>/ on the
// host's port, the way the real Functions host does (local/README.md, What each plugin follows):
// route templates, methods, auth levels, 204 for no response. The route table is compiled once at
// start; per request the work is one path split, one table lookup, one HttpRequest, one invocation.
//
// Deliberate difference from the real host: a known route called with a method it does not accept
// is 405 with an Allow header (the real host answers 404, as if the route did not exist). It is
// on purpose, because a 405 names the mistake; nothing in the app may rely on either answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRequest } from '@azure/functions';
import { sendJson, sendProblem } from '../core/http-server.js';
import { targetHandler, type HostContext, type HostPlugin, type RequestTarget } from '../core/plugin.js';
import { parseLocalConfig } from '../config.js';
import { KeyChecker } from './keys.js';
import { BodyTooLargeError, toHttpRequest } from './request.js';
import { readyResponse, toHttpResponse, writeHttpResponse, writeReadyResponse } from './response.js';
import { compileRoutes, type Route } from './route-table.js';
import { InputNotReadyError } from '../core/invoke.js';

export const httpPlugin: HostPlugin = {
  name: 'http',
  triggers: ['httpTrigger'],
  async start(host: HostContext) {
    const table = compileRoutes(host.registry.functions.values());
    const keys = new KeyChecker(host.keys);
    const bodyLimit = parseLocalConfig(host.env).FUNCTIONS_REQUEST_BODY_SIZE_LIMIT;
    const prefix = host.hostJson.routePrefix ? `/${host.hostJson.routePrefix}` : '';
    const origin = host.origin;

    // Not async, and given the split target rather than a URL: a function that answers
    // synchronously is answered within this call, with no promise and no URL parsed.
    host.mount(
      prefix || '/',
      targetHandler((req, res, target) => {
        const pathname = target.pathname;
        // The mount matches by string prefix: "/api" must not serve "/apiary".
        if (prefix && pathname.length > prefix.length && pathname[prefix.length] !== '/') return false;
        const match = table.match(req.method ?? 'GET', pathname.slice(prefix.length + 1));
        if (match.kind === 'none') {
          // With an empty prefix every unmatched path falls through to the host's own 404.
          if (!prefix) return false;
          sendProblem(res, 404, 'Not Found', `No function is served at ${pathname}.`, 'NOT_FOUND');
          return;
        }
        if (match.kind === 'method') {
          sendProblem(
            res,
            405,
            'Method Not Allowed',
            `${pathname} accepts ${match.allow.join(', ')}, not ${req.method}.`,
            'METHOD_NOT_ALLOWED',
            { allow: match.allow },
            { allow: match.allow.join(', ') },
          );
          return;
        }
        if (!keys.allows(match.route.authLevel, req, target)) {
          const which = match.route.authLevel === 'admin' ? 'the master key' : 'a function key';
          sendProblem(
            res,
            401,
            'Unauthorized',
            `This function needs ${which} in the x-functions-key header or the code query parameter.`,
            'UNAUTHORIZED',
          );
          return;
        }
        return invoke(host, match.route, match.params, req, res, target, origin, bodyLimit);
      }),
    );

    host.mount(
      '/.local/functions',
      targetHandler(async (req, res, target) => {
        if (target.pathname.replace(/\/$/, '') !== '/.local/functions') return false;
        if (!(await host.controlPlane.admit(req, res, target, { key: 'admin' }))) return;
        if (req.method !== 'GET')
          return sendProblem(
            res,
            405,
            'Method Not Allowed',
            'Only GET is served here.',
            'METHOD_NOT_ALLOWED',
            {},
            { allow: 'GET' },
          );
        // Exactly what @azure/functions handed registerFunction, in registration order.
        sendJson(
          res,
          200,
          [...host.registry.functions.values()].map((f) => f.metadata),
        );
      }),
    );

    host.announce(`HTTP functions: ${table.routes.length} routes under ${origin}${prefix}/`);
    host.announce(`Function metadata: ${origin}/.local/functions (master key)`);
  },
};

/**
 * Builds the request, calls the function and writes its answer. Synchronous as long as everything
 * is (a bodyless request, a function that answers without a promise, a ready response); a promise
 * otherwise, from the first step that was not. Failures are answered as before: a body too large
 * 413, a function that threw or rejected (or whose answer cannot be written) 500 FUNCTION_FAILED.
 */
function invoke(
  host: HostContext,
  route: Route,
  params: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget,
  origin: string,
  maxBodyBytes: number,
): Promise<void> | void {
  const method = req.method ?? 'GET';
  const built = toHttpRequest(req, target, origin, params, maxBodyBytes);
  if (!(built instanceof Promise)) return run(host, route, built, res, method, origin);
  return built.then(
    (request) => run(host, route, request, res, method, origin),
    (err: unknown) => {
      if (err instanceof BodyTooLargeError)
        return sendProblem(res, 413, 'Payload Too Large', err.message, 'PAYLOAD_TOO_LARGE');
      throw err;
    },
  );
}

function run(
  host: HostContext,
  route: Route,
  request: HttpRequest,
  res: ServerResponse,
  method: string,
  origin: string,
): Promise<void> | void {
  let result: unknown;
  // The request's span, as the Functions host opens one per HTTP invocation (core/tracing.ts).
  const span = host.tracer.enabled ? requestSpan(host, route, request, method) : undefined;
  if (span) res.once('close', () => span.end(res.statusCode >= 500 ? 'error' : 'ok', statusOf(res)));
  try {
    result = host.invoker.call(
      route.fn,
      request,
      span ? { requestOrigin: origin, traceParent: span.traceParent } : { requestOrigin: origin },
    );
  } catch (err) {
    return functionFailed(host, route, res, err, true);
  }
  if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') {
    return Promise.resolve(result).then(
      (value) => answer(host, route, res, value, method),
      (err: unknown) => functionFailed(host, route, res, err, true),
    );
  }
  return answer(host, route, res, result, method);
}

function requestSpan(host: HostContext, route: Route, request: HttpRequest, method: string) {
  const path = new URL(request.url).pathname;
  return host.tracer.start(`${method} ${path}`, 'server', request.headers.get('traceparent') ?? undefined, {
    'http.request.method': method,
    'url.path': path,
    'faas.name': route.fn.name,
    'faas.trigger': 'http',
  });
}

const statusOf = (res: ServerResponse) => ({ 'http.response.status_code': res.statusCode });

function answer(
  host: HostContext,
  route: Route,
  res: ServerResponse,
  result: unknown,
  method: string,
): Promise<void> | void {
  let response;
  try {
    const direct = typeof result === 'object' && result !== null ? readyResponse(result) : undefined;
    if (direct) return writeReadyResponse(res, direct, method);
    response = toHttpResponse(result);
  } catch (err) {
    return functionFailed(host, route, res, err);
  }
  return writeHttpResponse(res, response, method);
}

function functionFailed(host: HostContext, route: Route, res: ServerResponse, err: unknown, logged = false): void {
  if (err instanceof InputNotReadyError)
    return sendProblem(
      res,
      503,
      'Service Unavailable',
      'The host is starting; try again shortly.',
      'HOST_STARTING',
      {},
      { 'retry-after': '1' },
    );
  // The caller gets no stack and no message (they may hold internals); the console gets both (the
  // Invoker already logged a failed invocation, with its id).
  if (!logged) host.log.error('%s failed: %s', route.fn.name, (err as Error)?.stack ?? String(err));
  sendProblem(
    res,
    500,
    'Internal Server Error',
    `The function ${route.fn.name} failed. Its error is in the host log.`,
    'FUNCTION_FAILED',
  );
}
