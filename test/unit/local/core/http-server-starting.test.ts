// The host's port listens before the app is loaded (its origin goes into the app's settings): a client
// retrying through a restart must hear "starting, retry" there, not "no such route" (a chaos run with a
// host restart saw 404 NOT_FOUND for POST /api/bookings until this was so), and so must a function
// whose extra input a later plugin supplies (one saw 500: durable-functions' getClient threw).
import type { InvocationContext } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { HostHttpServer } from '../../../../local/core/http-server.js';
import { Invoker } from '../../../../local/core/invoke.js';
import { Logger } from '../../../../local/core/log.js';
import type { HostContext, RawHandler } from '../../../../local/core/plugin.js';
import { Registry } from '../../../../local/core/registry.js';
import { HostTracer } from '../../../../local/core/tracing.js';
import { httpPlugin } from '../../../../local/http/index.js';

let server: HostHttpServer | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.server.close(() => resolve()) : resolve())));

describe('the host port while the app starts', () => {
  it('answers 503 problem+json with Retry-After before start-up ends, 404 after, and serves mounts throughout', async () => {
    server = new HostHttpServer(new Logger('none'));
    server.mount('/.local/ping', (_req, res) => void res.end('pong'));
    const origin = await server.listen(0, '127.0.0.1');

    const early = await fetch(`${origin}/api/bookings`, { method: 'POST' });
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    expect(await early.json()).toMatchObject({ status: 503, code: 'HOST_STARTING' });
    expect(await (await fetch(`${origin}/.local/ping`)).text()).toBe('pong');

    server.markStarted();
    const late = await fetch(`${origin}/api/bookings`, { method: 'POST' });
    expect(late.status).toBe(404);
    expect(await late.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('an HTTP function served while later plugins start', () => {
  it("answers 503 HOST_STARTING while its durableClient input is not supplied yet (never the app's 500), and runs once it is", async () => {
    server = new HostHttpServer(new Logger('none'));
    const origin = await server.listen(0, '127.0.0.1');
    const registry = new Registry();
    registry.register(
      {
        name: 'needs-client',
        bindings: {
          req: {
            type: 'httpTrigger',
            direction: 'in',
            name: 'req',
            methods: ['POST'],
            authLevel: 'anonymous',
            route: 'x',
          },
          client: { type: 'durableClient', direction: 'in', name: 'client' },
          $return: { type: 'http', direction: 'out', name: '$return' },
        },
      },
      (_req, context) => ({ jsonBody: { client: (context as InvocationContext).extraInputs.get('client') } }),
    );
    const invoker = new Invoker(registry, new Logger('none'), { starting: true });
    const host = {
      registry,
      invoker,
      log: new Logger('none'),
      hostJson: { routePrefix: 'api' },
      env: {},
      origin,
      keys: { functionKey: 'f', masterKey: 'm', systemKey: 's' },
      mount: (prefix: string, handler: RawHandler) => server!.mount(prefix, handler),
      tracer: new HostTracer(),
      announce: () => undefined,
    } as unknown as HostContext;
    await httpPlugin.start(host);

    const early = await fetch(`${origin}/api/x`, { method: 'POST' });
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(await early.json()).toMatchObject({ status: 503, code: 'HOST_STARTING' });

    invoker.provideInput('durableClient', () => ({ taskHubName: 'hub' }));
    const served = await fetch(`${origin}/api/x`, { method: 'POST' });
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ client: { taskHubName: 'hub' } });
  });
});
