// The host's port listens before the app is loaded (its origin goes into the app's settings): a client
// retrying through a restart must hear "starting, retry" there, not "no such route" (a chaos run with a
// host restart saw 404 NOT_FOUND for POST /api/bookings until this was so).
import { afterEach, describe, expect, it } from 'vitest';
import { HostHttpServer } from '../../../../local/core/http-server.js';
import { Logger } from '../../../../local/core/log.js';

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
