// Orchestrations replayed through the real durable-functions library on the local host: each case
// starts the fixture orchestration over the Durable HTTP API and checks the output and history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { count, FIXTURE, raise, start, waitFor } from './helpers.js';

let host: TestHost;
beforeAll(async () => {
  host = await startHost({ main: FIXTURE });
});
afterAll(async () => {
  await host?.stop();
});

describe('orchestration replay', () => {
  it('runs a sequence of activities started by an HTTP function, and the status URL reports the output', async () => {
    const res = await fetch(host.url('/api/orchestrators/helloSequence'), { method: 'POST' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; statusQueryGetUri: string };
    expect(res.headers.get('location')).toBe(body.statusQueryGetUri);
    expect(new URL(body.statusQueryGetUri).origin).toBe(host.origin);
    let s: { runtimeStatus: string; output: unknown } = { runtimeStatus: 'Pending', output: null };
    for (let i = 0; i < 100 && s.runtimeStatus !== 'Completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = (await (await fetch(body.statusQueryGetUri)).json()) as typeof s;
    }
    expect(s).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'],
    });
  });

  it('passes inputs and results through with the encoding the library expects', async () => {
    await start(host, 'inputs', 'inputs-1', { x: 1 });
    const s = await waitFor(host, 'inputs-1');
    expect(s.output).toEqual({ text: 'plain text', obj: { x: 1 }, none: null });
  });

  it('retries an activity that throws twice and then succeeds, with the backoff timers in history', async () => {
    await start(host, 'retrying', 'retry-1', 'retry-key-1');
    const s = await waitFor(host, 'retry-1');
    expect(s.runtimeStatus).toBe('Completed');
    expect(s.output).toEqual({ key: 'retry-key-1', attempts: 3 });
    expect(count(s, 'TaskFailed')).toBe(2);
    expect(count(s, 'TimerFired')).toBe(2);
    // 300 ms then 600 ms (coefficient 2): the second retry timer is due 600 ms after its failure.
    const created = s.historyEvents!.filter((e) => e.EventType === 'TimerCreated' || e.EventType === 'TimerFired');
    expect(created.length).toBe(4);
  });

  it('surfaces the error after the last retry (after one more timer) and keeps numbering tasks correctly', async () => {
    await start(host, 'retryExhausted', 'retry-2');
    const s = await waitFor(host, 'retry-2');
    expect(s.runtimeStatus).toBe('Completed');
    expect(s.output).toMatchObject({
      caught: expect.stringContaining("Activity function 'soldOut' failed: sold out"),
      after: 'Hello after!',
    });
    expect(count(s, 'TimerFired')).toBe(2);
  });

  it('numbers Task.all([retryable, plain]) then a third task as the library does', async () => {
    await start(host, 'parallelRetry', 'retry-3', 'retry-key-3');
    const s = await waitFor(host, 'retry-3');
    expect(s.output).toEqual({ a: { key: 'retry-key-3', attempts: 3 }, b: 42, c: 'Hello C!' });
  });

  it('fires a durable timer no earlier than its due time', async () => {
    const t0 = Date.now();
    await start(host, 'timer', 'timer-1', 2);
    const s = await waitFor(host, 'timer-1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(s.output).toEqual({ waitedAtLeast: true });
    expect(count(s, 'TimerFired')).toBe(1);
  });

  it('delivers external events in order, buffers early ones, and reports custom status', async () => {
    await start(host, 'approval', 'events-1');
    const waiting = await waitFor(host, 'events-1', ['Running']);
    expect(waiting.customStatus).toEqual({ stage: 'waiting' });
    // Both raised at once: the second arrives before the orchestrator waits for it again.
    expect(await raise(host, 'events-1', 'approve', 'first')).toBe(202);
    expect(await raise(host, 'events-1', 'approve', 'second')).toBe(202);
    const s = await waitFor(host, 'events-1');
    expect(s.output).toEqual(['first', 'second']);
    expect(s.customStatus).toEqual({ stage: 'done' });
  });

  it('keeps duplicate raised events as separate events, and an extra one does not disturb the result', async () => {
    await start(host, 'approval', 'events-2');
    await waitFor(host, 'events-2', ['Running']);
    const codes = await Promise.all([
      raise(host, 'events-2', 'approve', 'same'),
      raise(host, 'events-2', 'approve', 'same'),
      raise(host, 'events-2', 'approve', 'same'),
    ]);
    expect(codes).toEqual([202, 202, 202]);
    const s = await waitFor(host, 'events-2');
    expect(s.output).toEqual(['same', 'same']);
    expect(count(s, 'EventRaised')).toBeGreaterThanOrEqual(2);
    expect(await raise(host, 'events-2', 'approve', 'late')).toBe(410);
  });

  it('races a timer against an event both ways (Task.any), cancelling the losing timer', async () => {
    await start(host, 'race', 'race-timer', 1);
    await start(host, 'race', 'race-event', 60);
    await waitFor(host, 'race-event', ['Running']);
    await raise(host, 'race-event', 'paid', { amount: 10 });
    expect((await waitFor(host, 'race-event')).output).toEqual({ winner: 'paid', pay: { amount: 10 } });
    expect((await waitFor(host, 'race-timer')).output).toEqual({ winner: 'timer' });
  });

  it('fans out with Task.all over activities and a sub-orchestration, results in array order', async () => {
    await start(host, 'fanOut', 'fan-1');
    const s = await waitFor(host, 'fan-1');
    expect(s.output).toEqual([2, 4, 6, 8, 10, { child: 200, parent: 'fan-1' }]);
    expect((await waitFor(host, 'fan-1-child')).runtimeStatus).toBe('Completed');
  });

  it('runs sub-orchestrations, and a failing one with retry surfaces its failure to the parent', async () => {
    await start(host, 'parent', 'parent-1');
    const s = await waitFor(host, 'parent-1');
    expect(s.output).toMatchObject({
      ok: { child: 14, parent: 'parent-1' },
      failure: expect.stringContaining('child refused 1'),
    });
    expect(count(s, 'SubOrchestrationInstanceFailed')).toBe(2);
  });

  it('continues as new with a fresh history until done', async () => {
    await start(host, 'counter', 'counter-1', 0);
    const s = await waitFor(host, 'counter-1');
    expect(s.output).toEqual({ n: 3, doubled: 6 });
    expect(s.input).toBe(3);
    expect(count(s, 'ExecutionStarted')).toBe(1);
  });

  it('fails the instance when the orchestrator throws, with the error text', async () => {
    await start(host, 'throws', 'throws-1');
    const s = await waitFor(host, 'throws-1');
    expect(s.runtimeStatus).toBe('Failed');
    expect(s.output).toBe("Orchestrator function 'throws' failed: boom in orchestrator");
  });

  it('fails the instance with the activity failure details when nothing catches it', async () => {
    await start(host, 'activityFails', 'fails-1');
    const s = await waitFor(host, 'fails-1');
    expect(s.runtimeStatus).toBe('Failed');
    expect(s.output).toContain("Activity function 'soldOut' failed: sold out");
    expect(s.output).toContain('"Message":"sold out"');
  });

  it('detects a non-deterministic orchestrator and fails it clearly', async () => {
    await start(host, 'nonDeterministic', 'nondet-1');
    const s = await waitFor(host, 'nondet-1');
    expect(s.runtimeStatus).toBe('Failed');
    expect(s.output).toMatch(/^Non-Deterministic workflow detected: .*'sayHello' with sequence ID 0.*'double'/);
  });
});

describe('long timers', () => {
  let short: TestHost;
  beforeAll(async () => {
    // Same split logic as 6 days / 3 days, scaled down to seconds so the test can wait for it.
    short = await startHost({
      main: FIXTURE,
      env: { MARQUEE_DURABLE_MAX_SHORT_TIMER: '00:00:04', MARQUEE_DURABLE_LONG_TIMER_INTERVAL: '00:00:02' },
    });
  });
  afterAll(async () => {
    await short?.stop();
  });

  it('splits a timer longer than the maximum into sub-timers the way the library numbers them', async () => {
    await start(short, 'timer', 'long-1', 9);
    const s = await waitFor(short, 'long-1', undefined, 30_000);
    expect(s.output).toEqual({ waitedAtLeast: true });
    // +2 s, +4 s, +6 s, then the final +9 s: four sub-timers, each fired once.
    expect(count(s, 'TimerCreated')).toBe(4);
    expect(count(s, 'TimerFired')).toBe(4);
  });
});
