// The shortened chaos run inside `npm test` (the full one is `npm run chaos`): the compiled local
// host with every kind of fault on, a small load of bookings, payments and cancellations for a
// short time, with one SIGKILL of the host and a restart on the run's data folder midway, then the
// invariants (test/chaos/invariants.ts) on what was committed (test/chaos/options.ts, ciOptions).
import { describe, expect, it } from 'vitest';
import { ciOptions } from './options.js';
import { formatReport } from './report.js';
import { runChaos } from './run.js';

describe('chaos', () => {
  it('under Cosmos, provider, webhook and activity faults and a host SIGKILL no seat is sold twice, money balances and nothing is left stuck', async () => {
    const report = await runChaos(ciOptions());
    const printed = formatReport(report);
    console.log(printed);
    // The run must have been a real one: faults happened and bookings went through.
    expect(
      Object.values(report.faults).reduce((a, b) => a + b, 0),
      printed,
    ).toBeGreaterThan(0);
    expect(report.load.confirmedSeen, printed).toBeGreaterThan(0);
    expect(report.restarts, printed).toBe(1);
    for (const invariant of report.invariants)
      expect(invariant.violations, `${invariant.name}\n${printed}`).toEqual([]);
    // A fault is answered 503 problem+json with Retry-After (or another retryable 5xx problem), never 500.
    const http500 = Object.keys(report.load.serverErrorsBy).filter((k) => k.startsWith('500 '));
    expect(http500, printed).toEqual([]);
    expect(report.load.malformedErrorsBy, printed).toEqual({});
  }, 240_000);
});
