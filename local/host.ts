// The local host: loads the compiled app through the `@azure/functions-core` hook and plays the
// Functions platform around it (local/README.md, Start-up). Start order: settings → HTTP port → emulators →
// app settings check → app → plugins. Stop order is the reverse; no child outlives it.
import { parseConfig } from '../shared/config.js';
import { parseLocalConfig, type LocalConfig } from './config.js';
import { loadApp, resolveEntries } from './core/app-loader.js';
import { Faults, faultsRoute, parseFaultSettings } from './core/faults.js';
import { installFunctionsCore } from './core/functions-core.js';
import { readHostJson } from './core/host-json.js';
import { HostHttpServer } from './core/http-server.js';
import { ControlPlane } from './core/control-plane.js';
import { openDataDir, randomSecret, type DataDir } from './core/data-dir.js';
import { Invoker } from './core/invoke.js';
import { HostTracer } from './core/tracing.js';
import { loadLocalSettings } from './core/local-settings.js';
import { Logger } from './core/log.js';
import type { HostContext, PluginHandle } from './core/plugin.js';
import { Registry } from './core/registry.js';
import { superviseProcess } from './core/supervise.js';
import { KeyChecker, type HostKeys } from './http/keys.js';
import { startAzurite } from './services/azurite.js';
import { startCosmosFaultProxy } from './services/cosmos-faults.js';
import { EMULATOR_KEY, startCosmosServer } from './services/cosmos-server.js';
import { PortBusyError } from './services/ports.js';
import { plugins } from './plugins.js';

export interface LocalHostOptions {
  appRoot: string;
  /** Overrides package.json `main` (tests load fixture apps this way). */
  main?: string;
  /** local.settings.json path; the default one is created from the sample when missing. */
  settingsFile?: string;
  /** Empty the data folder first (`--fresh`). */
  fresh?: boolean;
  /** Keep the process alive when a function lets an error escape (core/supervise.ts); main.ts sets it. */
  supervise?: boolean;
}

