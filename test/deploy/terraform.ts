// infra/terraform read the way Terraform reads it (HashiCorp's HCL parser, @cdktf/hcl2json), reduced to
// what the deploy contract needs: the Function App's settings, containers, topics, subscriptions, hubs,
// secrets and the app identity's roles. Expressions are resolved only as far as names and settings
// need: variables from example.tfvars (then their defaults), locals, `each.value` over a literal set,
// and a resource's literal `name`. Anything only Azure knows (endpoints, ids) becomes a placeholder
// of the right shape, so the app's own settings schema can judge the result.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertFiles, parse } from '@cdktf/hcl2json';

type Block = Record<string, unknown>;
type Resources = Record<string, Record<string, Block[]>>;

export interface TerraformModel {
  resources: Resources;
  locals: Block;
  variables: Record<string, unknown>;
  /** The Function App's app_settings, resolved. */
  appSettings: Record<string, string>;
  cosmosContainers: Map<string, string>;
  topics: Set<string>;
  /** "topic/subscription" pairs. */
  subscriptions: Set<string>;
  webPubSubHubs: Set<string>;
  keyVaultSecrets: Set<string>;
  /** Role names (or Cosmos SQL role ids) granted to the app's managed identity. */
  appIdentityRoles: Set<string>;
}

export const COSMOS_DATA_CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';
const APP_IDENTITY = 'azurerm_user_assigned_identity.app.principal_id';

export async function loadTerraform(dir: string, tfvarsFile = 'example.tfvars'): Promise<TerraformModel> {
  const tf = (await convertFiles(dir)) as {
    resource: Resources;
    locals: Block[];
    variable: Record<string, Block[]>;
  };
  const tfvars = (await parse(tfvarsFile, readFileSync(join(dir, tfvarsFile), 'utf8'))) as Block;
  const variables: Record<string, unknown> = {};
  for (const [name, [decl]] of Object.entries(tf.variable)) variables[name] = tfvars[name] ?? decl?.default;
  const locals = Object.assign({}, ...tf.locals) as Block;
  const resolver = new Resolver(tf.resource, locals, variables);

  const app = only(tf.resource, 'azurerm_function_app_flex_consumption');
  const appSettings: Record<string, string> = {};
  for (const [key, value] of Object.entries(resolver.value(app.app_settings) as Block)) {
    appSettings[key] = String(value);
  }
  // The provider writes the site_config connection string into this setting.
  const siteConfig = (app.site_config as Block[] | undefined)?.[0];
  if (siteConfig?.application_insights_connection_string) {
    appSettings.APPLICATIONINSIGHTS_CONNECTION_STRING = 'InstrumentationKey=00000000-0000-0000-0000-000000000000';
  }

  const cosmosContainers = new Map<string, string>();
  for (const container of instances(tf.resource, 'azurerm_cosmosdb_sql_container', resolver)) {
    const paths = container.block.partition_key_paths as string[];
    cosmosContainers.set(container.name, String(resolver.value(paths[0], container.each)));
  }

  const topics = new Set(instances(tf.resource, 'azurerm_servicebus_topic', resolver).map((t) => t.name));
  const subscriptions = new Set<string>();
  for (const sub of instances(tf.resource, 'azurerm_servicebus_subscription', resolver)) {
    const topic = resolver.nameOf(String(sub.block.topic_id));
    subscriptions.add(`${topic}/${sub.name}`);
  }

  const roles = new Set<string>();
  for (const grant of instances(tf.resource, 'azurerm_role_assignment', resolver)) {
    if (String(grant.block.principal_id).includes(APP_IDENTITY)) {
      roles.add(String(resolver.value(grant.block.role_definition_name, grant.each)));
    }
  }
  for (const grant of instances(tf.resource, 'azurerm_cosmosdb_sql_role_assignment', resolver)) {
    if (String(grant.block.principal_id).includes(APP_IDENTITY)) {
      roles.add(String(grant.block.role_definition_id).split('/').pop()!);
    }
  }

  return {
    resources: tf.resource,
    locals,
    variables,
    appSettings,
    cosmosContainers,
    topics,
    subscriptions,
    webPubSubHubs: new Set(instances(tf.resource, 'azurerm_web_pubsub_hub', resolver).map((h) => h.name)),
    keyVaultSecrets: new Set(instances(tf.resource, 'azurerm_key_vault_secret', resolver).map((s) => s.name)),
    appIdentityRoles: roles,
  };
}

function only(resources: Resources, type: string): Block {
  const all = Object.values(resources[type] ?? {}).flat();
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}

interface Instance {
  name: string;
  block: Block;
  each?: unknown;
}

/** Every instance of a resource type, `for_each` over a resolvable set or map expanded. */
function instances(resources: Resources, type: string, resolver: Resolver): Instance[] {
  const out: Instance[] = [];
  for (const blocks of Object.values(resources[type] ?? {})) {
    for (const block of blocks) {
      if (block.for_each === undefined) {
        out.push({ name: String(resolver.value(block.name)), block });
        continue;
      }
      const set = resolver.value(block.for_each);
      const entries = Array.isArray(set)
        ? set.map((v) => ({ key: v, value: v }))
        : Object.entries(set as Block).map(([key, value]) => ({ key, value }));
      for (const each of entries) out.push({ name: String(resolver.value(block.name, each)), block, each });
    }
  }
  return out;
}

const PLACEHOLDER_GUID = '00000000-0000-0000-0000-000000000000';

