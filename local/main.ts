#!/usr/bin/env node
// `npm start` (and the package's `marquee-host` bin): runs the local host in the foreground, prints the function table like `func start`,
// and stops every child on Ctrl-C or SIGTERM.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startLocalHost, type LocalHost } from './host.js';
import { functionTable } from './core/function-table.js';

const { values } = parseArgs({
  options: {
    main: { type: 'string' },
    settings: { type: 'string' },
    'app-root': { type: 'string' },
    // Start with an empty data folder (MARQUEE_FRESH=true does the same).
    fresh: { type: 'boolean', default: false },
  },
});

// Like `func start`, the app is the current folder unless --app-root names another; the host works
// in the app's folder, so the app's relative paths mean what they mean under the real host. Paths
// given on the command line are taken relative to where the command was typed.
const appRoot = resolve(values['app-root'] ?? process.cwd());
const settingsFile = values.settings && resolve(values.settings);
process.chdir(appRoot);
// The environment as it was given: what the host supplies is reported on the ready line.
const given = { ...process.env };
const started = Date.now();
let host: LocalHost | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await host?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// Tests and scripts that start the host as a child set this: when the parent dies, so do we.
if (process.env.MARQUEE_EXIT_WITH_PARENT === '1') {
  process.stdin.on('end', () => void shutdown(0));
  process.stdin.resume();
}

async function main(): Promise<void> {
  try {
    host = await startLocalHost({
      appRoot,
      main: values.main,
      settingsFile,
      fresh: values.fresh,
      supervise: true,
    });
    const lines = [
      '',
      `Marquee local host — ${host.registry.functions.size} functions, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      '',
      ...functionTable(host),
      '',
      ...host.banner,
      '',
      'Press Ctrl-C to stop.',
    ];
    process.stdout.write(lines.join('\n') + '\n');
    // One machine-readable line for scripts and tests that start the host on port 0.
    if (process.env.MARQUEE_READY_JSON === '1')
      process.stdout.write(`MARQUEE_READY ${JSON.stringify({ origin: host.origin, env: pickEnv(host) })}\n`);
  } catch (err) {
    process.stderr.write(`marquee: ${err instanceof Error ? err.message : String(err)}\n`);
    await shutdown(1);
  }
}

void main();

/** The settings the host supplied or changed (bare keys and secrets aside), and those the app's local.host.json names. */
function pickEnv(started: LocalHost): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (given[k] !== v && !/(key|secret)$/i.test(k)) out[k] = v;
  for (const k of started.readySettings) out[k] = process.env[k];
  return out;
}
