// `/.local/usage` (local/README.md, Usage meter): GET answers what the meter counted since the last
// reset; `POST /.local/usage/reset` or `DELETE /.local/usage` starts a fresh count (and answers the
// counts it ended). Master key only, like every /.local route.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlPlane } from './control-plane.js';
import { sendJson, sendProblem } from './http-server.js';
import type { RawHandler } from './plugin.js';
import type { UsageMeter } from './usage.js';

export const USAGE_ROUTE = '/.local/usage';

export function usageRoute(meter: UsageMeter, controlPlane: ControlPlane): RawHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const path = url.pathname.replace(/\/$/, '').toLowerCase();
    const reset = path === `${USAGE_ROUTE}/reset`;
    if (path !== USAGE_ROUTE && !reset) return false;
    if (!(await controlPlane.admit(req, res, url, { key: 'admin' }))) return;
    req.resume();
    if (reset ? req.method === 'POST' : req.method === 'DELETE') {
      const ended = meter.snapshot();
      meter.reset();
      return sendJson(res, 200, ended);
    }
    if (!reset && (req.method === 'GET' || req.method === 'HEAD')) return sendJson(res, 200, meter.snapshot());
    const allow = reset ? 'POST' : 'GET, DELETE';
    sendProblem(res, 405, 'Method Not Allowed', `${allow} on ${url.pathname}.`, 'METHOD_NOT_ALLOWED', {}, { allow });
  };
}
