// Starts an emulator as a child process, waits until it prints that it is ready, and supervises it:
// a child that dies while the host runs is started again (same arguments, on the ports it had, so
// the endpoints the app holds stay right) with a log line, backing off while it keeps dying.
// Children die with the host: stop() on Ctrl-C/SIGTERM, and a parent that dies abruptly closes
// their stdin pipe, which they watch (see the wrapper below).
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildService {
  readonly name: string;
  /** The running process (a new one after each restart). */
  readonly process: ChildProcess;
  /** Lines matched by the readiness pattern, in order (e.g. one per Azurite service). */
  readonly readyMatches: RegExpExecArray[];
  stop(): Promise<void>;
}

export interface ChildOptions {
  name: string;
  /** A package's bin script, resolved from node_modules. */
  script: string;
  args: string[];
  cwd?: string;
  /** Every pattern must match a line of output before the service counts as ready. */
  ready: RegExp[];
  timeoutMs?: number;
  /** The arguments of a restart, given the first start's ready lines (e.g. the ports it bound). */
  restartArgs?: (readyMatches: RegExpExecArray[]) => string[];
  /** Told about every unexpected exit and restart; without it the child is not restarted. */
  onRestart?: (line: string) => void;
}

export const resolveBin = (specifier: string): string => require.resolve(specifier);

const wrapper = `
// Stop when the parent goes away (its end of our stdin closes), so no emulator outlives the host:
// SIGTERM first, so one that saves its files on the way out (Azurite) does — given 20 s, as a busy machine
// can need — then exit regardless.
const orphaned = () => { setTimeout(() => process.exit(0), 20000).unref(); process.kill(process.pid, 'SIGTERM'); };
process.stdin.on('end', orphaned); process.stdin.on('error', orphaned); process.stdin.resume();
process.argv.splice(1, 1); require(process.argv[1]);
`;

/** Restarts back off from 250 ms to 10 s while the child keeps dying within a minute of its start. */
const backoffMs = (failures: number) => Math.min(10_000, 250 * 2 ** failures);

export async function startChild(options: ChildOptions): Promise<ChildService> {
  let stopping = false;
  const first = await launch(options, options.args);
  let current = first;
  const service: ChildService = {
    name: options.name,
    get process() {
      return current.child;
    },
    readyMatches: first.matches,
    stop: () => {
      stopping = true;
      return current.stop();
    },
  };
  if (!options.onRestart) return service;
  const report = options.onRestart;
  const args = options.restartArgs?.(first.matches) ?? options.args;
  let failures = 0;
  const supervise = (launched: Launched) => {
    const startedAt = Date.now();
    launched.child.once('exit', (code, signal) => {
      if (stopping) return;
      failures = Date.now() - startedAt > 60_000 ? 0 : failures + 1;
      const delay = backoffMs(failures - 1);
      report(`${options.name} (pid ${launched.child.pid}) exited (${signal ?? code}); restarting it in ${delay} ms`);
      const again = async (): Promise<void> => {
        if (stopping) return;
        try {
          current = await launch(options, args);
          if (stopping) return void current.stop();
          report(`${options.name} restarted (pid ${current.child.pid})`);
          supervise(current);
        } catch (err) {
          failures++;
          report(`${options.name} failed to restart: ${(err as Error).message.split('\n')[0]}; trying again`);
          setTimeout(() => void again(), backoffMs(failures - 1)).unref();
        }
      };
      setTimeout(() => void again(), delay).unref();
    });
  };
  supervise(first);
  return service;
}

interface Launched {
  child: ChildProcess;
  matches: RegExpExecArray[];
  stop(): Promise<void>;
}

function launch(options: ChildOptions, args: string[]): Promise<Launched> {
  const child = spawn(process.execPath, ['-e', wrapper, 'child', options.script, ...args], {
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const matches: RegExpExecArray[] = [];
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return new Promise((resolve, reject) => {
    const pending = [...options.ready];
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(
          `${options.name} did not become ready within ${options.timeoutMs ?? 60_000} ms. Output:\n${output.slice(-2000)}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      // Keep only a tail: a long-lived child's output must not grow the host's memory.
      output = (output + chunk.toString()).slice(-4000);
      if (pending.length === 0) return;
      for (const line of chunk.toString().split('\n')) {
        const index = pending.findIndex((p) => p.test(line));
        if (index < 0) continue;
        matches.push(pending[index]!.exec(line)!);
        pending.splice(index, 1);
        if (pending.length === 0) {
          clearTimeout(timer);
          // Keep draining output so the child never blocks on a full pipe.
          resolve({ child, matches, stop });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      if (pending.length === 0) return;
      clearTimeout(timer);
      reject(
        new Error(`${options.name} exited (${signal ?? code}) before it was ready. Output:\n${output.slice(-2000)}`),
      );
    });
  });
}