class Resolver {
  constructor(
    private readonly resources: Resources,
    private readonly locals: Block,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** Resolves every `${…}` inside a value (recursively through objects and lists). */
  value(v: unknown, each?: unknown): unknown {
    if (typeof v === 'string') return this.string(v, each);
    if (Array.isArray(v)) return v.map((x) => this.value(x, each));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, each)]));
    }
    return v;
  }

  /** The literal `name` of the resource an `${type.label.attr}` reference points at. */
  nameOf(ref: string): string {
    const m = /^\$\{(azurerm_[a-z_]+)\.([a-z0-9_]+)\.[a-z_]+\}$/.exec(ref);
    const block = m ? this.resources[m[1]!]?.[m[2]!]?.[0] : undefined;
    if (!block) throw new Error(`cannot follow ${ref} to a resource`);
    return String(this.value(block.name));
  }

  private string(s: string, each: unknown): unknown {
    const parts = interpolations(s);
    if (parts.length === 1 && parts[0]!.start === 0 && parts[0]!.end === s.length) {
      return this.expression(parts[0]!.expr.trim(), each);
    }
    let out = '';
    let at = 0;
    for (const p of parts) {
      out += s.slice(at, p.start) + String(this.expression(p.expr.trim(), each));
      at = p.end;
    }
    return out + s.slice(at);
  }

  private expression(expr: string, each: unknown): unknown {
    const conditional = splitConditional(expr);
    if (conditional) {
      const [test, then, otherwise] = conditional;
      return this.expression(truthy(this.expression(test, each)) ? then : otherwise, each);
    }
    if (expr.startsWith('!')) return !truthy(this.expression(expr.slice(1).trim(), each));
    if (expr.startsWith('(') && expr.endsWith(')') && balanced(expr.slice(1, -1))) {
      return this.expression(expr.slice(1, -1).trim(), each);
    }
    // A quoted string, itself possibly with interpolations.
    if (/^"(?:[^"\\]|\\.|\$\{[^}]*\})*"$/.test(expr)) return this.string(expr.slice(1, -1), each);
    if (expr === 'true' || expr === 'false') return expr === 'true';
    if (expr === 'null') return null;
    const text = /^tostring\((.+)\)$/.exec(expr);
    if (text) return String(this.expression(text[1]!, each));
    const set = /^toset\((.+)\)$/.exec(expr);
    if (set) return this.expression(set[1]!, each);
    // A literal list of strings, e.g. toset(["a", "b"]).
    if (/^\[.*\]$/s.test(expr)) return JSON.parse(expr.replace(/,\s*\]$/, ']')) as unknown;
    if (expr === 'each.value' || expr === 'each.key') {
      const e = each as { key: unknown; value: unknown } | undefined;
      if (!e) throw new Error(`${expr} outside for_each`);
      return expr === 'each.key' ? e.key : e.value;
    }
    const path = /^each\.value\.([a-z_]+)$/.exec(expr);
    if (path) return ((each as { value: Block }).value ?? {})[path[1]!];
    const variable = /^var\.([a-z0-9_]+)$/.exec(expr);
    if (variable) return this.value(this.variables[variable[1]!], each);
    const local = /^local\.([a-z0-9_]+)((?:\.[a-z0-9_]+)*)$/.exec(expr);
    if (local && local[1]! in this.locals) {
      let v = this.value(this.locals[local[1]!]);
      for (const key of local[2]!.split('.').filter(Boolean)) v = (v as Block | undefined)?.[key];
      return v;
    }
    const ref = /^(azurerm_[a-z_]+)\.([a-z0-9_]+)(?:\[\d+\])?\.([a-z_]+)$/.exec(expr);
    if (ref) return this.attribute(ref[1]!, ref[2]!, ref[3]!);
    // A function call or an operator: only Terraform evaluates those; a stand-in is enough for names.
    return 'x';
  }

  /** A resource attribute: its literal argument when written in the file, else what Azure would return. */
  private attribute(type: string, label: string, attr: string): unknown {
    const block = this.resources[type]?.[label]?.[0];
    if (!block) throw new Error(`reference to a missing resource ${type}.${label}`);
    if (attr in block && typeof block[attr] !== 'object') return this.value(block[attr]);
    if (/client_id|principal_id|tenant_id/.test(attr)) return PLACEHOLDER_GUID;
    if (/^host_?name$|domain$/.test(attr)) return `${label}.example.azure.net`;
    if (/endpoint|uri|url/.test(attr)) return `https://${label}.example.azure.net/`;
    if (attr === 'connection_string') return `InstrumentationKey=${PLACEHOLDER_GUID}`;
    return `${type}.${label}.${attr}`;
  }
}

const truthy = (v: unknown): boolean => v === true || v === 'true';

/** The top-level `${…}` spans of a string, with nested braces and quoted strings inside them. */
function interpolations(s: string): { start: number; end: number; expr: string }[] {
  const out: { start: number; end: number; expr: string }[] = [];
  for (let i = s.indexOf('${'); i >= 0; i = s.indexOf('${', i)) {
    let depth = 0;
    let quoted = false;
    let j = i + 1;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === '"' && s[j - 1] !== '\\') quoted = !quoted;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    out.push({ start: i, end: j + 1, expr: s.slice(i + 2, j) });
    i = j + 1;
  }
  return out;
}

/** `test ? a : b` split at its top level (not inside quotes, brackets or braces), or undefined. */
function splitConditional(expr: string): [string, string, string] | undefined {
  let depth = 0;
  let quoted = false;
  let question = -1;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '"' && expr[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && c === '?' && question < 0) question = i;
    else if (depth === 0 && c === ':' && question >= 0) {
      return [expr.slice(0, question).trim(), expr.slice(question + 1, i).trim(), expr.slice(i + 1).trim()];
    }
  }
  return undefined;
}

/** True when every bracket in `s` closes inside it (so `(a) ? (b) : (c)` is not stripped as one group). */
function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
