// `npm start`: runs the local host in the foreground, prints the function table like `func start`,
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

// dist/local/main.js → the repository root.
const appRoot = resolve(values['app-root'] ?? resolve(__dirname, '..', '..'));
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
      settingsFile: values.settings && resolve(values.settings),
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
      process.stdout.write(`MARQUEE_READY ${JSON.stringify({ origin: host.origin, env: pickEnv() })}\n`);
  } catch (err) {
    process.stderr.write(`marquee: ${err instanceof Error ? err.message : String(err)}\n`);
    await shutdown(1);
  }
}

void main();

function pickEnv(): Record<string, string | undefined> {
  const keys = [
    'COSMOS_ENDPOINT',
    'AzureWebJobsStorage',
    'AUTH_ISSUER',
    'AUTH_AUDIENCE',
    'WEBPUBSUB_CONNECTION_STRING',
    'PAYMENTS_BASE_URL',
  ];
  return Object.fromEntries(keys.map((k) => [k, process.env[k]]));
}
