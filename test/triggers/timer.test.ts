// Timer triggers through the local host: firing, runOnStartup, no overlap, failures, retries,
// and a bad schedule refused at start-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { testDatabase, type TestDatabase } from './observations.js';

interface TimerSeen {
  timer: {
    schedule: { adjustForDST: boolean };
    scheduleStatus: { last: string; next: string; lastUpdated: string };
    isPastDue: boolean;
  };
}

describe('timer triggers', () => {
  let host: TestHost;
  let db: TestDatabase;
  let started: number;

  beforeAll(async () => {
    db = await testDatabase();
    started = Date.now();
    host = await startHost({
      main: 'dist/test/fixtures/triggers-timer.js',
      env: { COSMOS_DATABASE: db.name, EVERY_SECOND: '*/1 * * * * *' },
    });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('fires a */1 * * * * * schedule about once a second, on the second, with the camelCased timer value', async () => {
    const items = await db.waitFor<TimerSeen>('everySecond', (xs) => xs.length >= 5);
    // The occurrences themselves (not wall-clock arrival, which a loaded machine stretches): whole
    // seconds, mostly one apart; a skipped second is allowed (it would be skipped in Azure too).
    const occurrences = items.slice(0, 5).map((x) => Date.parse(x.timer.scheduleStatus.next));
    const steps = occurrences.slice(1).map((t, i) => t - occurrences[i]!);
    for (const t of occurrences) expect(t % 1000).toBe(0);
    expect(steps.filter((s) => s === 1000).length).toBeGreaterThanOrEqual(2);
    for (const s of steps) expect(s).toBeGreaterThanOrEqual(1000);
    // ...and each arrives close to its occurrence.
    for (const x of items.slice(0, 5)) expect(x.at - Date.parse(x.timer.scheduleStatus.next)).toBeLessThan(1500);
    const { timer } = items[1]!;
    expect(timer.schedule).toEqual({ adjustForDST: true });
    expect(timer.isPastDue).toBe(false);
    expect(new Date(timer.scheduleStatus.next).getMilliseconds()).toBe(0);
    expect(Date.parse(timer.scheduleStatus.last)).toBe(Date.parse(items[0]!.timer.scheduleStatus.next));
  });

  it('runs a runOnStartup timer once at start even though its schedule is a year away', async () => {
    const items = await db.waitFor<TimerSeen>('onStartup', (xs) => xs.length >= 1);
    expect(items[0]!.at - started).toBeLessThan(30_000);
    expect(items[0]!.timer.scheduleStatus.next).toMatch(/-01-01T00:00:00.000Z$/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await db.list('onStartup')).toHaveLength(1);
  });

  it('never overlaps a slow invocation and computes the next occurrence after it finished', async () => {
    const items = await db.waitFor<{ start: number; end: number }>('slow', (xs) => xs.length >= 3);
    for (let i = 1; i < items.length; i++) {
      expect(items[i]!.start).toBeGreaterThanOrEqual(items[i - 1]!.end);
      // 2.5 s of work on a 1 s schedule: the next run waits for the next second, missed ones are skipped.
      expect(items[i]!.start - items[i - 1]!.end).toBeLessThan(1500);
      // ...and starts on a whole second (a queued occurrence would start the moment the last ended).
      expect(items[i]!.start % 1000).toBeLessThan(500);
    }
  });

  it('keeps firing after an invocation throws', async () => {
    const items = await db.waitFor('failing', (xs) => xs.length >= 3);
    expect(items.length).toBeGreaterThanOrEqual(3);
  });

  it('honours the retry policy, passing retryContext, until the handler succeeds', async () => {
    const items = await db.waitFor<{
      retryContext: { retryCount: number; maxRetryCount: number; exception?: { message?: string } };
    }>('retrying', (xs) => xs.length >= 3);
    expect(items.slice(0, 3).map((x) => x.retryContext.retryCount)).toEqual([0, 1, 2]);
    expect(items[0]!.retryContext.maxRetryCount).toBe(3);
    expect(items[1]!.retryContext.exception?.message).toContain('try again');
    expect(items[1]!.at - items[0]!.at).toBeGreaterThanOrEqual(900);
    await new Promise((r) => setTimeout(r, 1500));
    // Succeeded at retry 2: no fourth attempt for this occurrence.
    expect(
      (await db.list<{ retryContext: { retryCount: number } }>('retrying')).filter(
        (x) => x.retryContext.retryCount === 3,
      ),
    ).toHaveLength(0);
  });
});

describe('an invalid timer schedule', () => {
  it('stops start-up with a line naming the function', async () => {
    await expect(startHost({ main: 'dist/test/fixtures/triggers-bad-schedule.js' })).rejects.toThrow(
      /timer function "midnightPlusOne" has an invalid schedule "0 0 24 \* \* \*".*hour/,
    );
  });
});