export interface LocalHost {
  origin: string;
  registry: Registry;
  config: LocalConfig;
  routePrefix: string;
  banner: string[];
  keys: HostKeys;
  stop(): Promise<void>;
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const env = process.env;
  loadLocalSettings(options.appRoot, env, options.settingsFile);
  const config = parseLocalConfig(env);
  const faults = new Faults(parseFaultSettings(env));
  const log = new Logger(config.MARQUEE_LOG_LEVEL);
  if (options.supervise) superviseProcess(log);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) await fn().catch((err) => log.warn('stop failed: %s', err));
  };
  try {
    // Check the app's settings before anything starts, with the values the host will supply.
    parseConfig({ ...hostSuppliedPlaceholders(config), ...env });

    const http = new HostHttpServer(log, { maxHeaderBytes: config.MARQUEE_MAX_HEADER_BYTES });
    const origin = await http.listen(config.MARQUEE_PORT, config.MARQUEE_HOST).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        throw new PortBusyError(
          `port ${config.MARQUEE_PORT} on ${config.MARQUEE_HOST} is already in use; set MARQUEE_PORT to another port (or 0 for any free port)`,
        );
      throw err;
    });
    stops.push(() => http.close());

    const data = openDataDir(config.MARQUEE_DATA_DIR, options.appRoot, options.fresh || config.MARQUEE_FRESH);
    await startEmulators(config, env, stops, data, log);
    if (faults.configured('cosmos')) {
      const proxy = await startCosmosFaultProxy(env.COSMOS_ENDPOINT!, config.MARQUEE_HOST, faults);
      stops.push(proxy.stop);
      env.COSMOS_ENDPOINT = proxy.endpoint;
    }
    fillHostSuppliedSettings(config, env, origin, data);
    const keys: HostKeys = {
      functionKey: config.MARQUEE_FUNCTION_KEY ?? data.secret('functionKey'),
      masterKey: config.MARQUEE_MASTER_KEY ?? data.secret('masterKey'),
      systemKey: data.secret('durableSystemKey'),
    };
    const controlPlane = new ControlPlane(new KeyChecker(keys), config.MARQUEE_OPERATOR_ROLE);
    http.mount('/.local/faults', faultsRoute(faults, keys.masterKey));

    const hostJson = readHostJson(options.appRoot);
    const registry = new Registry();
    const invoker = new Invoker(registry, log, { starting: true });
    const banner: string[] = [];
    const context: HostContext = {
      registry,
      invoker,
      log,
      hostJson,
      env,
      origin,
      storageConnectionString: env.AzureWebJobsStorage!,
      keys,
      controlPlane,
      data,
      mount: (prefix, handler) => http.mount(prefix, handler),
      announce: (line) => banner.push(line),
      faults,
      tracer: new HostTracer(),
    };
    if (faults.configured())
      banner.push(`Fault injection ON (seed ${faults.settings.LOCAL_FAULTS_SEED}): ${origin}/.local/faults`);
    const startPlugin = async (plugin: (typeof plugins)[number]) => {
      const handle: PluginHandle | void = await plugin.start(context);
      if (handle) stops.push(() => handle.stop());
    };
    // Plugins that supply app settings (Web PubSub's connection string) start before the app
    // loads: its appStart hooks read the settings, as they would on the real host.
    for (const plugin of plugins.filter((p) => p.beforeApp)) await startPlugin(plugin);
    parseConfig(env);

    installFunctionsCore(registry, (level, category, message) => {
      if (category !== 'customMetric') log.host(level as never, message);
    });
    await loadApp(registry, resolveEntries(options.appRoot, options.main), options.appRoot);
    for (const plugin of plugins.filter((p) => !p.beforeApp)) await startPlugin(plugin);
    // Faults hit the running system, not its start-up (the runner crashes and restarts the host itself).
    faults.setEnabled(faults.configured());
    invoker.markStarted();
    http.markStarted();
    stops.push(async () => {
      for (const hook of registry.hooks.get('appTerminate') ?? []) await hook({ hookData: {}, appHookData: {} });
    });
    if (data.root) banner.push(`Data folder: ${data.root} (keys in secrets.json; --fresh starts empty)`);
    else banner.push('Data folder: none (MARQUEE_DATA_DIR is empty): state lives in memory');
    return { origin, registry, config, routePrefix: hostJson.routePrefix, banner, keys, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startEmulators(
  config: LocalConfig,
  env: NodeJS.ProcessEnv,
  stops: (() => Promise<void>)[],
  data: DataDir,
  log: Logger,
): Promise<void> {
  const host = config.MARQUEE_HOST;
  const restarted = (line: string) => log.warn('%s', line);
  const [azurite, cosmos] = await Promise.allSettled([
    config.AzureWebJobsStorage === 'UseDevelopmentStorage=true'
      ? startAzurite({
          host,
          blobPort: config.MARQUEE_AZURITE_BLOB_PORT,
          queuePort: config.MARQUEE_AZURITE_QUEUE_PORT,
          tablePort: config.MARQUEE_AZURITE_TABLE_PORT,
          location: config.MARQUEE_AZURITE_LOCATION || data.folder('azurite'),
          onRestart: restarted,
          onWait: (line) => log.info('%s', line),
        })
      : undefined,
    env.COSMOS_ENDPOINT
      ? undefined
      : startCosmosServer(host, config.MARQUEE_COSMOS_PORT, { journal: data.folder('cosmos'), onRestart: restarted }),
  ]);
  if (azurite.status === 'fulfilled' && azurite.value) {
    stops.push(azurite.value.stop);
    env.AzureWebJobsStorage = azurite.value.connectionString;
  }
  if (cosmos.status === 'fulfilled' && cosmos.value) {
    stops.push(cosmos.value.stop);
    env.COSMOS_ENDPOINT = cosmos.value.endpoint;
    env.COSMOS_KEY ??= EMULATOR_KEY;
  }
  for (const r of [azurite, cosmos]) if (r.status === 'rejected') throw r.reason;
}

/** Settings the local host supplies when they are unset: its own emulators and dev issuer. */
function fillHostSuppliedSettings(config: LocalConfig, env: NodeJS.ProcessEnv, origin: string, data: DataDir): void {
  // The DurableClient rewrites URLs to localhost:7071 unless WEBSITE_HOSTNAME is set.
  env.WEBSITE_HOSTNAME ??= new URL(origin).host;
  if (config.MARQUEE_DEV_IDENTITY) {
    env.AUTH_ISSUER ??= `${origin}/.identity`;
    env.AUTH_JWKS_URL ??= `${origin}/.identity/jwks`;
    env.AUTH_AUDIENCE ??= 'api://marquee';
  }
  // The payment simulator (local/payments) is the provider unless one is configured; its secrets
  // are random, made once per data folder (so tickets and signatures still verify after a restart)
  // and kept only there and in this process's environment, never in the repository.
  if (!env.PAYMENTS_BASE_URL) {
    env.PAYMENTS_BASE_URL = `${origin}/.payments`;
    if (!env.KEY_VAULT_URL) {
      env.PAYMENTS_API_KEY ??= data.secret('PAYMENTS_API_KEY', () => `sk_local_${randomSecret(24)}`);
      env.PAYMENTS_WEBHOOK_SECRET ??= data.secret('PAYMENTS_WEBHOOK_SECRET', () => `whsec_local_${randomSecret()}`);
    }
  }
  if (!env.KEY_VAULT_URL) {
    env.TICKET_SIGNING_KEY ??= data.secret('TICKET_SIGNING_KEY');
    env.WAITING_ROOM_SIGNING_KEY ??= data.secret('WAITING_ROOM_SIGNING_KEY');
  }
}

function hostSuppliedPlaceholders(config: LocalConfig): Record<string, string> {
  const placeholders: Record<string, string> = {
    COSMOS_ENDPOINT: 'http://127.0.0.1:8081/',
    PAYMENTS_BASE_URL: 'http://127.0.0.1/.payments',
    PAYMENTS_API_KEY: 'placeholder-supplied-at-start',
    PAYMENTS_WEBHOOK_SECRET: 'placeholder-supplied-at-start',
    TICKET_SIGNING_KEY: 'placeholder-supplied-at-start-0123456789',
    WAITING_ROOM_SIGNING_KEY: 'placeholder-supplied-at-start-0123456789',
    // The Web PubSub emulator (local/web-pubsub) fills it when unset.
    WEBPUBSUB_CONNECTION_STRING: 'Endpoint=http://localhost;Port=7072;AccessKey=placeholder;Version=1.0;',
  };
  if (config.MARQUEE_DEV_IDENTITY) {
    Object.assign(placeholders, {
      AUTH_ISSUER: 'http://127.0.0.1/.identity',
      AUTH_JWKS_URL: 'http://127.0.0.1/.identity/jwks',
      AUTH_AUDIENCE: 'api://marquee',
    });
  }
  return placeholders;
}
