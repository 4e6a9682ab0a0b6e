// Starts `node dist/local/main.js` as a child exactly as `npm start` would, without vitest (the
// benchmark uses it too). The caller owns the environment: its own emulators, ports, settings.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from source (test/support) or compiled (dist/test/support) alike. */
export const repoRoot = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export interface SpawnedHost {
  child: ChildProcess;
  origin: string;
  /** The master key, for the host's control plane (the Durable API, /.local, the simulator's admin routes). */
  masterKey: string;
  env: Record<string, string | undefined>;
  output(): string;
  /** Sends the signal and waits for the exit; resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  main?: string;
  settings?: string;
  timeoutMs?: number;
  /** Another checkout of the repository whose compiled host to run (bench/host-versions.ts). */
  root?: string;
}

/**
 * Unless the caller says otherwise, the host keeps its state in memory (MARQUEE_DATA_DIR empty:
 * nothing lands in the repository's .marquee/) and gets a random master key.
 */
export function spawnHost(options: SpawnOptions): Promise<SpawnedHost> {
  const args = ['dist/local/main.js', '--settings', options.settings ?? 'test/support/test.settings.json'];
  if (options.main) args.push('--main', options.main);
  const masterKey = options.env.MARQUEE_MASTER_KEY ?? `spawned-master-${randomBytes(12).toString('hex')}`;
  const env: Record<string, string> = {};
  const settings = {
    MARQUEE_DATA_DIR: '',
    ...options.env,
    MARQUEE_MASTER_KEY: masterKey,
    MARQUEE_READY_JSON: '1',
    MARQUEE_EXIT_WITH_PARENT: '1',
  };
  for (const [k, v] of Object.entries(settings)) if (v !== undefined) env[k] = v;
  const child = spawn(process.execPath, args, { cwd: options.root ?? repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolvePromise, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`host not ready in time:\n${log.slice(-3000)}`));
    }, options.timeoutMs ?? 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const m = /^MARQUEE_READY (.*)$/m.exec(log);
      if (m && !ready) {
        ready = true;
        clearTimeout(timer);
        const info = JSON.parse(m[1]!) as { origin: string; env: Record<string, string | undefined> };
        resolvePromise({ child, origin: info.origin, masterKey, env: info.env, output: () => log, stop });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`host exited with ${code} before it was ready:\n${log.slice(-3000)}`), {
          output: log,
          code,
        }),
      );
    });
  });
}
