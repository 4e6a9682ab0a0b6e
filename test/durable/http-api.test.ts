// The Durable HTTP API as the extension serves it, and the library's own DurableClient calling it
// unchanged (rpc mode) from inside an HTTP function.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { bearer, tokenFor } from '../support/tokens.js';
import { API, post, raise, start, status, waitFor, type Status } from './helpers.js';

let host: TestHost;
beforeAll(async () => {
  host = await startHost({ main: 'dist/test/fixtures/durable-app.js' });
});
afterAll(async () => {
  await host?.stop();
});

/** A call to the host's control plane with the master key. */
const keyed = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { ...host.admin, ...(init.headers as Record<string, string> | undefined) } });

const client = async (op: string, id = '', body?: unknown) => {
  const res = await fetch(host.url(`/api/client/${op}/${id}`), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
};

describe('Durable HTTP API', () => {
  it('answers the status codes of the extension for start, status, events and control', async () => {
    expect((await start(host, 'approval', 'api-1')).status).toBe(202);
    // A running id cannot be started again: DTFx "already exists" becomes 500.
    const dup = await start(host, 'approval', 'api-1');
    expect(dup.status).toBe(500);
    expect(await dup.json()).toMatchObject({ Message: 'Something went wrong while processing your request' });
    expect((await start(host, 'noSuchOrchestrator', 'api-x')).status).toBe(400);
    expect((await start(host, 'approval', 'bad#id')).status).toBe(400);
    const badJson = await keyed(host.url(`${API}/orchestrators/approval/api-j`), { method: 'POST', body: '{nope' });
    expect(badJson.status).toBe(400);

    const running = await keyed(host.url(`${API}/instances/api-1`));
    expect(running.status).toBe(202);
    expect(running.headers.get('retry-after')).toBe('5');
    expect(running.headers.get('location')).toBe(host.url(`${API}/instances/api-1`));
    expect((await keyed(host.url(`${API}/instances/missing`))).status).toBe(404);

    expect(await raise(host, 'api-1', 'approve', 1, 'text/plain')).toBe(400);
    expect(await raise(host, 'missing', 'approve', 1)).toBe(404);
    expect((await post(host, `${API}/instances/api-1/suspend?reason=pause`)).status).toBe(202);
    expect((await waitFor(host, 'api-1', ['Suspended'])).runtimeStatus).toBe('Suspended');
    expect(await raise(host, 'api-1', 'approve', 'while suspended')).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect((await status(host, 'api-1'))!.customStatus).toEqual({ stage: 'waiting' });
    expect((await post(host, `${API}/instances/api-1/resume?reason=go`)).status).toBe(202);
    await expect
      .poll(async () => (await status(host, 'api-1'))!.customStatus, { timeout: 5000 })
      .toEqual({ stage: 'second' });
    expect((await post(host, `${API}/instances/api-1/rewind`)).status).toBe(412);
    expect((await keyed(host.url(`${API}/instances/api-1`), { method: 'DELETE' })).status).toBe(412);

    expect(
      (await post(host, `${API}/instances/api-1/terminate?reason=${encodeURIComponent('operator said so')}`)).status,
    ).toBe(202);
    const done = await waitFor(host, 'api-1');
    expect(done).toMatchObject({ runtimeStatus: 'Terminated', output: 'operator said so' });
    expect((await post(host, `${API}/instances/api-1/terminate`)).status).toBe(410);
    expect((await post(host, `${API}/instances/missing/terminate`)).status).toBe(404);
    expect(await raise(host, 'api-1', 'approve', 1)).toBe(410);

    // A terminal id restarts with a new history.
    expect((await start(host, 'helloSequence', 'api-1')).status).toBe(202);
    const again = await waitFor(host, 'api-1');
    expect(again).toMatchObject({ name: 'helloSequence', runtimeStatus: 'Completed' });
    expect(again.historyEvents!.some((e) => e.EventType === 'ExecutionTerminated')).toBe(false);

    const purge = await keyed(host.url(`${API}/instances/api-1`), { method: 'DELETE' });
    expect(purge.status).toBe(200);
    expect(await purge.json()).toEqual({ instancesDeleted: 1 });
    expect((await keyed(host.url(`${API}/instances/api-1`), { method: 'DELETE' })).status).toBe(404);
    expect(await status(host, 'api-1')).toBeUndefined();
  });

  it('shows input, history and history output only when asked', async () => {
    await start(host, 'threeSteps', 'api-2', 5);
    const full = await waitFor(host, 'api-2');
    expect(full.output).toBe(40);
    const plain = (await status(host, 'api-2'))!;
    expect(plain.historyEvents).toBeUndefined();
    expect(plain.input).toBe(5);
    expect((await status(host, 'api-2', '?showInput=false'))!.input).toBeNull();
    const noOutput = (await status(host, 'api-2', '?showHistory=true'))!;
    expect(noOutput.historyEvents!.map((e) => e.EventType)).toEqual([
      'ExecutionStarted',
      'TaskCompleted',
      'TaskCompleted',
      'TaskCompleted',
      'ExecutionCompleted',
    ]);
    expect(noOutput.historyEvents!.every((e) => e.Result === undefined)).toBe(true);
    expect(
      full.historyEvents!.filter((e) => e.EventType === 'TaskCompleted').map((e) => [e.FunctionName, e.Result]),
    ).toEqual([
      ['double', 10],
      ['double', 20],
      ['double', 40],
    ]);
    expect(plain.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('lists with filters and pages with x-ms-continuation-token, and purges by filter', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 5; i++) await start(host, 'threeSteps', `list-${i}`, i);
    await start(host, 'approval', 'list-running');
    for (let i = 0; i < 5; i++) await waitFor(host, `list-${i}`);
    const page1 = await keyed(host.url(`${API}/instances/?instanceIdPrefix=list-&top=4`));
    const token = page1.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    const first = (await page1.json()) as Status[];
    expect(first).toHaveLength(4);
    const page2 = await keyed(host.url(`${API}/instances/?instanceIdPrefix=list-&top=4`), {
      headers: { 'x-ms-continuation-token': token! },
    });
    expect(page2.headers.get('x-ms-continuation-token')).toBeNull();
    const ids = [...first, ...((await page2.json()) as Status[])].map((s) => s.instanceId).sort();
    expect(ids).toEqual(['list-0', 'list-1', 'list-2', 'list-3', 'list-4', 'list-running']);

    const running = (await (
      await keyed(host.url(`${API}/instances/?instanceIdPrefix=list-&runtimeStatus=Running,Pending`))
    ).json()) as Status[];
    expect(running.map((s) => s.instanceId)).toEqual(['list-running']);
    const future = (await (
      await keyed(
        host.url(
          `${API}/instances/?instanceIdPrefix=list-&createdTimeFrom=${new Date(Date.now() + 60_000).toISOString()}`,
        ),
      )
    ).json()) as Status[];
    expect(future).toEqual([]);
    const window = (await (
      await keyed(
        host.url(
          `${API}/instances/?instanceIdPrefix=list-&createdTimeFrom=${from}&createdTimeTo=${new Date(Date.now() + 1000).toISOString()}`,
        ),
      )
    ).json()) as Status[];
    expect(window).toHaveLength(6);

    expect((await keyed(host.url(`${API}/instances/`), { method: 'DELETE' })).status).toBe(400);
    const purged = await keyed(
      host.url(`${API}/instances/?createdTimeFrom=${from}&runtimeStatus=Completed&instanceIdPrefix=list-`),
      { method: 'DELETE' },
    );
    expect(purged.status).toBe(200);
    expect(((await purged.json()) as { instancesDeleted: number }).instancesDeleted).toBeGreaterThanOrEqual(5);
    expect(await status(host, 'list-0')).toBeUndefined();
    expect((await status(host, 'list-running'))!.runtimeStatus).toBe('Running');
  });

  it('serves the operator console, which is announced in the banner', async () => {
    expect(host.output()).toContain(`Durable console: ${host.origin}/_console/durable/`);
    const res = await fetch(host.url('/_console/durable/'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('/runtime/webhooks/durabletask');
  });
});

describe('DurableClient through the real HTTP API', () => {
  it('starts, queries, raises, suspends, resumes, terminates and purges with the library client', async () => {
    const started = await client('start', 'dc-1', { name: 'approval' });
    expect(started.body).toEqual({ id: 'dc-1' });
    await waitFor(host, 'dc-1', ['Running']);
    expect((await client('suspend', 'dc-1', {})).status).toBe(202);
    expect((await client('resume', 'dc-1', {})).status).toBe(202);
    expect((await client('raise', 'dc-1', { event: 'approve', data: { ok: 1 } })).status).toBe(202);
    expect((await client('raise', 'dc-1', { event: 'approve', data: 'two' })).status).toBe(202);
    const waited = await client('wait', 'dc-1', {});
    expect(waited.status).toBe(200);
    expect(waited.body).toEqual([{ ok: 1 }, 'two']);
    const s = await client('status', 'dc-1');
    expect(s.body).toMatchObject({
      name: 'approval',
      instanceId: 'dc-1',
      runtimeStatus: 'Completed',
      output: [{ ok: 1 }, 'two'],
      customStatus: { stage: 'done' },
    });
    expect((await client('all')).body).toContain('dc-1');
    expect((await client('by')).body).toContain('dc-1');

    // Running id: the client's startNew rejects on the 500, like against the real extension.
    await client('start', 'dc-2', { name: 'approval' });
    const refused = await client('restartfail', 'dc-2', { name: 'approval' });
    expect(refused.body).toMatchObject({ rejected: true, message: expect.stringContaining('500') });
    expect((await client('terminate', 'dc-2', { reason: 'bye' })).status).toBe(202);
    expect((await waitFor(host, 'dc-2')).runtimeStatus).toBe('Terminated');
    expect((await client('purge', 'dc-2', {})).body).toEqual({ instancesDeleted: 1 });
    expect((await client('purge', 'dc-2', {})).body).toEqual({ instancesDeleted: 0 });

    const payload = (await client('payload', 'dc-1')).body as Record<string, string>;
    expect(payload.id).toBe('dc-1');
    expect(payload.statusQueryGetUri).toContain('/runtime/webhooks/durabletask/instances/dc-1');
    // The URLs carry the Durable system key as `code`, as the extension's do: they work as handed out.
    const statusUrl = new URL(payload.statusQueryGetUri!);
    expect(statusUrl.searchParams.get('code')).toBeTruthy();
    expect(statusUrl.searchParams.get('taskHub')).toBeTruthy();
    const viaUrl = (await (
      await fetch(payload.statusQueryGetUri!.replace(/^https?:\/\/[^/]+/, host.origin))
    ).json()) as Status;
    expect(viaUrl.runtimeStatus).toBe('Completed');
  });
});

describe('the local control plane is behind keys, as on Azure', () => {
  const anonymous = [
    ['GET', `${API}/instances/`],
    ['GET', `${API}/instances/cp-1`],
    ['POST', `${API}/orchestrators/approval/cp-anon`],
    ['POST', `${API}/instances/cp-1/raiseEvent/approve`],
    ['POST', `${API}/instances/cp-1/terminate`],
    ['DELETE', `${API}/instances/cp-1`],
    ['GET', '/.local/functions'],
    ['GET', '/.local/servicebus/entities'],
    ['POST', '/.local/servicebus/topics/any/messages'],
  ] as const;

  it('answers 401 problem+json to anonymous calls and to wrong keys, and works with the key', async () => {
    expect((await start(host, 'approval', 'cp-1')).status).toBe(202);
    for (const [method, path] of anonymous) {
      for (const headers of [{}, { 'x-functions-key': 'not-the-key-0123456789' }] as Record<string, string>[]) {
        const res = await fetch(host.url(path), {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          body: method === 'POST' ? '{"body":1}' : undefined,
        });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(((await res.json()) as { code: string }).code).toBe('UNAUTHORIZED');
      }
    }
    const deliveries = `${host.env.PAYMENTS_BASE_URL}/v1/_simulator/deliveries`;
    expect((await fetch(deliveries)).status).toBe(401);
    expect((await fetch(deliveries, { headers: host.admin })).status).toBe(200);
    expect((await keyed(host.url('/.local/functions'))).status).toBe(200);
    expect((await fetch(host.url(`/.local/functions?code=${host.keys.master}`))).status).toBe(200);
    // The function key is not a control-plane key.
    expect((await fetch(host.url(`${API}/instances/cp-1?code=${host.keys.function}`))).status).toBe(401);
    expect((await (await keyed(host.url(`${API}/instances/cp-1`))).json()) as Status).toMatchObject({
      runtimeStatus: 'Running',
    });
  });

  it('takes only JSON bodies: a text/plain start or event (what a cross-site form can send) is refused', async () => {
    const plain = await keyed(host.url(`${API}/orchestrators/approval/cp-plain`), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"x":1}',
    });
    expect(plain.status).toBe(400);
    expect(await status(host, 'cp-plain')).toBeUndefined();
    expect((await start(host, 'approval', 'cp-2')).status).toBe(202);
    expect(await raise(host, 'cp-2', 'approve', { ok: 1 }, 'text/plain')).toBe(400);
    expect(await raise(host, 'cp-2', 'approve', { ok: 1 })).toBe(202);
  });

  it('lets an operator in with a dev-identity token, not a customer', async () => {
    const operator = await tokenFor(host.origin, { sub: 'op-1', roles: ['operator'] });
    const customer = await tokenFor(host.origin, { sub: 'cu-1', roles: ['customer'] });
    expect((await fetch(host.url(`${API}/instances/`), { headers: bearer(operator) })).status).toBe(200);
    expect((await fetch(host.url(`${API}/instances/`), { headers: bearer(customer) })).status).toBe(401);
    expect((await fetch(host.url(`${API}/instances/`), { headers: bearer('not.a.token') })).status).toBe(401);
    // The console's page holds no data; it signs in (or takes ?code=) and then reads the API.
    const html = await (await fetch(host.url('/_console/durable/'))).text();
    expect(html).toContain('"operator"');
    expect(html).toContain('x-functions-key');
  });
});
