// The data folder (`.marquee/` by default, MARQUEE_DATA_DIR): what `npm start` keeps between runs —
// Azurite's files, the embedded Cosmos server's journal, the payment simulator's state, and the
// host's keys and per-install secrets (local/README.md, Data folder). Without one (MARQUEE_DATA_DIR
// empty) everything lives in memory and the secrets are new at every start.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DataDir {
  /** The folder, or undefined when state lives in memory. */
  readonly root: string | undefined;
  /** A path inside the folder (created), or undefined without one. */
  folder(name: string): string | undefined;
  /**
   * The secret called `name`: the one kept in the folder, or `make()`'s, kept from now on. Kept
   * secrets make a restart keep its keys: tickets, webhook signatures and tokens still verify.
   */
  secret(name: string, make?: () => string): string;
}

export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

export function openDataDir(setting: string, appRoot: string, fresh: boolean): DataDir {
  const root = setting.trim() === '' ? undefined : resolve(appRoot, setting);
  if (root && fresh) rmSync(root, { recursive: true, force: true });
  if (root) mkdirSync(root, { recursive: true, mode: 0o700 });
  const file = root && join(root, 'secrets.json');
  const secrets: Record<string, string> = file ? readSecrets(file) : {};
  return {
    root,
    folder(name) {
      if (!root) return undefined;
      const path = join(root, name);
      mkdirSync(path, { recursive: true, mode: 0o700 });
      return path;
    },
    secret(name, make = () => randomSecret()) {
      const kept = secrets[name];
      if (kept) return kept;
      const made = make();
      secrets[name] = made;
      if (file) writeAtomically(file, JSON.stringify(secrets, null, 2) + '\n');
      return made;
    },
  };
}

function readSecrets(file: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${file} is not valid JSON (delete it, or start with --fresh): ${(err as Error).message}`);
  }
}

/** Write a temporary file, fsync it, rename it over the target: a crash leaves the old or the new file. */
export function writeAtomically(file: string, text: string): void {
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
