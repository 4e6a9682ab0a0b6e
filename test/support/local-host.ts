// Starts the compiled local host (dist/local/main.js) as a child process on port 0 against the
// shared emulators, the way a user runs `npm start`. Children stop with the test (and die with the
// test process: the host exits when its stdin closes, see MARQUEE_EXIT_WITH_PARENT).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';

export const repoRoot = resolve(__dirname, '..', '..');

export interface HostOptions {
  /** Overrides package.json main, e.g. 'dist/test/fixtures/basic-app.js'. Default: the real app. */
  main?: string;
  /**
   * Another app's folder (`--app-root`), started as `func start` would start it: with its own
   * local.settings.json if it has one, never the tests' settings file.
   */
  appRoot?: string;
  env?: Record<string, string>;
  /** Milliseconds to wait for the ready line. */
  timeoutMs?: number;
  /**
   * Start Azurite and the Cosmos server as the host's own children, as `npm start` does (on any
   * free ports, keeping their data in the host's data folder), instead of using the run's shared ones.
   */
  ownEmulators?: boolean;
}

export interface TestHost {
  origin: string;
  /** The host's keys (set per host by this helper). */
  keys: { master: string; function: string };
  /** `x-functions-key: <master key>`, for the host's control plane (Durable API, /.local, simulator admin). */
  admin: { 'x-functions-key': string };
  /** The host's own data folder (a temporary one, never the repository's .marquee/). */
  dataDir: string;
  /** The host process's id. */
  readonly pid: number;
  /** Environment the host ended up with (its emulator endpoints, issuer...). */
  env: Record<string, string | undefined>;
  /** Everything the host printed so far. */
  output(): string;
  url(path: string): string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, nothing cleaned up. */
  kill(): Promise<void>;
  /** Starts the host again with the same settings, database, task hub and port. */
  restart(): Promise<void>;
}

export async function startHost(options: HostOptions = {}): Promise<TestHost> {
  const unique = randomBytes(4).toString('hex');
  const keys = { master: `test-master-${randomBytes(12).toString('hex')}`, function: `test-function-${unique}-key` };
  const dataDir = mkdtempSync(join(tmpdir(), 'marquee-test-'));
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    MARQUEE_READY_JSON: '1',
    MARQUEE_EXIT_WITH_PARENT: '1',
    MARQUEE_PORT: '0',
    MARQUEE_WEBPUBSUB_PORT: '0',
    MARQUEE_LOG_LEVEL: 'warning',
    AzureWebJobsStorage: inject('storageConnectionString'),
    COSMOS_ENDPOINT: inject('cosmosEndpoint'),
    COSMOS_KEY: inject('cosmosKey'),
    COSMOS_DATABASE: `test${unique}`,
    MARQUEE_TASK_HUB: `hub${unique}`,
    // Service Bus entities are Azurite queues named from this prefix: hosts of test files running
    // side by side must not share them, or one host's receiver takes another's messages.
    MARQUEE_SB_PREFIX: `sb${unique}`,
    DEMO_DATA: 'false',
    MARQUEE_MASTER_KEY: keys.master,
    MARQUEE_FUNCTION_KEY: keys.function,
    MARQUEE_DATA_DIR: dataDir,
    ...options.env,
  };
  if (options.ownEmulators) {
    for (const k of ['COSMOS_ENDPOINT', 'COSMOS_KEY']) delete env[k];
    Object.assign(env, {
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      MARQUEE_COSMOS_PORT: '0',
      MARQUEE_AZURITE_BLOB_PORT: '0',
      MARQUEE_AZURITE_QUEUE_PORT: '0',
      MARQUEE_AZURITE_TABLE_PORT: '0',
    });
  }
  const args = options.appRoot
    ? [join(repoRoot, 'dist/local/main.js'), '--app-root', options.appRoot]
    : ['dist/local/main.js', '--settings', 'test/support/test.settings.json'];
  if (options.main) args.push('--main', options.main);

  let child: ChildProcess;
  let log = '';
  let origin = '';
  let reported: Record<string, string | undefined> = {};

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      child = spawn(process.execPath, ['--enable-source-maps', ...args], {
        cwd: repoRoot,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const timer = setTimeout(
        () => reject(new Error(`host not ready in time:\n${log.slice(-3000)}`)),
        options.timeoutMs ?? 30_000,
      );
      // Only this launch's output: after a restart the log still holds the previous ready line.
      const from = log.length;
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const m = /^MARQUEE_READY (.*)$/m.exec(log.slice(from));
        if (m && !origin) {
          const ready = JSON.parse(m[1]!) as { origin: string; env: Record<string, string | undefined> };
          origin = ready.origin;
          reported = ready.env;
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
      child.once('exit', (code) => {
        if (!origin) {
          clearTimeout(timer);
          reject(new Error(`host exited with ${code} before it was ready:\n${log.slice(-3000)}`));
        }
      });
    });

  const waitExit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });

  await launch();
  const host: TestHost = {
    get origin() {
      return origin;
    },
    keys,
    admin: { 'x-functions-key': keys.master },
    dataDir,
    get pid() {
      return child.pid!;
    },
    get env() {
      return reported;
    },
    output: () => log,
    url: (path) => origin + path,
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
    async restart() {
      env.MARQUEE_PORT = new URL(origin).port; // same origin: URLs handed out before stay valid
      origin = '';
      await launch();
    },
  };
  return host;
}
