// Quiet hours: an hour is quiet exactly when it lies in the window, wrapping midnight or not, in the
// given time zone; "HH-HH" with equal ends is no window at all.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inQuietHours } from '../../../shared/notifications/quiet-hours.js';

const hh = (n: number) => String(n).padStart(2, '0');
const at = (hour: number) => Date.UTC(2026, 11, 2, hour, 30);

describe('inQuietHours', () => {
  it('is quiet exactly for the hours inside the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 23 }),
        (s, e, h) => {
          const inside = s === e ? false : s < e ? h >= s && h < e : h >= s || h < e;
          expect(inQuietHours(at(h), 'UTC', `${hh(s)}-${hh(e)}`)).toBe(inside);
        },
      ),
    );
  });

  it('reads the hour in the users’ zone: 17:00 UTC is 22:30 in Kolkata', () => {
    expect(inQuietHours(Date.UTC(2026, 11, 2, 17, 0), 'Asia/Kolkata', '22-08')).toBe(true);
    expect(inQuietHours(Date.UTC(2026, 11, 2, 17, 0), 'UTC', '22-08')).toBe(false);
  });
});
