// The app's own choice of local services: `local.host.json` in the app root (optional). The host
// itself knows no app; an app that wants more than its bindings give it (an emulator its code
// talks to, a simulator, a web client) lists it here (local/README.md, The app's local.host.json).
// Without the file an app gets Azurite and the plugins of the bindings it registers, as with `func start`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const APP_CONFIG_FILE = 'local.host.json';

const AppConfigSchema = z.strictObject({
  /** Documentation entries, ignored. */
  '//': z.unknown().optional(),
  /** Copied to local.settings.json when that file is missing (relative to the app root). */
  settingsSample: z.string().min(1).optional(),
  /** Emulators besides Azurite, started before the app loads: `cosmos` (the embedded Cosmos DB server). */
  services: z.array(z.enum(['cosmos'])).default([]),
  /**
   * Plugins in start order: a built-in optional one by name (`web-pubsub`, `communication`), or a
   * module path relative to the app root that exports `plugins` (a list), `plugin` or a default.
   */
  plugins: z.array(z.string().min(1)).default([]),
  /** Settings named in the ready line (MARQUEE_READY_JSON) besides those the host supplied. */
  readySettings: z.array(z.string().min(1)).default([]),
});

export type AppConfig = z.infer<typeof AppConfigSchema>;

export function readAppConfig(appRoot: string): AppConfig {
  const path = join(appRoot, APP_CONFIG_FILE);
  if (!existsSync(path)) return AppConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${APP_CONFIG_FILE}: not valid JSON (${(err as Error).message})`);
  }
  const result = AppConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(`${APP_CONFIG_FILE}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
