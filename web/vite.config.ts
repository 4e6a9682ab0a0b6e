// Vite build of the browser client (web/ → web/dist). The API origin is fixed at build time with
// VITE_API_ORIGIN (empty = same origin, as when the local host serves web/dist). Every text asset
// is also written precompressed (.br, .gz) so a static host or the local host serves it as is.
import { defineConfig, type Plugin } from 'vite';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|webmanifest)$/;

function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'marquee-precompress',
    apply: 'build',
    configResolved(config) {
      // build.outDir is relative to the project root (web/), never the working directory.
      outDir = isAbsolute(config.build.outDir) ? config.build.outDir : resolve(config.root, config.build.outDir);
      if (!outDir.startsWith(here)) throw new Error(`refusing to precompress outside web/: ${outDir}`);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file) || file.endsWith('staticwebapp.config.json')) continue;
        const data = readFileSync(file);
        if (data.length < 512) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
          }),
        );
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [precompress()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    // `npx vite web` during development: the API comes from the local host.
    proxy: Object.fromEntries(
      ['/api', '/.identity', '/.payments', '/_console'].map((p) => [p, 'http://127.0.0.1:7071']),
    ),
  },
});
