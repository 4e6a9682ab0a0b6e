// The local host as a chaos run drives it: `node dist/local/main.js` in its own process group. A
// crash is SIGKILL of the host process (its emulators see it die and stop, Azurite saving its files:
// local/README.md, Data folder) or, with `group`, one SIGKILL to the whole group (the host and its
// Azurite and Cosmos children at once: Azurite then loses what it took in its last 5 s). A restart
// starts it again on the same port and settings — and on the same data folder when the run keeps one
// (test/chaos/options.ts, restarts).
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from '../support/spawn-host.js';

export interface ChaosHost {
  readonly origin: string;
  /** The settings the host reported at its last start (emulator endpoints, …). */
  readonly env: Record<string, string | undefined>;
  output(): string;
  /** SIGKILL of the host (`host`) or of its whole process group (`group`): nothing flushed, nothing cleaned up. */
  crash(kind: CrashKind): Promise<void>;
  /** Starts again with the same settings and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export type CrashKind = 'host' | 'group';

export async function startChaosHost(env: Record<string, string>, timeoutMs = 90_000): Promise<ChaosHost> {
  const settings: Record<string, string> = { ...env, MARQUEE_READY_JSON: '1', MARQUEE_EXIT_WITH_PARENT: '1' };
  let child: ChildProcess;
  let log = '';
  let origin = '';
  let reported: Record<string, string | undefined> = {};

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      let ready = false;
      child = spawn(process.execPath, ['dist/local/main.js', '--settings', 'test/support/test.settings.json'], {
        cwd: repoRoot,
        env: settings,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      const timer = setTimeout(() => reject(new Error(`host not ready in time:\n${log.slice(-3000)}`)), timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const m = /^MARQUEE_READY (.*)$/m.exec(log.slice(-4000));
        if (m && !ready) {
          ready = true;
          clearTimeout(timer);
          const info = JSON.parse(m[1]!) as { origin: string; env: Record<string, string | undefined> };
          origin = info.origin;
          reported = info.env;
          resolve();
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.once('exit', (code, signal) => {
        if (ready) return;
        clearTimeout(timer);
        reject(new Error(`host exited (${signal ?? code}) before it was ready:\n${log.slice(-3000)}`));
      });
    });

  const exited = (c: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
    });

  await launch();
  return {
    get origin() {
      return origin;
    },
    get env() {
      return reported;
    },
    output: () => log,
    async crash(kind) {
      const c = child;
      try {
        process.kill(kind === 'group' ? -c.pid! : c.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited(c);
    },
    async restart() {
      settings.MARQUEE_PORT = new URL(origin).port; // payment links handed out before stay valid
      log += '\n--- restart ---\n';
      await launch();
    },
    async stop() {
      const c = child;
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
      await exited(c);
    },
  };
}
