// The deploy contract: what the app needs from Azure, derived from the app itself (its settings schema,
// its registrations, its container and secret lists), checked against what infra/terraform creates.
// Each check returns problems as sentences, so the test can show all of them at once and a self-test
// can prove that removing a resource is caught.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema } from '../../shared/config.js';
import { CONTAINERS } from '../../shared/adapters/cosmos/client.js';
import { SECRET_NAMES } from '../../shared/ports/secrets.js';
import { keyVaultNameOf } from '../../shared/adapters/keyvault/secret-source.js';
import { COSMOS_DATA_CONTRIBUTOR, type TerraformModel } from './terraform.js';

export interface Binding {
  type: string;
  direction: string;
  [option: string]: unknown;
}

export interface Registration {
  name: string;
  bindings: Record<string, Binding>;
}

/** Loads the compiled app in a child process with exactly `settings`; throws with the child's stderr on failure. */
export function listRegistrations(repoRoot: string, settings: Record<string, string>): Registration[] {
  return loadCompiledApp(repoRoot, settings).registrations;
}

/** What the compiled app registers, and the packages its own files require while loading. */
export function loadCompiledApp(
  repoRoot: string,
  settings: Record<string, string>,
): { registrations: Registration[]; packages: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-contract-'));
  try {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify(settings));
    const out = execFileSync(process.execPath, ['dist/test/deploy/list-registrations.js', file], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = /^REGISTRATIONS (.*)$/m.exec(out);
    const packages = /^PACKAGES (.*)$/m.exec(out);
    if (!line || !packages) throw new Error(`no registrations printed:\n${out}`);
    return { registrations: JSON.parse(line[1]!) as Registration[], packages: JSON.parse(packages[1]!) as string[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Settings the app's schema refuses, each naming the setting. */
export function settingProblems(tf: TerraformModel): string[] {
  const set = Object.fromEntries(Object.entries(tf.appSettings).filter(([, v]) => v !== ''));
  const result = ConfigSchema.safeParse(set);
  return result.success
    ? []
    : result.error.issues.map((i) => `setting ${i.path.join('.')}: ${i.message} (Function App app_settings)`);
}

const bindingsOf = (regs: Registration[]) => regs.flatMap((r) => Object.values(r.bindings).map((b) => ({ r, b })));

/** `%NAME%` binding expressions the host resolves from app settings, and named connections. */
export function bindingSettingProblems(tf: TerraformModel, regs: Registration[]): string[] {
  const problems: string[] = [];
  for (const { r, b } of bindingsOf(regs)) {
    for (const [option, value] of Object.entries(b)) {
      if (typeof value !== 'string') continue;
      for (const [, name] of value.matchAll(/%([^%]+)%/g)) {
        if (!tf.appSettings[name!]) problems.push(`setting ${name}: ${r.name}'s ${option} refers to it, it is not set`);
      }
    }
    const connection = b.connection as string | undefined;
    if (!connection) continue;
    const property = /^serviceBus/.test(b.type) ? 'fullyQualifiedNamespace' : 'accountEndpoint';
    if (!tf.appSettings[connection] && !tf.appSettings[`${connection}__${property}`]) {
      problems.push(
        `connection ${connection}: ${r.name} uses it, neither ${connection} nor ${connection}__${property} is set`,
      );
    }
  }
  return problems;
}

function resolved(tf: TerraformModel, value: unknown): string {
  return String(value).replace(/%([^%]+)%/g, (_, name: string) => tf.appSettings[name] ?? `%${name}%`);
}

/** Topics and subscriptions of the Service Bus triggers and outputs. */
export function serviceBusProblems(tf: TerraformModel, regs: Registration[]): string[] {
  const problems: string[] = [];
  for (const { r, b } of bindingsOf(regs)) {
    if (!/^serviceBus/.test(b.type) || !b.topicName) continue;
    const topic = resolved(tf, b.topicName);
    if (!tf.topics.has(topic)) problems.push(`Service Bus topic ${topic}: used by ${r.name}, not in Terraform`);
    if (b.direction === 'in' && b.subscriptionName) {
      const pair = `${topic}/${resolved(tf, b.subscriptionName)}`;
      if (!tf.subscriptions.has(pair))
        problems.push(`Service Bus subscription ${pair}: read by ${r.name}, not in Terraform`);
    }
  }
  return problems;
}

/** Every container the adapters use and the change-feed triggers read, with the same partition key. */
export function cosmosProblems(tf: TerraformModel, regs: Registration[]): string[] {
  const wanted = new Map<string, string | undefined>(Object.entries(CONTAINERS));
  for (const { b } of bindingsOf(regs)) {
    if (b.type !== 'cosmosDBTrigger') continue;
    wanted.set(resolved(tf, b.containerName), wanted.get(resolved(tf, b.containerName)));
    // The Functions extension requires the lease container to be partitioned on /id.
    wanted.set(resolved(tf, b.leaseContainerName ?? 'leases'), '/id');
  }
  const problems: string[] = [];
  for (const [name, key] of wanted) {
    const declared = tf.cosmosContainers.get(name);
    if (declared === undefined) problems.push(`Cosmos container ${name}: used by the app, not in Terraform`);
    else if (key && declared !== key)
      problems.push(`Cosmos container ${name}: partition key ${declared}, the app uses ${key}`);
  }
  return problems;
}

/** The Web PubSub hub and the Key Vault secrets the app reads. */
export function serviceProblems(tf: TerraformModel): string[] {
  const problems: string[] = [];
  const hub = tf.appSettings.WEBPUBSUB_HUB ?? 'marquee';
  if (!tf.webPubSubHubs.has(hub)) problems.push(`Web PubSub hub ${hub}: the app sends to it, not in Terraform`);
  if (tf.appSettings.KEY_VAULT_URL) {
    const secrets = new Set([...tf.keyVaultSecrets].map((s) => s.toLowerCase()));
    for (const name of SECRET_NAMES) {
      if (!secrets.has(keyVaultNameOf(name)))
        problems.push(`Key Vault secret ${keyVaultNameOf(name)}: read as ${name}, not in Terraform`);
    }
  }
  return problems;
}

const STORAGE_ROLES = ['Storage Blob Data Owner', 'Storage Queue Data Contributor', 'Storage Table Data Contributor'];

/** The roles the app's identity needs, from what it registers and which clients its settings switch on. */
export function roleProblems(tf: TerraformModel, regs: Registration[]): string[] {
  const needed = new Map<string, string>();
  const types = new Set(bindingsOf(regs).map(({ b }) => `${b.type}/${b.direction}`));
  if (types.has('serviceBusTrigger/in')) needed.set('Azure Service Bus Data Receiver', 'Service Bus triggers');
  if (types.has('serviceBus/out')) needed.set('Azure Service Bus Data Sender', 'Service Bus outputs');
  // The host itself (timers, keys) and the Durable Azure Storage backend (queues, tables, blobs).
  for (const role of STORAGE_ROLES) needed.set(role, 'the Functions host and the Durable task hub');
  if (!tf.appSettings.COSMOS_KEY) needed.set(COSMOS_DATA_CONTRIBUTOR, 'Cosmos DB with managed identity');
  if (tf.appSettings.KEY_VAULT_URL) needed.set('Key Vault Secrets User', 'KEY_VAULT_URL');
  if (tf.appSettings.WEBPUBSUB_ENDPOINT) needed.set('Web PubSub Service Owner', 'WEBPUBSUB_ENDPOINT');
  return [...needed]
    .filter(([role]) => !tf.appIdentityRoles.has(role))
    .map(([role, why]) => `role ${role}: needed by ${why}, not assigned to the app identity`);
}

export function contractProblems(tf: TerraformModel, regs: Registration[]): string[] {
  return [
    ...settingProblems(tf),
    ...bindingSettingProblems(tf, regs),
    ...serviceBusProblems(tf, regs),
    ...cosmosProblems(tf, regs),
    ...serviceProblems(tf),
    ...roleProblems(tf, regs),
  ];
}
