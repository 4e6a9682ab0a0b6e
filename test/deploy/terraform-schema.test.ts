// npm run check:terraform passes on infra/terraform (npm test runs it before vitest); this proves it can
// fail: on a copy with a misspelt nested argument, an unknown argument, a dangling reference, an
// undeclared variable and a literal secret, it exits non-zero naming each.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '..', '..');
const copy = mkdtempSync(join(tmpdir(), 'marquee-tf-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function edit(file: string, from: string, to: string): void {
  const path = join(copy, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${from}`);
  writeFileSync(path, text.replace(from, to));
}

it('names every schema, reference and secret problem in a broken copy of infra/terraform', () => {
  cpSync(join(repoRoot, 'infra/terraform'), copy, { recursive: true });
  edit('cosmos.tf', 'consistency_level = "Session"', 'consistency_levle = "Session"');
  edit('cosmos.tf', 'offer_type          = "Standard"', 'offer_type = "Standard"\n  bogus_argument = true');
  edit(
    'functionapp.tf',
    '"LOG_LEVEL" = var.log_level',
    '"LOG_LEVEL" = var.log_levels\n    "X" = azurerm_web_pubsub.nope.hostname',
  );
  writeFileSync(
    join(copy, 'literal.tf'),
    'resource "azurerm_key_vault_secret" "literal" {\n  name = "x"\n  key_vault_id = azurerm_key_vault.main.id\n  value = "hunter2hunter2"\n}\n',
  );
  const run = spawnSync(process.execPath, ['dist/test/deploy/terraform-schema.js', copy], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  expect(run.status).toBe(1);
  const problems = run.stdout.split('\n').filter((l) => l.startsWith('✗'));
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringContaining('consistency_levle is not an argument of azurerm_cosmosdb_account'),
      expect.stringContaining('required argument consistency_level is missing'),
      expect.stringContaining('bogus_argument is not an argument of azurerm_cosmosdb_account'),
      expect.stringContaining('var.log_levels is not declared'),
      expect.stringContaining('refers to an undeclared azurerm_web_pubsub.nope'),
      expect.stringContaining('azurerm_key_vault_secret.literal[0].value: a literal secret-like value'),
    ]),
  );
  expect(problems).toHaveLength(6);
});
