// NCRONTAB schedules as the timer plugin reads them: croner's arithmetic, the NCRONTAB dialect.
import { describe, expect, it } from 'vitest';
import { parseSchedule, ScheduleError } from '../../../../local/timer/schedule.js';

const from = new Date('2025-03-01T00:00:00Z'); // a Saturday
const runs = (expr: string, n = 3, env: NodeJS.ProcessEnv = {}) => {
  const s = parseSchedule(expr, env);
  const out: string[] = [];
  let at = from;
  for (let i = 0; i < n; i++) {
    at = s.next(at)!;
    out.push(at.toISOString());
  }
  return out;
};

describe('timer schedules', () => {
  it('fires every five minutes on the minute for 0 */5 * * * *', () => {
    expect(runs('0 */5 * * * *')).toEqual([
      '2025-03-01T00:05:00.000Z',
      '2025-03-01T00:10:00.000Z',
      '2025-03-01T00:15:00.000Z',
    ]);
  });

  it('fires every ten seconds for */10 * * * * *', () => {
    expect(runs('*/10 * * * * *')).toEqual([
      '2025-03-01T00:00:10.000Z',
      '2025-03-01T00:00:20.000Z',
      '2025-03-01T00:00:30.000Z',
    ]);
  });

  it('fires every second for */1 * * * * *', () => {
    expect(runs('*/1 * * * * *', 2)).toEqual(['2025-03-01T00:00:01.000Z', '2025-03-01T00:00:02.000Z']);
  });

  it('understands ranges and day names, matching weekdays only', () => {
    expect(runs('0 0 9-10 * * MON-FRI')).toEqual([
      '2025-03-03T09:00:00.000Z',
      '2025-03-03T10:00:00.000Z',
      '2025-03-04T09:00:00.000Z',
    ]);
  });

  it('understands lists and month names', () => {
    expect(runs('0 0,30 12 1 JAN,jul *')).toEqual([
      '2025-07-01T12:00:00.000Z',
      '2025-07-01T12:30:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
  });

  it('requires both day of month and day of week when both are set, as NCrontab does', () => {
    // Friday the 13th, not "every 13th or every Friday".
    expect(runs('0 0 0 13 * FRI', 2)).toEqual(['2025-06-13T00:00:00.000Z', '2026-02-13T00:00:00.000Z']);
  });

  it('treats 0 as Sunday', () => {
    expect(runs('0 30 9 * * 0', 1)).toEqual(['2025-03-02T09:30:00.000Z']);
  });

  it('resolves %Setting% placeholders from the app settings', () => {
    expect(runs('%CLEANUP_SCHEDULE%', 1, { CLEANUP_SCHEDULE: '0 0 * * * *' })).toEqual(['2025-03-01T01:00:00.000Z']);
  });

  it('reads a TimeSpan as a fixed interval after the last occurrence', () => {
    expect(runs('00:00:30', 2)).toEqual(['2025-03-01T00:00:30.000Z', '2025-03-01T00:01:00.000Z']);
    expect(runs('01:00:00', 1)).toEqual(['2025-03-01T01:00:00.000Z']);
  });

  it.each([
    ['5 4 * * *', /six/],
    ['* * * * * * *', /six/],
    ['0 0 24 * * *', /hour.*outside 0-23/],
    ['0 0 0 ? * *', /not NCRONTAB/],
    ['0 0 0 L * *', /not NCRONTAB/],
    ['0 0 0 * * MON-FRX', /not a day-of-week name/],
    ['0 0 12 * * 1#2', /not NCRONTAB/],
    ['0 0 0 * * 7', /outside 0-6/],
    ['0 0 0 * FOO *', /not a month name/],
    ['0 */0 * * * *', /step of 0/],
    ['0 0 0 31 2 *', /never occurs/],
    ['%MISSING%', /MISSING.*not set/],
    ['00:00:00', /positive TimeSpan/],
  ])('refuses %s', (expr, why) => {
    expect(() => parseSchedule(expr, {})).toThrow(ScheduleError);
    expect(() => parseSchedule(expr, {})).toThrow(why);
  });
});
