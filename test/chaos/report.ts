// The chaos run's printout: the faults injected (counts by kind), the invariants (held or not, with
// the first violations), what the load did, and the throughput.
import { FAULT_KINDS } from '../../local/core/faults.js';
import type { ChaosReport } from './run.js';

export function formatReport(r: ChaosReport): string {
  const lines: string[] = [];
  const table = (title: string, rows: [string, string][]) => {
    const w = Math.max(...rows.map(([k]) => k.length));
    lines.push('', title, '-'.repeat(Math.max(title.length, w + 12)));
    for (const [k, v] of rows) lines.push(`${k.padEnd(w)}  ${v}`);
  };
  table(
    'Faults injected',
    FAULT_KINDS.map((k) => [k, String(r.faults[k] ?? 0)]),
  );
  if (r.restarts) table('Host crashes', [['SIGKILL + restart', String(r.restarts)]]);
  table(
    'Invariants',
    r.invariants.map((i) => [
      i.name,
      `${i.held ? 'HELD' : 'BROKEN'} (${i.checked} checked, ${i.violations.length} violations)`,
    ]),
  );
  for (const i of r.invariants.filter((x) => !x.held)) {
    lines.push('', `${i.name}: first violations`);
    for (const v of i.violations.slice(0, 10)) lines.push(`  - ${v}`);
  }
  table('Load', [
    ...Object.entries(r.load).map(
      ([k, v]) =>
        [
          k,
          typeof v === 'object'
            ? Object.entries(v)
                .map(([why, n]) => `${why}: ${n}`)
                .join(', ') || '-'
            : String(v),
        ] as [string, string],
    ),
    [
      'bookings by final status',
      Object.entries(r.bookings)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['load s / settle s', `${r.loadSeconds.toFixed(1)} / ${r.settleSeconds.toFixed(1)}`],
  ]);
  if (r.unsettled.length) {
    lines.push('', 'Not final when the settle window ended (first few)');
    for (const l of r.unsettled) lines.push(`  ${l}`);
  }
  if (r.hostErrors.length) {
    lines.push('', 'Host failures (first lines)');
    for (const l of r.hostErrors) lines.push(`  ${l}`);
  }
  table('Throughput', [
    ['requests/s (under faults)', r.throughput.requestsPerSecond.toFixed(1)],
    ['bookings confirmed/s', r.throughput.confirmedPerSecond.toFixed(2)],
  ]);
  return lines.join('\n');
}
