// SIGKILL of the host while Azurite stays up: a restart against the same task hub resumes every
// in-flight instance, fires each due timer exactly once into history, and loses no raised event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { API, count, FIXTURE, raise, start, status, waitFor, type Status } from './helpers.js';

let host: TestHost;
beforeAll(async () => {
  host = await startHost({ main: FIXTURE });
});
afterAll(async () => {
  await host?.stop();
});

const history = (e: { EventType: string }) => e.EventType;

describe('crash and restart', () => {
  it('resumes instances killed mid-activity and mid-timer; the 10 s timer fires once; events survive', async () => {
    // A: killed while its slow first activity runs.
    await start(host, 'crashable', 'crash-activity', { ms: 1500, timerSeconds: 1 });
    // B: killed while waiting on its 10 s timer.
    await start(host, 'crashable', 'crash-timer', { ms: 10, timerSeconds: 10 });
    // C: an event raised (and acknowledged) just before the crash, while the instance is busy.
    await start(host, 'approval', 'crash-events');
    await waitFor(host, 'crash-events', ['Running']);
    await expect
      .poll(
        async () =>
          (await status(host, 'crash-timer', '?showHistory=true'))!.historyEvents!.filter(
            (e) => history(e) === 'TimerCreated',
          ).length,
        { timeout: 10_000 },
      )
      .toBe(1);
    expect(await raise(host, 'crash-events', 'approve', 'before crash')).toBe(202);
    expect(await raise(host, 'crash-events', 'approve', 'also before crash')).toBe(202);
    await host.kill();

    // Down for a while: B's timer comes due while nothing runs.
    await new Promise((r) => setTimeout(r, 1000));
    await host.restart();
    expect(host.output()).toMatch(/instances resumed/);

    for (const id of ['crash-activity', 'crash-timer']) {
      await waitFor(host, id, ['Running']);
      // The orchestrators wait for "go" after their timer; raise it once they are there.
      await expect
        .poll(async () => count((await status(host, id, '?showHistory=true'))!, 'TimerFired'), {
          timeout: 20_000,
          interval: 200,
        })
        .toBe(1);
      expect(await raise(host, id, 'go', { id })).toBe(202);
    }
    const a = await waitFor(host, 'crash-activity');
    expect(a).toMatchObject({ runtimeStatus: 'Completed', output: { a: 'a', b: 'b', ev: { id: 'crash-activity' } } });
    const b = await waitFor(host, 'crash-timer');
    expect(b).toMatchObject({ runtimeStatus: 'Completed', output: { a: 'a', b: 'b', ev: { id: 'crash-timer' } } });
    expect(count(b, 'TimerCreated')).toBe(1);
    expect(count(b, 'TimerFired')).toBe(1);
    const c = await waitFor(host, 'crash-events');
    expect(c.output).toEqual(['before crash', 'also before crash']);
  }, 60_000);

  it('resumes an instance killed right after it started, and the timer fires once after a second crash', async () => {
    await start(host, 'crashable', 'crash-twice', { ms: 10, timerSeconds: 3 });
    await host.kill();
    await host.restart();
    await expect
      .poll(async () => count((await status(host, 'crash-twice', '?showHistory=true'))!, 'TimerCreated'), {
        timeout: 10_000,
      })
      .toBe(1);
    await host.kill();
    await new Promise((r) => setTimeout(r, 3500));
    await host.restart();
    await expect
      .poll(async () => count((await status(host, 'crash-twice', '?showHistory=true'))!, 'TimerFired'), {
        timeout: 10_000,
      })
      .toBe(1);
    await raise(host, 'crash-twice', 'go', 1);
    const s = await waitFor(host, 'crash-twice');
    expect(s.output).toEqual({ a: 'a', b: 'b', ev: 1 });
    expect(count(s, 'TimerFired')).toBe(1);
  }, 60_000);

  it('restores the custom status from history after a crash, and reads back episodes stored over several rows', async () => {
    // A custom-status change alone writes no instance row (the history carries it); big payloads
    // make the last episode outgrow one history row, so it is stored split and must read back whole.
    const first = 'x'.repeat(12_000);
    const second = 'y'.repeat(12_000);
    await start(host, 'approval', 'crash-status');
    await waitFor(host, 'crash-status', ['Running']);
    expect(await raise(host, 'crash-status', 'approve', first)).toBe(202);
    await expect
      .poll(async () => (await status(host, 'crash-status'))!.customStatus, { timeout: 10_000 })
      .toEqual({ stage: 'second' });
    await host.kill();
    await host.restart();
    expect((await status(host, 'crash-status'))!.customStatus).toEqual({ stage: 'second' });
    const listed = (await (
      await fetch(host.url(`${API}/instances?instanceIdPrefix=crash-status`), { headers: host.admin })
    ).json()) as Status[];
    expect(listed.find((i) => i.instanceId === 'crash-status')?.customStatus).toEqual({ stage: 'second' });
    expect(await raise(host, 'crash-status', 'approve', second)).toBe(202);
    const done = await waitFor(host, 'crash-status');
    expect(done).toMatchObject({
      runtimeStatus: 'Completed',
      customStatus: { stage: 'done' },
      output: [first, second],
    });
    expect(count(done, 'EventRaised')).toBe(2);
  }, 60_000);
});
