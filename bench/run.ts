// `npm run bench`: runs every benchmark module (dist/bench/*.js exporting `run()`, except this
// file; bench/support/ holds helpers) one after another, so they never compete for the machine,
// then prints one summary table. `node dist/bench/run.js http durable` runs just those.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

type Bench = { run: () => Promise<unknown> };

function discover(): string[] {
  return readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== basename(__filename))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Flattens a result object into "a.b.c" → value rows for the summary table. */
export function flatten(value: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (value === null || value === undefined) out.push([prefix || 'result', String(value)]);
  else if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) out.push([prefix, value.join(', ')]);
    else value.forEach((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else
    out.push([
      prefix || 'result',
      typeof value === 'number' && !Number.isInteger(value) ? String(Math.round(value * 100) / 100) : String(value),
    ]);
  return out;
}

async function main(): Promise<void> {
  const available = discover();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
    process.exit(2);
  }
  const names = wanted.length ? wanted : available;
  const summary: { name: string; rows: [string, string][]; seconds: number }[] = [];
  let failed = false;
  for (const name of names) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(__dirname, `${name}.js`)) as Partial<Bench>;
    if (typeof mod.run !== 'function') continue;
    process.stdout.write(`\n=== bench ${name}\n`);
    const started = Date.now();
    try {
      const result = await mod.run();
      summary.push({ name, rows: flatten(result), seconds: (Date.now() - started) / 1000 });
    } catch (err) {
      failed = true;
      summary.push({
        name,
        rows: [['error', (err as Error)?.message?.split('\n')[0] ?? String(err)]],
        seconds: (Date.now() - started) / 1000,
      });
    }
  }
  process.stdout.write('\n' + table(summary) + '\n');
  process.exit(failed ? 1 : 0);
}

function table(summary: { name: string; rows: [string, string][]; seconds: number }[]): string {
  const lines: [string, string, string][] = [['bench', 'metric', 'value']];
  for (const s of summary) {
    lines.push([s.name, 'duration s', s.seconds.toFixed(1)]);
    for (const [k, v] of s.rows) lines.push(['', k, v]);
  }
  const w0 = Math.max(...lines.map((l) => l[0].length));
  const w1 = Math.max(...lines.map((l) => l[1].length));
  const out = lines.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  out.splice(1, 0, '-'.repeat(Math.min(120, w0 + w1 + 20)));
  return 'Summary\n' + out.join('\n');
}

if (require.main === module) void main();
