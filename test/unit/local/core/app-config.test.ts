// The app's choice of local services (local/core/app-config.ts, local/plugins.ts) and its settings
// file (local/core/local-settings.ts): an app with neither file starts with defaults and gets no
// settings file written; a wrong local.host.json is one line naming the key.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAppConfig } from '../../../../local/core/app-config.js';
import { loadLocalSettings } from '../../../../local/core/local-settings.js';
import { appPlugins, optionalPlugins } from '../../../../local/plugins.js';

const dirs: string[] = [];
function app(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'app-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("the app's local.host.json", () => {
  it('is optional: no services, no plugins, no sample', () => {
    expect(readAppConfig(app())).toEqual({ services: [], plugins: [], readySettings: [] });
  });

  it('names the key it refuses', () => {
    expect(() => readAppConfig(app({ 'local.host.json': '{"services":["cosmos"],"plugin":[]}' }))).toThrow(
      /^local\.host\.json: .*plugin/,
    );
    expect(() => readAppConfig(app({ 'local.host.json': '{"services":["sql"]}' }))).toThrow(
      /^local\.host\.json: services\.0: /,
    );
    expect(() => readAppConfig(app({ 'local.host.json': '{' }))).toThrow(/^local\.host\.json: not valid JSON/);
  });

  it('loads built-in plugins by name and the app’s own by path, and refuses anything else', () => {
    const root = app({
      'local.host.json': '{"plugins":["web-pubsub","./mine.js"]}',
      'package.json': '{}',
      'mine.js': "exports.plugin = { name: 'mine', start: async () => undefined };",
    });
    const plugins = appPlugins(readAppConfig(root), root);
    expect(plugins.map((p) => p.name)).toEqual([optionalPlugins['web-pubsub']!.name, 'mine']);
    expect(() => appPlugins({ ...readAppConfig(root), plugins: ['payments'] }, root)).toThrow(
      /plugin "payments" is neither a built-in one \(web-pubsub, communication\) nor a path/,
    );
    writeFileSync(join(root, 'none.js'), 'exports.x = 1;');
    expect(() => appPlugins({ ...readAppConfig(root), plugins: ['./none.js'] }, root)).toThrow(/exports no plugin/);
  });
});

describe('local.settings.json', () => {
  it('is optional, and nothing is written into the app when it is missing', () => {
    const root = app();
    const env: NodeJS.ProcessEnv = {};
    expect(loadLocalSettings(root, env)).toEqual({ path: undefined, created: false, values: {} });
    expect(existsSync(join(root, 'local.settings.json'))).toBe(false);
  });

  it('is made from the sample the app names, and its Values never override the environment', () => {
    const root = app({ 'sample.json': '{"Values":{"A":"from-file","B":"2","//doc":"x"}}' });
    const env: NodeJS.ProcessEnv = { A: 'from-env' };
    const loaded = loadLocalSettings(root, env, undefined, 'sample.json');
    expect(loaded.created).toBe(true);
    expect(readFileSync(join(root, 'local.settings.json'), 'utf8')).toContain('from-file');
    expect(env).toEqual({ A: 'from-env', B: '2' });
  });
});
