// Starts an emulator as a child process, waits until it prints that it is ready, and supervises it:
// a child that dies while the host runs is started again (same arguments, on the ports it had, so
// the endpoints the app holds stay right) with a log line, backing off while it keeps dying.
// Children die with the host: stop() on Ctrl-C/SIGTERM, and a parent that dies abruptly closes
// their stdin pipe, which they watch (see the wrapper below).
//
// A child that keeps files (Azurite) names a pid file in its folder: a launch first waits for the
// process named there to exit, so a host restarted right after a crash never starts a second
// emulator that reads the folder while the orphaned one is still saving it (Azurite stops listening
// before it saves, so a free port proves nothing; its late save would then be overwritten by the new
// one's, or the new one would miss it).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

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
  /** One process per file: holds the child's pid; a launch waits (up to a minute) for the one named there to exit. */
  pidFile?: string;
  /** Told when a launch has to wait for the process in `pidFile`. */
  onWait?: (line: string) => void;
}

export const resolveBin = (specifier: string): string => require.resolve(specifier);

const wrapper = `
// Output to a parent that is gone must not kill the child: once the host dies, our stdout/stderr
// pipes have no reader, and the first log line of Azurite's shutdown ('Blob service successfully
// closed') failed with EPIPE, an uncaught error that ended the process before its table store had
// saved: the Durable state of the last seconds (sagas, holds) was lost at every host SIGKILL that
// fell between two of its 5 s autosaves. Errors on these two streams are dropped instead.
for (const s of [process.stdout, process.stderr]) s.on('error', () => {});
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

async function launch(options: ChildOptions, args: string[]): Promise<Launched> {
  if (options.pidFile) await previousExited(options);
  const child = spawn(process.execPath, ['-e', wrapper, 'child', options.script, ...args], {
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (options.pidFile && child.pid) writeFileSync(options.pidFile, `${child.pid}\n`);
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

/** The wrapper gives an orphan 20 s to save and exit; a minute covers that on a busy machine. */
const PREVIOUS_EXIT_WAIT_MS = 60_000;

/** Waits until the process named in the pid file (if it is still this kind of child) has exited. */
export async function previousExited(
  options: Pick<ChildOptions, 'name' | 'script' | 'pidFile' | 'onWait'>,
): Promise<void> {
  if (!options.pidFile) return;
  let pid: number;
  try {
    pid = Number(readFileSync(options.pidFile!, 'utf8').trim());
  } catch {
    return; // no file: no previous child
  }
  if (!(pid > 0) || !sameChild(pid, options.script)) return;
  options.onWait?.(`${options.name}: waiting for the previous one (pid ${pid}) to save its files and exit`);
  for (const deadline = Date.now() + PREVIOUS_EXIT_WAIT_MS; sameChild(pid, options.script);) {
    if (Date.now() > deadline)
      throw new Error(
        `${options.name} (pid ${pid}, in ${options.pidFile}) is still running: another host may be using this data folder. Stop it, or use another folder.`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Alive and (where /proc tells) running this script — not some process that got a reused pid. */
function sameChild(pid: number, script: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(script);
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the pid; on Linux it vanished meanwhile
  }
}
