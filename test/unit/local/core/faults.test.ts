// Fault injection's choices (local/core/faults.ts): off unless asked for, reproducible from the seed
// per kind, at the configured rate, silent while switched off, outage windows on the clock.
import { describe, expect, it } from 'vitest';
import { Faults, parseFaultSettings, type FaultKind } from '../../../../local/core/faults.js';

const faults = (env: Record<string, string>, now?: () => number) => {
  const f = new Faults(parseFaultSettings(env), now);
  f.setEnabled(f.configured());
  return f;
};
const rolls = (f: Faults, kind: FaultKind, n: number) => Array.from({ length: n }, () => f.roll(kind));

describe('fault injection', () => {
  it('injects nothing without settings, and nothing before the host switches it on', () => {
    const none = new Faults(parseFaultSettings({}));
    expect(none.configured()).toBe(false);
    expect(rolls(none, 'cosmos.429', 200).some(Boolean)).toBe(false);
    const off = new Faults(parseFaultSettings({ LOCAL_FAULTS_COSMOS_429: '1' }));
    expect(off.configured('cosmos')).toBe(true);
    expect(off.enabled).toBe(false);
    expect(off.roll('cosmos.429')).toBe(false);
    expect(off.report().counts['cosmos.429']).toBe(0);
  });

  it('makes the same choices for the same seed, and one kind rolling does not shift another', () => {
    const env = { LOCAL_FAULTS_SEED: '7', LOCAL_FAULTS_WEBHOOK_LOSS: '0.3', LOCAL_FAULTS_COSMOS_503: '0.3' };
    const a = faults(env);
    const b = faults(env);
    rolls(b, 'cosmos.503', 57); // b's Cosmos stream moves on; its webhook stream must not
    expect(rolls(a, 'webhook.loss', 100)).toEqual(rolls(b, 'webhook.loss', 100));
    expect(rolls(faults({ ...env, LOCAL_FAULTS_SEED: '8' }), 'webhook.loss', 100)).not.toEqual(
      rolls(faults(env), 'webhook.loss', 100),
    );
  });

  it('fails at about the configured rate and counts every fault it injects', () => {
    const f = faults({ LOCAL_FAULTS_ACTIVITY_CRASH: '0.2' });
    const hits = rolls(f, 'activity.crash', 2000).filter(Boolean).length;
    expect(hits).toBeGreaterThan(320);
    expect(hits).toBeLessThan(480);
    expect(f.report().counts['activity.crash']).toBe(hits);
    f.setEnabled(false);
    expect(rolls(f, 'activity.crash', 200).some(Boolean)).toBe(false);
    expect(f.report().counts['activity.crash']).toBe(hits);
  });

  it('takes the provider down for OUTAGE_MS of every OUTAGE_EVERY_MS, starting one period after injection was switched on', () => {
    let now = 1_000_000;
    const f = faults(
      { LOCAL_FAULTS_PAYMENTS_OUTAGE_EVERY_MS: '10000', LOCAL_FAULTS_PAYMENTS_OUTAGE_MS: '2000' },
      () => now,
    );
    const at = (offset: number) => ((now = 1_000_000 + offset), f.paymentsOut());
    expect([at(0), at(1999), at(9999)]).toEqual([false, false, false]);
    expect([at(10_000), at(11_999), at(12_000), at(20_500), at(23_000)]).toEqual([true, true, false, true, false]);
    expect(f.report().counts['payments.outage']).toBe(3);
  });

  it('refuses a bad setting with its name', () => {
    expect(() => parseFaultSettings({ LOCAL_FAULTS_COSMOS_429: '1.5' })).toThrow(/LOCAL_FAULTS_COSMOS_429/);
    expect(() => parseFaultSettings({ LOCAL_FAULTS_WEBHOOK_DELAY_MS: 'soon' })).toThrow(
      /LOCAL_FAULTS_WEBHOOK_DELAY_MS/,
    );
  });
});
