// The HTTP trigger plugin: serves every `httpTrigger` registration under /<routePrefix>/ on the
// host's port, the way the real Functions host does (contracts §5.1) — route templates, methods,
// auth levels, 204 for no response. The route table is compiled once at start; per request the
// work is one path split, one table lookup, one HttpRequest, one invocation.
//
// Deliberate difference from the real host: a known route called with a method it does not accept
// is 405 with an Allow header (the real host answers 404, as if the route did not exist). The
// issue asks for it because a 405 names the mistake; nothing in the app may rely on either answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRequest } from '@azure/functions';
import { parseLocalConfig } from '../config.js';
import { sendJson, sendProblem } from '../core/http-server.js';
import type { HostContext, HostPlugin } from '../core/plugin.js';
import { KeyChecker } from './keys.js';
import { BodyTooLargeError, toHttpRequest } from './request.js';
import { readyResponse, toHttpResponse, writeHttpResponse, writeReadyResponse } from './response.js';
import { compileRoutes, type Route } from './route-table.js';

export const httpPlugin: HostPlugin = {
  name: 'http',
  async start(host: HostContext) {
    const table = compileRoutes(host.registry.functions.values());
    const settings = parseLocalConfig(host.env);
    const keys = new KeyChecker({ functionKey: settings.MARQUEE_FUNCTION_KEY, masterKey: settings.MARQUEE_MASTER_KEY });
    const prefix = host.hostJson.routePrefix ? `/${host.hostJson.routePrefix}` : '';
    const origin = host.origin;

    // Not async: the invocation's own promise goes back to the server (one promise fewer a request).
    host.mount(prefix || '/', (req, res, url) => {
      const pathname = url.pathname;
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
        sendProblem(res, 405, 'Method Not Allowed', `${pathname} accepts ${match.allow.join(', ')}, not ${req.method}.`, 'METHOD_NOT_ALLOWED', { allow: match.allow }, { allow: match.allow.join(', ') });
        return;
      }
      if (!keys.allows(match.route.authLevel, req, url)) {
        const which = match.route.authLevel === 'admin' ? 'the master key' : 'a function key';
        sendProblem(res, 401, 'Unauthorized', `This function needs ${which} in the x-functions-key header or the code query parameter.`, 'UNAUTHORIZED');
        return;
      }
      return invoke(host, match.route, match.params, req, res, url, origin);
    });

    host.mount('/.local/functions', (req, res, url) => {
      if (url.pathname.replace(/\/$/, '') !== '/.local/functions') return false;
      if (req.method !== 'GET') return sendProblem(res, 405, 'Method Not Allowed', 'Only GET is served here.', 'METHOD_NOT_ALLOWED', {}, { allow: 'GET' });
      // Exactly what @azure/functions handed registerFunction, in registration order.
      sendJson(res, 200, [...host.registry.functions.values()].map((f) => f.metadata));
    });

    host.announce(`HTTP functions: ${table.routes.length} routes under ${origin}${prefix}/`);
    host.announce(`Function metadata: ${origin}/.local/functions`);
  },
};

async function invoke(host: HostContext, route: Route, params: Record<string, string>, req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<void> {
  const method = req.method ?? 'GET';
  let request: HttpRequest;
  try {
    const built = toHttpRequest(req, url, origin, params);
    request = built instanceof Promise ? await built : built;
  } catch (err) {
    if (err instanceof BodyTooLargeError) return sendProblem(res, 413, 'Payload Too Large', err.message, 'PAYLOAD_TOO_LARGE', {}, { connection: 'close' });
    throw err;
  }
  let response;
  try {
    const result = await host.invoker.invoke(route.fn, request, { requestOrigin: origin });
    const direct = typeof result === 'object' && result !== null ? readyResponse(result) : undefined;
    if (direct) return writeReadyResponse(res, direct, method);
    response = toHttpResponse(result);
  } catch (err) {
    // The caller gets no stack and no message (they may hold internals); the console gets both.
    host.log.error('%s failed: %s', route.fn.name, (err as Error)?.stack ?? String(err));
    return sendProblem(res, 500, 'Internal Server Error', `The function ${route.fn.name} failed. Its error is in the host log.`, 'FUNCTION_FAILED');
  }
  await writeHttpResponse(res, response, method);
}
