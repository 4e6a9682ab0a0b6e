// The host survives its functions: an error that escapes a handler — thrown, rejected, or thrown
// later from a timer or callback the handler started, or a rejection nobody handled — fails that
// invocation (500 for HTTP, a failed activity the orchestrator sees, a Service Bus message that is
// redelivered), is logged with the function's name, and the host goes on serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { start, waitFor } from '../durable/helpers.js';

let host: TestHost;
beforeAll(async () => {
  host = await startHost({ main: 'dist/test/fixtures/faults-app.js' });
});
afterAll(async () => {
  await host?.stop();
});

const get = (path: string) => fetch(host.url(path));

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms; host log:\n${host.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('an error escaping a handler', () => {
  it('fails that HTTP invocation with 500, however it escaped, and the host keeps serving', async () => {
    for (const kind of ['sync', 'rejects', 'timer', 'unhandled']) {
      const res = await get(`/api/faults/${kind}`);
      expect(res.status, kind).toBe(500);
      expect(((await res.json()) as { code: string }).code).toBe('FUNCTION_FAILED');
    }
    expect(host.output()).toMatch(/faults-timer \([0-9a-f-]{36}\): an uncaught exception escaped the handler/);
    expect(host.output()).toContain('thrown from a timer inside the handler');
    expect(host.output()).toMatch(/faults-unhandled \([0-9a-f-]{36}\): an unhandled promise rejection escaped/);

    const after = await get('/api/faults/after');
    expect(await after.text()).toBe('answered');
    await until(async () => host.output().includes('thrown after the answer'));
    expect((await get('/api/faults/seen')).status).toBe(200);
  });

  it('fails a Durable activity, which the orchestrator sees as a failed task', async () => {
    expect((await start(host, 'faultyActivity', 'faulty-1')).status).toBe(202);
    const done = await waitFor(host, 'faulty-1');
    expect(done.runtimeStatus).toBe('Completed');
    expect(String(done.output)).toMatch(/^activity failed: .*activity error from a callback/);
  });

  it('abandons a Service Bus message, which is delivered again', async () => {
    const sent = await fetch(host.url('/.local/servicebus/queues/faults/messages'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...host.admin },
      body: JSON.stringify({ body: { n: 1 } }),
    });
    expect(sent.status).toBe(201);
    await until(async () => ((await (await get('/api/faults/seen')).json()) as { queueDone: boolean }).queueDone);
    expect(await (await get('/api/faults/seen')).json()).toEqual({ queueAttempts: 2, queueDone: true });
    expect(host.output()).toContain('queue handler error from a timer');
  });
});
