// `npm run check:terraform`: every resource and data source in infra/terraform checked against the azurerm
// provider's schema without Terraform or Azure — the schema is the jsii assembly of HashiCorp's prebuilt
// provider bindings (@cdktf/provider-azurerm, fetched into node_modules/.cache on first use, never a
// dependency of the app). Checks: each argument and nested block exists (also inside dynamic blocks),
// each required argument is set, every `azurerm_*.x.attr`, `var.x` and `local.x` reference resolves to a
// declaration and a real attribute, and no secret is written as a literal.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { convertFiles } from '@cdktf/hcl2json';

// The newest published bindings (HashiCorp stopped publishing them in December 2025): azurerm 4.55.0.
const BINDINGS = '@cdktf/provider-azurerm@14.23.1';
const SCHEMA_VERSION = '4.55.0';

// Arguments newer than that schema, each with the provider release that added it. Keep this short and
// justified: it is the only way past the check.
const NEWER_THAN_SCHEMA: Record<string, string> = {
  'azurerm_cosmosdb_account.local_authentication_enabled':
    '4.78: replaces local_authentication_disabled (versions.tf sets the floor)',
};

const META_ARGUMENTS = new Set([
  'count',
  'for_each',
  'depends_on',
  'lifecycle',
  'provider',
  'provisioner',
  'connection',
]);

interface JsiiProperty {
  name: string;
  optional?: boolean;
  static?: boolean;
  type: JsiiType;
}
interface JsiiType {
  fqn?: string;
  primitive?: string;
  collection?: { elementtype: JsiiType; kind: string };
  union?: { types: JsiiType[] };
}
interface JsiiTypeDecl {
  kind: string;
  docs?: { summary?: string };
  properties?: JsiiProperty[];
  initializer?: { parameters: { name: string; type: JsiiType }[] };
}

type Block = Record<string, unknown>;

function loadSchema(repoRoot: string): Record<string, JsiiTypeDecl> {
  const cache = join(repoRoot, 'node_modules', '.cache', 'terraform-schema');
  const file = join(cache, 'package', '.jsii');
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    console.log(`fetching the azurerm ${SCHEMA_VERSION} schema (${BINDINGS}) into ${cache}`);
    const tgz = execFileSync('npm', ['pack', BINDINGS, '--silent'], { cwd: cache, encoding: 'utf8' }).trim();
    execFileSync('tar', ['xzf', tgz, 'package/.jsii'], { cwd: cache });
  }
  return (JSON.parse(readFileSync(file, 'utf8')) as { types: Record<string, JsiiTypeDecl> }).types;
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The struct a property holds, through `IResolvable | T[]` unions. */
function structOf(t: JsiiType, types: Record<string, JsiiTypeDecl>): JsiiTypeDecl | undefined {
  if (t.fqn && types[t.fqn]?.kind === 'interface') return types[t.fqn];
  if (t.collection) return structOf(t.collection.elementtype, types);
  for (const u of t.union?.types ?? []) {
    const s = structOf(u, types);
    if (s) return s;
  }
  return undefined;
}

interface Kind {
  config: JsiiTypeDecl;
  attributes: Set<string>;
}

function indexKinds(types: Record<string, JsiiTypeDecl>): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  for (const decl of Object.values(types)) {
    const m = /docs\/(resources|data-sources)\/([a-z0-9_]+) azurerm_/.exec(decl.docs?.summary ?? '');
    const configType = decl.initializer?.parameters.find((p) => p.name === 'config')?.type.fqn;
    if (decl.kind !== 'class' || !m || !configType) continue;
    const key = `${m[1] === 'data-sources' ? 'data.' : ''}azurerm_${m[2]}`;
    const attributes = new Set((decl.properties ?? []).filter((p) => !p.static).map((p) => p.name));
    kinds.set(key, { config: types[configType]!, attributes });
  }
  return kinds;
}

function checkBlock(
  where: string,
  kindName: string,
  body: Block,
  struct: JsiiTypeDecl,
  types: Record<string, JsiiTypeDecl>,
  problems: string[],
): void {
  const props = new Map((struct.properties ?? []).map((p) => [p.name, p]));
  for (const [arg, value] of Object.entries(body)) {
    if (META_ARGUMENTS.has(arg)) continue;
    if (arg === 'dynamic') {
      for (const [blockName, dyns] of Object.entries(value as Record<string, Block[]>)) {
        const prop = props.get(camel(blockName));
        const inner = prop && structOf(prop.type, types);
        if (!inner) {
          problems.push(`${where}: dynamic block ${blockName} is not a block of ${kindName}`);
          continue;
        }
        for (const dyn of dyns) {
          for (const content of (dyn.content as Block[] | undefined) ?? []) {
            checkBlock(`${where}.${blockName}`, kindName, content, inner, types, problems);
          }
        }
      }
      continue;
    }
    const prop = props.get(camel(arg));
    if (!prop) {
      const known = NEWER_THAN_SCHEMA[`${kindName}.${arg}`];
      if (!known) problems.push(`${where}: ${arg} is not an argument of ${kindName} (azurerm ${SCHEMA_VERSION})`);
      continue;
    }
    const inner = structOf(prop.type, types);
    if (inner && Array.isArray(value) && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
      for (const v of value as Block[]) checkBlock(`${where}.${arg}`, kindName, v, inner, types, problems);
    }
  }
  for (const p of struct.properties ?? []) {
    if (p.optional) continue;
    const snake = p.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const inDynamic = Object.keys((body.dynamic as Block | undefined) ?? {}).includes(snake);
    if (!(snake in body) && !inDynamic) problems.push(`${where}: required argument ${snake} is missing`);
  }
}

