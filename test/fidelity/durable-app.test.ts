// A Durable Functions app of our own, written as the durable-functions samples are, run by the
// local host from a temporary folder without local.settings.json and driven as their docs say a user
// would: start through the app's HTTP starter, poll statusQueryGetUri, raise an event through
// sendEventPostUri. With FIDELITY_LONG=1 (`npm run fidelity`) the host is also SIGKILLed mid-orchestration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHost } from '../support/local-host.js';
import { poll, prepareApp, startApp } from './harness.js';

let host: TestHost;

beforeAll(async () => {
  host = await startApp(prepareApp('durable-app'));
});
afterAll(() => host?.stop());

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
}
interface Status {
  runtimeStatus: string;
  output: unknown;
  lastUpdatedTime: string;
}

async function start(name: string, input?: unknown): Promise<CheckStatus> {
  const res = await fetch(host.url(`/api/orchestrators/${name}`), {
    method: 'POST',
    ...(input === undefined ? {} : { body: JSON.stringify(input), headers: { 'content-type': 'application/json' } }),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as CheckStatus;
}

const status = async (c: CheckStatus) => (await (await fetch(c.statusQueryGetUri)).json()) as Status;
const finished = (s: Status) => !['Pending', 'Running'].includes(s.runtimeStatus);

describe('a foreign Durable Functions app', () => {
  it('chains activities', async () => {
    const c = await start('helloSequence');
    const s = await poll(() => status(c), finished);
    expect(s).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Tokyo!', 'Hello Seattle!', 'Hello Cairo!'] });
  });

  it('fans out and in', async () => {
    const c = await start('fanOutFanIn', 5);
    const s = await poll(() => status(c), finished);
    expect(s).toMatchObject({ runtimeStatus: 'Completed', output: 55 });
  });

  it('waits for a human: the event wins over the timer, or the timer fires', async () => {
    const approved = await start('approval', { timeoutSeconds: 60 });
    await poll(
      () => status(approved),
      (s) => s.runtimeStatus === 'Running',
    );
    const raised = await fetch(approved.sendEventPostUri.replace('{eventName}', 'Approval'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'true',
    });
    expect(raised.status).toBe(202);
    expect(await poll(() => status(approved), finished)).toMatchObject({
      runtimeStatus: 'Completed',
      output: 'approved',
    });

    const late = await start('approval', { timeoutSeconds: 1 });
    expect(await poll(() => status(late), finished)).toMatchObject({ runtimeStatus: 'Completed', output: 'timed out' });
  });

  it('logs a failed activity and its failed orchestration with names and ids', async () => {
    const c = await start('failing', 'the impossible');
    const s = await poll(() => status(c), finished);
    expect(s.runtimeStatus).toBe('Failed');
    const out = host.output();
    expect(out).toMatch(
      new RegExp(
        `Executed 'alwaysFails' \\(Failed, Id=[0-9a-f-]{36}, instance ${c.id}, task \\d+\\): Error: cannot do the impossible`,
      ),
    );
    expect(out).toMatch(new RegExp(`Orchestration 'failing' \\(instance ${c.id}, execution [0-9a-f-]{36}\\) failed:`));
  });

  it.skipIf(!process.env.FIDELITY_LONG)(
    'survives a SIGKILL mid-orchestration: the waiting instance resumes, lastUpdatedTime does not go back',
    async () => {
      const c = await start('approval', { timeoutSeconds: 120 });
      const first = await poll(
        () => status(c),
        (s) => s.runtimeStatus === 'Running',
      );
      // An event nobody waits for is an episode that changes no status (the instance row is not
      // rewritten): lastUpdatedTime moves on in memory, and must not move back after the crash.
      await new Promise((r) => setTimeout(r, 1100));
      const raise = (name: string, body: string) =>
        fetch(c.sendEventPostUri.replace('{eventName}', name), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      expect((await raise('Unrelated', '1')).status).toBe(202);
      const before = await poll(
        () => status(c),
        (s) => s.lastUpdatedTime > first.lastUpdatedTime,
      );
      await host.kill();
      await host.restart();
      const after = await status(c);
      expect(after.runtimeStatus).toBe('Running');
      expect(after.lastUpdatedTime >= before.lastUpdatedTime).toBe(true);
      await raise('Approval', 'false');
      expect(await poll(() => status(c), finished)).toMatchObject({ runtimeStatus: 'Completed', output: 'rejected' });
      const fan = await start('fanOutFanIn', 20);
      await host.kill();
      await host.restart();
      expect(await poll(() => status(fan), finished)).toMatchObject({ runtimeStatus: 'Completed', output: 2870 });
    },
    120_000,
  );
});
