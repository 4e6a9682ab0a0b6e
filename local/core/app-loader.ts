// Loads the app the way the worker does: every file matching package.json `main` (which may be a
// glob such as `dist/{functions,orchestrations}/**/*.js`), in sorted order, then the appStart hooks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Registry } from './registry.js';

export function resolveEntries(appRoot: string, pattern?: string): string[] {
  const main = pattern ?? (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { main?: string }).main;
  if (!main) throw new Error('package.json has no "main": the host would load no functions.');
  // Commas inside `{a,b}` are alternatives, not pattern separators.
  const patterns = main
    .split(/,(?![^{]*\})/)
    .map((p) => p.trim())
    .filter(Boolean);
  const files = new Set<string>();
  for (const p of patterns) for (const f of expand(appRoot, p)) files.add(f);
  return [...files].sort();
}

/** Minimal glob: `{a,b}` alternatives, `**` for any depth, `*` within a segment. */
function expand(root: string, pattern: string): string[] {
  const alternatives = braceExpand(pattern);
  const out: string[] = [];
  for (const alt of alternatives) {
    if (!/[*?]/.test(alt)) {
      const full = join(root, alt);
      if (exists(full)) out.push(full);
      continue;
    }
    const base = alt.slice(0, alt.search(/[*?]/)).replace(/[^/]*$/, '');
    const regex = globToRegex(alt);
    for (const file of walk(join(root, base))) {
      if (regex.test(relative(root, file).split(sep).join('/'))) out.push(file);
    }
  }
  return out;
}

function braceExpand(pattern: string): string[] {
  const m = /\{([^{}]*)\}/.exec(pattern);
  if (!m) return [pattern];
  return m[1]!
    .split(',')
    .flatMap((part) => braceExpand(pattern.slice(0, m.index) + part + pattern.slice(m.index + m[0].length)));
}

function globToRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function* walk(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else yield full;
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Imports every entry (registrations happen as a side effect), seals the registry, runs appStart. */
export async function loadApp(registry: Registry, files: string[], appRoot: string): Promise<void> {
  // Only JavaScript is loaded, like the real host (source maps and declarations are skipped).
  for (const file of files.filter((f) => f.endsWith('.js') || f.endsWith('.mjs') || f.endsWith('.cjs'))) {
    // import() loads CommonJS and ES modules alike, as the worker does (require hook still applies).
    await import(pathToFileURL(file).href);
  }
  registry.seal();
  for (const hook of registry.hooks.get('appStart') ?? []) {
    await hook({ hookData: {}, appHookData: {}, functionAppDirectory: appRoot });
  }
}