/** Every `${…}` reference: resources and data sources with a real attribute, variables, locals. */
function checkReferences(
  file: string,
  tf: Record<string, Record<string, Record<string, unknown>>>,
  kinds: Map<string, Kind>,
  problems: string[],
): void {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries(tf.resource ?? {}))
    for (const n of Object.keys(byName)) declared.add(`${type}.${n}`);
  for (const [type, byName] of Object.entries(tf.data ?? {}))
    for (const n of Object.keys(byName)) declared.add(`data.${type}.${n}`);
  const variables = new Set(Object.keys(tf.variable ?? {}));
  const locals = new Set((tf.locals as unknown as Block[] | undefined)?.flatMap((b) => Object.keys(b)) ?? []);
  const text = JSON.stringify({ resource: tf.resource, data: tf.data, locals: tf.locals, output: tf.output });
  for (const m of text.matchAll(/\b(data\.)?(azurerm_[a-z0-9_]+)\.([a-z0-9_]+)(?:\[[^\]]*\])?\.([a-z0-9_]+)/g)) {
    const [ref, data, type, name, attr] = m;
    const key = `${data ?? ''}${type}`;
    if (!declared.has(`${key}.${name}`)) {
      problems.push(`${file}: ${ref} refers to an undeclared ${key}.${name}`);
      continue;
    }
    const kind = kinds.get(key);
    if (kind && !kind.attributes.has(camel(attr!)) && !NEWER_THAN_SCHEMA[`${type}.${attr}`]) {
      problems.push(`${file}: ${ref}: ${attr} is not an attribute of ${key}`);
    }
  }
  for (const [, name] of text.matchAll(/\bvar\.([a-z0-9_]+)/g)) {
    if (!variables.has(name!)) problems.push(`${file}: var.${name} is not declared`);
  }
  for (const [, name] of text.matchAll(/\blocal\.([a-z0-9_]+)/g)) {
    if (!locals.has(name!)) problems.push(`${file}: local.${name} is not declared`);
  }
}

/** A literal where a secret goes: secrets come from ephemeral variables or Key Vault, never the files. */
function checkSecrets(tf: Record<string, Record<string, Record<string, unknown>>>, problems: string[]): void {
  const walk = (where: string, v: unknown): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(`${where}[${i}]`, x));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const secretish = /(password|secret|access_key|api_key|connection_string|value_wo|^value$)/.test(k);
      if (secretish && typeof x === 'string' && x !== '' && !x.includes('${')) {
        problems.push(`${where}.${k}: a literal secret-like value; use an ephemeral variable or Key Vault`);
      }
      walk(`${where}.${k}`, x);
    }
  };
  walk('resource', tf.resource);
  for (const [name, [decl]] of Object.entries((tf.variable ?? {}) as unknown as Record<string, Block[]>)) {
    if (decl?.sensitive && decl.default !== undefined && decl.default !== null) {
      problems.push(`variable ${name}: a sensitive variable with a default value`);
    }
  }
}

async function main(): Promise<void> {
  const repoRoot = process.cwd();
  // A folder argument checks another copy (how the check itself is tested); the default is the real one.
  const dir = resolve(repoRoot, process.argv[2] ?? 'infra/terraform');
  const types = loadSchema(repoRoot);
  const kinds = indexKinds(types);
  const tf = (await convertFiles(dir)) as Record<string, Record<string, Record<string, unknown>>>;
  const problems: string[] = [];
  let checked = 0;
  for (const [prefix, section] of [
    ['', tf.resource ?? {}],
    ['data.', tf.data ?? {}],
  ] as const) {
    for (const [type, byName] of Object.entries(section)) {
      const kind = kinds.get(`${prefix}${type}`);
      for (const [name, blocks] of Object.entries(byName as unknown as Record<string, Block[]>)) {
        if (!kind) {
          problems.push(
            `${prefix}${type}.${name}: no such ${prefix ? 'data source' : 'resource'} in azurerm ${SCHEMA_VERSION}`,
          );
          continue;
        }
        for (const body of blocks) checkBlock(`${prefix}${type}.${name}`, type, body, kind.config, types, problems);
        checked++;
      }
    }
  }
  checkReferences('infra/terraform', tf, kinds, problems);
  checkSecrets(tf, problems);
  for (const p of problems) console.log(`✗ ${p}`);
  console.log(
    `${checked} resources and data sources checked against azurerm ${SCHEMA_VERSION}: ${problems.length} problem(s)` +
      `; allowed as newer than the schema: ${Object.keys(NEWER_THAN_SCHEMA).join(', ')}`,
  );
  process.exitCode = problems.length ? 1 : 0;
}

void main();
