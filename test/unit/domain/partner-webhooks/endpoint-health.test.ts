import { describe, expect, it } from 'vitest';
import { healthAfter, successIsNews } from '../../../../shared/domain/partner-webhooks/endpoint-health.js';

const DAY = 86_400_000;
const t0 = Date.parse('2026-12-01T00:00:00Z');

describe("an endpoint's health after an attempt", () => {
  it('counts a streak of failures from its first and clears it on a success', () => {
    let h = healthAfter({ failureStreak: 0 }, { ok: false, statusCode: 500 }, t0, 5 * DAY).health;
    h = healthAfter(h, { ok: false }, t0 + 1000, 5 * DAY).health;
    expect(h).toMatchObject({ failureStreak: 2, failingSince: new Date(t0).toISOString() });
    h = healthAfter(h, { ok: true, statusCode: 204 }, t0 + 2000, 5 * DAY).health;
    expect(h.failureStreak).toBe(0);
    expect(h.failingSince).toBeUndefined();
    expect(h.lastSuccessAt).toBe(new Date(t0 + 2000).toISOString());
  });

  it('disables at once on 410, and after five days of failures without a success', () => {
    expect(healthAfter({ failureStreak: 0 }, { ok: false, statusCode: 410 }, t0, 5 * DAY).disable).toBe('gone');
    const failing = { failureStreak: 9, failingSince: new Date(t0).toISOString() };
    expect(healthAfter(failing, { ok: false, statusCode: 503 }, t0 + 5 * DAY - 1, 5 * DAY).disable).toBeUndefined();
    expect(healthAfter(failing, { ok: false, statusCode: 503 }, t0 + 5 * DAY, 5 * DAY).disable).toBe('failing');
  });

  it('writes a success only when it is news', () => {
    const healthy = { failureStreak: 0, lastSuccessAt: new Date(t0).toISOString() };
    expect(successIsNews(healthy, t0 + 30_000)).toBe(false);
    expect(successIsNews(healthy, t0 + 61_000)).toBe(true);
    expect(successIsNews({ ...healthy, failureStreak: 1 }, t0 + 1000)).toBe(true);
    expect(successIsNews({ failureStreak: 0 }, t0)).toBe(true);
  });
});
