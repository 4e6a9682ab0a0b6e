// Starts an emulator as a child process and waits until it prints that it is ready. Children die
// with the host: stop() on Ctrl-C/SIGTERM, and a parent that dies abruptly closes their stdin pipe,
// which they watch (see the `--watch-parent` wrapper below).
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildService {
  readonly name: string;
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
}

export const resolveBin = (specifier: string): string => require.resolve(specifier);

const wrapper = `
// Exit when the parent goes away (its end of our stdin closes), so no emulator outlives the host.
process.stdin.on('end', () => process.exit(0)); process.stdin.on('error', () => process.exit(0)); process.stdin.resume();
process.argv.splice(1, 1); require(process.argv[1]);
`;

export function startChild(options: ChildOptions): Promise<ChildService> {
  const child = spawn(process.execPath, ['-e', wrapper, 'child', options.script, ...options.args], {
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
          `${options.name} did not become ready within ${options.timeoutMs ?? 20_000} ms. Output:\n${output.slice(-2000)}`,
        ),
      );
    }, options.timeoutMs ?? 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        const index = pending.findIndex((p) => p.test(line));
        if (index < 0) continue;
        matches.push(pending[index]!.exec(line)!);
        pending.splice(index, 1);
        if (pending.length === 0) {
          clearTimeout(timer);
          // Keep draining output so the child never blocks on a full pipe.
          resolve({ name: options.name, process: child, readyMatches: matches, stop });
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
