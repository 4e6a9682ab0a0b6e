// local.settings.json, as `func start` treats it: copied from the sample when missing, and its
// Values loaded into the environment without overriding what the environment already has.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSettings {
  path: string;
  created: boolean;
  values: Record<string, string>;
}

export function loadLocalSettings(appRoot: string, env: NodeJS.ProcessEnv = process.env, file?: string): LocalSettings {
  const path = file ?? join(appRoot, 'local.settings.json');
  let created = false;
  if (!file && !existsSync(path)) {
    copyFileSync(join(appRoot, 'local.settings.sample.json'), path);
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
