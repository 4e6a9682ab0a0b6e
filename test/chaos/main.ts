// `npm run chaos`: the full chaos run (test/chaos/options.ts fullOptions); exits 1 when an
// invariant is broken. Flags: --seed N, --seconds N (load), --users N, --restarts N, --crash host|group
// (what a crash SIGKILLs: the host, the default, or its whole process group, emulators included), and
// --data-env NAME=VALUE (repeatable; "{data}" is the run's folder) for the host's persistence.
import { parseArgs } from 'node:util';
import { fullOptions } from './options.js';
import { formatReport } from './report.js';
import { runChaos } from './run.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    seconds: { type: 'string' },
    users: { type: 'string' },
    restarts: { type: 'string' },
    crash: { type: 'string' },
    'data-env': { type: 'string', multiple: true },
  },
});

async function main(): Promise<void> {
  const options = fullOptions();
  if (values.seed) options.seed = Number(values.seed);
  if (values.seconds) options.durationMs = Number(values.seconds) * 1000;
  if (values.users) options.users = Number(values.users);
  if (values.restarts) options.restarts = Number(values.restarts);
  if (values.crash === 'host' || values.crash === 'group') options.crash = values.crash;
  else if (values.crash) throw new Error(`--crash ${values.crash}: say host or group`);
  for (const pair of values['data-env'] ?? []) {
    const at = pair.indexOf('=');
    if (at > 0) options.dataEnv[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const started = Date.now();
  const log = (line: string) =>
    process.stdout.write(`chaos +${((Date.now() - started) / 1000).toFixed(1)} s: ${line}\n`);
  const report = await runChaos(options, log);
  process.stdout.write(formatReport(report) + '\n');
  process.exit(report.invariants.every((i) => i.held) ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
