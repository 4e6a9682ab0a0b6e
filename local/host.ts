// The local host: loads the compiled app through the `@azure/functions-core` hook and plays the
// Functions platform around it (local/README.md, Start-up). Start order: settings → app settings check
// (by the app's plugins) → HTTP port → emulators → app → plugins. Stop order is the reverse; no child
// outlives it. It knows no app: what an app wants beyond its bindings is in its local.host.json.
import { parseLocalConfig, type LocalConfig } from './config.js';
import { readAppConfig, type AppConfig } from './core/app-config.js';
import { loadApp, resolveEntries } from './core/app-loader.js';
import { Faults, faultsRoute, parseFaultSettings } from './core/faults.js';
import { installFunctionsCore } from './core/functions-core.js';
import { useAppLibrary } from './core/app-library.js';
import { ADMIN_FUNCTIONS, adminFunctionsRoute } from './core/admin-functions.js';
import { unsupportedBindings } from './core/unsupported.js';
import { usage } from './core/usage.js';
import { USAGE_ROUTE, usageRoute } from './core/usage-route.js';
import { readHostJson } from './core/host-json.js';
import { HostHttpServer } from './core/http-server.js';
import { ControlPlane } from './core/control-plane.js';
import { openDataDir, type DataDir } from './core/data-dir.js';
import { Invoker } from './core/invoke.js';
import { HostTracer } from './core/tracing.js';
import { loadLocalSettings } from './core/local-settings.js';
import { Logger } from './core/log.js';
import type { HostContext, HostPlugin, PluginHandle } from './core/plugin.js';
import { Registry } from './core/registry.js';
import { superviseProcess } from './core/supervise.js';
import { KeyChecker, type HostKeys } from './http/keys.js';
import { startAzurite } from './services/azurite.js';
import { startCosmosFaultProxy } from './services/cosmos-faults.js';
import { EMULATOR_KEY, startCosmosServer } from './services/cosmos-server.js';
import { PortBusyError } from './services/ports.js';
import { appPlugins, corePlugins } from './plugins.js';

