// Azure Communication Services for the local host (local/README.md, Plugins): the Email and SMS
// REST APIs on their own port (MARQUEE_COMMUNICATION_PORT, default 0 = any free port), signed with HMAC-SHA256 as the real service checks, so any
// app's `@azure/communication-email` and `@azure/communication-sms` clients talk to it unchanged; a
// local web push service at <origin>/.local/push; and the outbox at <origin>/.local/outbox, where
// every email (rendered), SMS and push lands. The outbox and the push service's own endpoints are
// behind the master key, as every /.local page.
//
// Setting: ACS_CONNECTION_STRING — filled with this emulator and a random key when unset; one whose
// endpoint is this emulator's fixed port on loopback lends it its key; one that names another endpoint (real Azure) means the
// emulator is not started. The outbox and push service run either way.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortBusyError } from '../services/ports.js';
import { isLoopback } from '../web-pubsub/connection-string.js';
import { parseLocalConfig } from '../config.js';
import { readBody, sendJson, sendProblem } from '../core/http-server.js';
import { usage } from '../core/usage.js';
import { targetHandler, type HostPlugin, type RequestTarget } from '../core/plugin.js';
import { KeyChecker } from '../http/keys.js';
import { EmailApi } from './email-api.js';
import { verifyAcsSignature } from './hmac.js';
import { Outbox } from './outbox.js';
import { OUTBOX_PREFIX, outboxHandler } from './outbox-pages.js';
import { PushService } from './push-service.js';
import { acsError } from './responses.js';
import { SmsApi } from './sms-api.js';

const PUSH_PREFIX = '/.local/push';

export const communicationPlugin: HostPlugin = {
  name: 'communication',
  // ACS_CONNECTION_STRING is an app setting: fill it before the app loads.
  beforeApp: true,
  async start(host) {
    const keys = new KeyChecker(host.keys);
    const outbox = new Outbox();
    const guarded =
      (
        inner: (
          req: IncomingMessage,
          res: ServerResponse,
          target: RequestTarget,
        ) => Promise<boolean | void> | boolean | void,
      ) =>
      (req: IncomingMessage, res: ServerResponse, target: RequestTarget) => {
        if (keys.allows('admin', req, target)) return inner(req, res, target);
        sendProblem(
          res,
          401,
          'Unauthorized',
          'This page needs the master key (x-functions-key or ?code=).',
          'UNAUTHORIZED',
        );
      };

    host.mount(OUTBOX_PREFIX, targetHandler(guarded(outboxHandler(outbox))));

    const push = new PushService(outbox, host.origin, PUSH_PREFIX);
    host.mount(
      PUSH_PREFIX,
      targetHandler(async (req, res, target) => {
        const parts = target.pathname.slice(PUSH_PREFIX.length).split('/').filter(Boolean);
        // The push endpoint itself is open, as a push service's is: the VAPID token is its check.
        if (parts[0] === 'send' && parts.length === 2 && req.method === 'POST') {
          const outcome = await push.receive(req, parts[1]!, await readBody(req, 8192));
          if (outcome.status === 201) return void res.writeHead(201).end();
          return sendProblem(res, outcome.status, 'Push refused', outcome.message ?? '', 'PUSH_REFUSED');
        }
        return guarded((rq, rs) => {
          if (parts[0] !== 'subscriptions') return false;
          if (parts.length === 1 && rq.method === 'POST') return sendJson(rs, 201, push.subscribe());
          if (parts.length === 2 && rq.method === 'DELETE') {
            if (push.unsubscribe(parts[1]!)) return void rs.writeHead(204).end();
            return sendProblem(rs, 404, 'Not Found', `No push subscription ${parts[1]}.`, 'NOT_FOUND');
          }
          return false;
        })(req, res, target);
      }),
    );
    host.announce(`Outbox:              ${OUTBOX_PREFIX}?code=<master key> (email, SMS, web push)`);

    const { MARQUEE_HOST, MARQUEE_COMMUNICATION_PORT: port } = parseLocalConfig(host.env);
    let accessKey: string | undefined;
    const configured = host.env.ACS_CONNECTION_STRING;
    if (configured) {
      const m = /endpoint=(.*);accesskey=(.*)/i.exec(configured);
      const endpoint = new URL(m?.[1] ?? 'http://unknown');
      if (!(m && isLoopback(endpoint.hostname) && port !== 0 && Number(endpoint.port) === port)) {
        host.announce(`Communication:       ${endpoint.origin} (from ACS_CONNECTION_STRING; emulator not started)`);
        return;
      }
      accessKey = m[2]!;
    }
    accessKey ??= randomBytes(32).toString('base64');
    const key = accessKey;
    let base = '';
    const email = new EmailApi(outbox, () => base);
    const sms = new SmsApi(outbox);
    // Its own port: the SDKs accept only an endpoint without a path.
    const server = createServer((req, res) => {
      void serve(req, res).catch((err: Error) => {
        host.log.error('communication emulator: %s', err.stack ?? err.message);
        if (!res.headersSent) acsError(res, 500, 'InternalError', 'The emulator failed; see the host log.');
      });
    });
    const serve = async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const body = await readBody(req, 12 * 1024 * 1024);
      const denied = verifyAcsSignature(req, body, key);
      if (denied) return acsError(res, 401, 'Denied', `Denied by the resource provider: ${denied}.`);
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion)
        return acsError(res, 400, 'MissingApiVersionParameter', 'The api-version query parameter is required.');
      if (req.method === 'POST' && url.pathname === '/emails:send') return email.send(req, res, body, apiVersion);
      const op = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && op) return email.status(res, decodeURIComponent(op[1]!));
      if (req.method === 'POST' && url.pathname === '/sms') return sms.send(res, body);
      return acsError(res, 404, 'NotFound', `No operation at ${req.method} ${url.pathname}.`);
    };
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new PortBusyError(
                `port ${port} on ${MARQUEE_HOST} is already in use; set MARQUEE_COMMUNICATION_PORT to another port (or 0 for any free port)`,
              )
            : err,
        ),
      );
      server.listen(port, MARQUEE_HOST, () => resolve());
    });
    base = `http://${MARQUEE_HOST}:${(server.address() as AddressInfo).port}`;
    host.env.ACS_CONNECTION_STRING ??= `endpoint=${base}/;accesskey=${key}`;
    usage.watch('communication', base);
    host.announce(`Communication:       ${base} (ACS Email and SMS emulator)`);
    return {
      stop: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  },
};
