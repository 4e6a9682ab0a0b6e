// Child process of the deploy contract test: loads the compiled app with exactly the settings it is
// given (nothing inherited) through the `@azure/functions-core` registration hook the real worker
// provides, and prints what registered and which packages the app's own files required while loading
// (a cold start pays for those: docs/capacity.md, Cold start). The appStart hooks are not run: they would reach Azure.
// Usage, from the repository root: node dist/test/deploy/list-registrations.js <settings.json>
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { pathToFileURL } from 'node:url';
import { Registry } from '../../local/core/registry.js';
import { installFunctionsCore } from '../../local/core/functions-core.js';
import { resolveEntries } from '../../local/core/app-loader.js';

async function main(): Promise<void> {
  const settings = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>;
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, settings);

  // Every require() passes Module._load (internal, untyped); a bare name asked for by a file outside
  // node_modules is a package the app itself loads.
  const loader = Module as unknown as { _load: (request: string, parent?: { filename?: string }) => unknown };
  const load = loader._load;
  const packages = new Set<string>();
  loader._load = function (request, parent, ...rest) {
    if (!/^[./]|^node:/.test(request) && parent?.filename && !parent.filename.includes('node_modules'))
      packages.add(
        request
          .split('/')
          .slice(0, request.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    return load.call(this, request, parent, ...rest);
  };
  const registry = new Registry();
  installFunctionsCore(registry, () => {});
  for (const file of resolveEntries(process.cwd()).filter((f) => f.endsWith('.js'))) {
    await import(pathToFileURL(file).href);
  }
  const functions = [...registry.functions.values()].map((f) => ({ name: f.name, bindings: f.metadata.bindings }));
  process.stdout.write(`REGISTRATIONS ${JSON.stringify(functions)}\n`);
  process.stdout.write(`PACKAGES ${JSON.stringify([...packages].sort())}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
