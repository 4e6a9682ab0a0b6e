// Fidelity apps (test/fidelity/apps) run as a user runs an app of their own: copied to a temporary
// folder with no local.settings.json, with their own node_modules — a copy of @azure/functions and
// durable-functions of their own (so `instanceof` in the app proves the host used the app's
// classes, not its own copy), their other dependencies linked — and started with
// `node dist/local/main.js --app-root <folder>`.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot, startHost, type HostOptions, type TestHost } from '../support/local-host.js';

/** Packages each app gets a copy of; everything they depend on is linked from the repository. */
const OWN_COPIES = ['@azure/functions', 'durable-functions'];

export function prepareApp(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `fidelity-${name}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(repoRoot, 'test/fidelity/apps', name), dir, { recursive: true });
  const modules = join(dir, 'node_modules');
  const linked = new Set<string>();
  for (const pkg of OWN_COPIES) {
    const from = join(repoRoot, 'node_modules', pkg);
    cpSync(from, join(modules, pkg), { recursive: true, dereference: true });
    const deps = (JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as { dependencies?: object })
      .dependencies;
    for (const dep of Object.keys(deps ?? {})) if (!OWN_COPIES.includes(dep)) linked.add(dep);
  }
  for (const dep of linked) {
    const target = join(modules, dep);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', dep), target, 'dir');
  }
  return dir;
}

export function startApp(appRoot: string, options: HostOptions = {}): Promise<TestHost> {
  return startHost({ ...options, appRoot });
}

/** Polls `read` until `done` holds (generous: the machine may be busy). */
export async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`gave up waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
