// local.settings.json, as `func start` treats it: optional, and its Values loaded into the
// environment without overriding what the environment already has. An app may name a sample to copy
// when the file is missing (`settingsSample` in its local.host.json); the host has none of its own.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSettings {
  /** The file read, or undefined when the app has none. */
  path: string | undefined;
  created: boolean;
  values: Record<string, string>;
}

export function loadLocalSettings(
  appRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  file?: string,
  sample?: string,
): LocalSettings {
  const path = file ?? join(appRoot, 'local.settings.json');
  let created = false;
  if (!file && !existsSync(path)) {
    if (!sample) return { path: undefined, created, values: {} };
    copyFileSync(join(appRoot, sample), path);
    created = true;
  }
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, unknown> };
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.Values ?? {})) {
    if (key.startsWith('//')) continue; // documentation entries in the sample
    values[key] = String(value);
    if (env[key] === undefined) env[key] = String(value);
  }
  return { path, created, values };
}
