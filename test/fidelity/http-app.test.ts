// A plain v4 app of our own, written as the Functions templates are, run by the local host from a
// temporary folder without local.settings.json: HTTP, a handler whose async error must fail only its
// own request, timers (one by schedule, one run by hand through the admin API), and a binding the
// host does not play, named at start.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { poll, prepareApp, startApp } from './harness.js';

let host: TestHost;
let appRoot: string;

beforeAll(async () => {
  appRoot = prepareApp('http-app');
  // Settings Marquee's own schema (shared/config.ts) would refuse: nothing of Marquee applies here.
  host = await startApp(appRoot, { env: { LOG_LEVEL: 'verbose', MARQUEE_DEV_IDENTITY: 'false' } });
});
afterAll(() => host?.stop());

interface Greeting {
  greeting: string;
  requestIsHttpRequest: boolean;
  contextIsInvocationContext: boolean;
  invocationId: string;
  file: string;
}

describe('a foreign HTTP app', () => {
  it('answers its functions, with its own @azure/functions classes, in its own folder', async () => {
    const res = await fetch(host.url('/api/httpTrigger1?name=Ada'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Greeting;
    expect(body).toMatchObject({
      greeting: 'Hello, Ada!',
      requestIsHttpRequest: true,
      contextIsInvocationContext: true,
      file: 'Hello from a file',
    });
    const posted = (await (
      await fetch(host.url('/api/httpTrigger1'), { method: 'POST', body: 'Bo' })
    ).json()) as Greeting;
    expect(posted.greeting).toBe('Hello, Bo!');
    expect(posted.requestIsHttpRequest).toBe(true);
    expect(posted.invocationId.slice(0, 8)).not.toBe(body.invocationId.slice(0, 8));
  });

  it('fails only the request whose handler threw asynchronously; the host keeps serving', async () => {
    const bad = await fetch(host.url('/api/httpTriggerBadAsync'));
    expect(bad.status).toBe(500);
    const good = await fetch(host.url('/api/httpTrigger1?name=after'));
    expect(good.status).toBe(200);
    expect(((await good.json()) as Greeting).greeting).toBe('Hello, after!');
    expect(host.output()).toMatch(/httpTriggerBadAsync \([0-9a-f-]{36}\): an uncaught exception escaped/);
  });

  it('fires a timer on its schedule', async () => {
    const runs = await poll(
      async () => (await (await fetch(host.url('/api/timerRuns'))).json()) as { everySecond: number },
      (r) => r.everySecond >= 2,
    );
    expect(runs.everySecond).toBeGreaterThanOrEqual(2);
  });

  it('runs a non-HTTP function by hand: POST /admin/functions/{name} with the master key', async () => {
    const refused = await fetch(host.url('/admin/functions/yearlyReport'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    const run = await fetch(host.url('/admin/functions/yearlyReport'), {
      method: 'POST',
      headers: { ...host.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ input: '' }),
    });
    expect(run.status).toBe(202);
    const runs = await poll(
      async () => (await (await fetch(host.url('/api/timerRuns'))).json()) as { yearlyReport: unknown[] },
      (r) => r.yearlyReport.length === 1,
    );
    expect(runs.yearlyReport[0]).toMatchObject({ isPastDue: false });
    const missing = await fetch(host.url('/admin/functions/nope'), { method: 'POST', headers: host.admin, body: '{}' });
    expect(missing.status).toBe(404);
    const http = await fetch(host.url('/admin/functions/httpTrigger1'), { method: 'POST', headers: host.admin });
    expect(http.status).toBe(400);
    expect(http.headers.get('content-type')).toBe('application/problem+json');
  });

  it("starts none of Marquee's services and writes no settings file into the app", async () => {
    expect(existsSync(join(appRoot, 'local.settings.json'))).toBe(false);
    for (const line of ['Web PubSub emulator', 'Payments simulator', 'Dev identity', 'Web client', 'Cosmos'])
      expect(host.output()).not.toContain(line);
    for (const path of ['/.identity/.well-known/openid-configuration', '/.payments/v1/payments'])
      expect((await fetch(host.url(path))).status).toBe(404);
  });

  it('named the binding it does not play at start, and started the rest', () => {
    expect(host.output()).toMatch(
      /Function 'eventHubWatcher': trigger 'eventHubTrigger' is not supported by the local host/,
    );
  });
});