export interface LocalHostOptions {
  appRoot: string;
  /** Overrides package.json `main` (tests load fixture apps this way). */
  main?: string;
  /** local.settings.json path; by default the app's, when it has one (or a sample its local.host.json names). */
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
  /** Settings named in the app's local.host.json `readySettings`. */
  readySettings: string[];
  stop(): Promise<void>;
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const env = process.env;
  const appConfig = readAppConfig(options.appRoot);
  loadLocalSettings(options.appRoot, env, options.settingsFile, appConfig.settingsSample);
  const config = parseLocalConfig(env);
  const plugins = [...corePlugins, ...appPlugins(appConfig, options.appRoot)];
  const faults = new Faults(parseFaultSettings(env));
  const log = new Logger(config.MARQUEE_LOG_LEVEL);
  if (options.supervise) superviseProcess(log);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) await fn().catch((err) => log.warn('stop failed: %s', err));
  };
  try {
    // The app's plugins check its settings before anything starts (the host has no app schema).
    for (const plugin of plugins) plugin.checkSettings?.(env, false);

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
    const embeddedCosmos = await startEmulators(config, appConfig, env, stops, data, log);
    // The usage meter (core/usage.ts) tells the services apart by the address they are called at.
    watchServices(env, origin, embeddedCosmos);
    if (faults.configured('cosmos')) {
      const proxy = await startCosmosFaultProxy(env.COSMOS_ENDPOINT!, config.MARQUEE_HOST, faults);
      stops.push(proxy.stop);
      env.COSMOS_ENDPOINT = proxy.endpoint;
      usage.watch('cosmos', proxy.endpoint, !embeddedCosmos);
    }
    // The DurableClient rewrites URLs to localhost:7071 unless WEBSITE_HOSTNAME is set.
    env.WEBSITE_HOSTNAME ??= new URL(origin).host;
    const hostJson = readHostJson(options.appRoot);
    for (const plugin of plugins) plugin.supplySettings?.({ appRoot: options.appRoot, env, origin, data, hostJson });
    const keys: HostKeys = {
      functionKey: config.MARQUEE_FUNCTION_KEY ?? data.secret('functionKey'),
      masterKey: config.MARQUEE_MASTER_KEY ?? data.secret('masterKey'),
      systemKey: data.secret('durableSystemKey'),
    };
    const controlPlane = new ControlPlane(new KeyChecker(keys), config.MARQUEE_OPERATOR_ROLE);
    http.mount('/.local/faults', faultsRoute(faults, keys.masterKey));
    http.mount(USAGE_ROUTE, usageRoute(usage, controlPlane));

    const registry = new Registry();
    const invoker = new Invoker(registry, log, { starting: true });
    http.mount(ADMIN_FUNCTIONS, adminFunctionsRoute(registry, invoker, controlPlane, log));
    const banner: string[] = [];
    const context: HostContext = {
      appRoot: options.appRoot,
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
    const startPlugin = async (plugin: HostPlugin) => {
      const handle: PluginHandle | void = await plugin.start(context);
      if (handle) stops.push(() => handle.stop());
    };
    // Plugins that supply app settings (Web PubSub's connection string) start before the app
    // loads: its appStart hooks read the settings, as they would on the real host.
    for (const plugin of plugins.filter((p) => p.beforeApp)) await startPlugin(plugin);
    for (const plugin of plugins) plugin.checkSettings?.(env, true);

    installFunctionsCore(registry, (level, category, message) => {
      if (category !== 'customMetric') log.host(level as never, message);
    });
    // The classes the app's functions receive are its own (core/app-library.ts).
    const library = useAppLibrary(options.appRoot);
    await loadApp(registry, resolveEntries(options.appRoot, options.main), options.appRoot);
    for (const plugin of plugins.filter((p) => !p.beforeApp)) await startPlugin(plugin);
    // Bindings nobody plays are named now, once, rather than failing each call.
    const played = new Set(plugins.flatMap((p) => p.triggers ?? []).map((t) => t.toLowerCase()));
    for (const line of unsupportedBindings(registry, invoker, played)) banner.push(`Warning: ${line}`);
    // Faults hit the running system, not its start-up (the runner crashes and restarts the host itself).
    faults.setEnabled(faults.configured());
    invoker.markStarted();
    http.markStarted();
    stops.push(async () => {
      for (const hook of registry.hooks.get('appTerminate') ?? []) await hook({ hookData: {}, appHookData: {} });
    });
    banner.push(`@azure/functions: ${library.path}`);
    if (data.root) banner.push(`Data folder: ${data.root} (keys in secrets.json; --fresh starts empty)`);
    else banner.push('Data folder: none (MARQUEE_DATA_DIR is empty): state lives in memory');
    return {
      origin,
      registry,
      config,
      routePrefix: hostJson.routePrefix,
      banner,
      keys,
      readySettings: appConfig.readySettings,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startEmulators(
  config: LocalConfig,
  appConfig: AppConfig,
  env: NodeJS.ProcessEnv,
  stops: (() => Promise<void>)[],
  data: DataDir,
  log: Logger,
): Promise<boolean> {
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
    // The embedded Cosmos DB server only for an app that asks for it (local.host.json `services`).
    env.COSMOS_ENDPOINT || !appConfig.services.includes('cosmos')
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
  return cosmos.status === 'fulfilled' && cosmos.value !== undefined;
}

/**
 * Names the storage account's endpoints, the Cosmos DB endpoint and the host itself to the usage
 * meter. Only a real Cosmos DB account reports real request charges; the embedded server's are 1.
 */
function watchServices(env: NodeJS.ProcessEnv, origin: string, embeddedCosmos: boolean): void {
  usage.watch('self', origin);
  usage.watch('cosmos', env.COSMOS_ENDPOINT, !embeddedCosmos);
  const storage = env.AzureWebJobsStorage ?? '';
  const endpoints: Record<string, string> = /UseDevelopmentStorage=true/i.test(storage)
    ? { blob: 'http://127.0.0.1:10000', queue: 'http://127.0.0.1:10001', table: 'http://127.0.0.1:10002' }
    : {};
  for (const part of storage.split(';')) {
    const m = /^(Blob|Queue|Table)Endpoint=(.+)$/i.exec(part.trim());
    if (m) endpoints[m[1]!.toLowerCase()] = m[2]!;
  }
  for (const [service, url] of Object.entries(endpoints)) usage.watch(service as 'blob' | 'queue' | 'table', url);
}
