import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_RETRY_SCHEDULE,
  parseRetrySchedule,
  retryDelayMs,
} from '../../../../shared/domain/partner-webhooks/retry-schedule.js';

describe('partner webhook retry schedule', () => {
  it('by default retries 11 times over about three days, starting after 5 s', () => {
    const pauses = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE)!;
    expect(pauses[0]).toBe(5000);
    expect(pauses).toHaveLength(11);
    const total = pauses.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(60);
    expect((total * 1.2) / 3_600_000).toBeLessThanOrEqual(84);
  });

  it('parses units and refuses anything else', () => {
    expect(parseRetrySchedule('250ms, 1.5s,2m,1h')).toEqual([250, 1500, 120_000, 3_600_000]);
    expect(parseRetrySchedule('5')).toBeUndefined();
    expect(parseRetrySchedule('5s,,5m')).toBeUndefined();
    expect(parseRetrySchedule('')).toBeUndefined();
  });

  it('spreads each pause within ±20 %, the same for the same delivery and attempt, and ends with the schedule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 86_400_000 }), { minLength: 1, maxLength: 15 }),
        fc.string({ minLength: 1 }),
        (schedule, id) => {
          for (let attempt = 2; attempt <= schedule.length + 1; attempt++) {
            const d = retryDelayMs(schedule, attempt, id)!;
            const base = schedule[attempt - 2]!;
            expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
            expect(d).toBeLessThanOrEqual(Math.ceil(base * 1.2));
            expect(retryDelayMs(schedule, attempt, id)).toBe(d);
          }
          expect(retryDelayMs(schedule, schedule.length + 2, id)).toBeUndefined();
        },
      ),
    );
  });

  it('gives different deliveries different pauses, so a backlog does not return at once', () => {
    const pauses = new Set(Array.from({ length: 50 }, (_, i) => retryDelayMs([300_000], 2, `msg_${i}`)));
    expect(pauses.size).toBeGreaterThan(40);
  });
});
