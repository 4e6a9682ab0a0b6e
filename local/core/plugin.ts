// The shape every emulated service has (local/README.md, Plugins; after Miniflare's plugins): a name, a start
// that receives the host, and a handle to stop it. `local/plugins.ts` lists them in start order.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import type { HostKeys } from '../http/keys.js';
import type { ControlPlane } from './control-plane.js';
import type { DataDir } from './data-dir.js';
import type { Invoker } from './invoke.js';
import type { Logger } from './log.js';
import type { Registry } from './registry.js';
import type { HostJson } from './host-json.js';
import type { HostTracer } from './tracing.js';

/** A raw handler for a host-level path (Durable API, identity, consoles). Return false to pass. */
export type RawHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) => Promise<boolean | void> | boolean | void;

/**
 * The request's target as the server's URL would give it — `pathname` and `search` exactly as
 * `new URL(req.url, "http://" + Host)` has them — without parsing a URL for a plain path; `url`
 * is that URL, built the first time it is read (it throws when the target or Host is not valid).
 */
export interface RequestTarget {
  readonly pathname: string;
  readonly search: string;
  readonly url: URL;
}

/** A raw handler that takes the RequestTarget instead of a URL (see `targetHandler`). */
export type TargetHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget,
) => Promise<boolean | void> | boolean | void;

export const TARGET_HANDLER: unique symbol = Symbol('marquee.targetHandler');

/**
 * Mounts like any RawHandler, but the host's server hands it the RequestTarget, so a request whose
 * handler never reads `url` costs no URL parsing. Called as a plain RawHandler (with a URL) it
 * still works.
 */
export function targetHandler(handler: TargetHandler): RawHandler & { [TARGET_HANDLER]: TargetHandler } {
  const raw: RawHandler = (req, res, url) => handler(req, res, { pathname: url.pathname, search: url.search, url });
  return Object.assign(raw, { [TARGET_HANDLER]: handler });
}

export interface HostContext {
  /** The app's folder (the host's working directory). */
  readonly appRoot: string;
  readonly registry: Registry;
  readonly invoker: Invoker;
  readonly log: Logger;
  readonly hostJson: HostJson;
  /** Settings (process.env after local.settings.json was loaded). */
  readonly env: NodeJS.ProcessEnv;
  /** The origin the HTTP server listens on, e.g. http://127.0.0.1:7071. Known once plugins start. */
  readonly origin: string;
  /** Azurite connection string, for plugins that keep state in storage. */
  readonly storageConnectionString: string;
  /** The host's keys (function, master, Durable system), from settings or the data folder. */
  readonly keys: HostKeys;
  /** The door of the host's own routes: `admit(req, res, target, { key, operator })`. */
  readonly controlPlane: ControlPlane;
  /** The data folder: `folder(name)` for a plugin's files, `secret(name)` for what must survive a restart. */
  readonly data: DataDir;
  /** Mounts a handler for every path under `prefix` on the main HTTP port. */
  mount(prefix: string, handler: RawHandler): void;
  /** Lines shown in the start-up banner, e.g. "Durable API: http://…". */
  announce(line: string): void;
  /** Fault injection for chaos runs (core/faults.ts): off unless LOCAL_FAULTS_* settings ask for it. */
  readonly faults: Faults;
  /** The host's own spans (core/tracing.ts): off unless the telemetry plugin gives it a sink. */
  readonly tracer: HostTracer;
}

export interface PluginHandle {
  stop(): Promise<void>;
}

/** What a plugin may read while the host fills in settings, before any plugin starts. */
export type SettingsContext = Pick<HostContext, 'appRoot' | 'env' | 'origin' | 'data' | 'hostJson'>;

export interface HostPlugin {
  readonly name: string;
  /** The trigger types it plays: a function whose trigger no started plugin plays is warned about at start. */
  readonly triggers?: readonly string[];
  /**
   * Checks the app's settings (an app's plugin knows its schema; the host does not). Called before
   * anything starts with `final` false — settings the host or a plugin will supply may still be
   * missing — and again, `final` true, once every `beforeApp` plugin has started.
   */
  checkSettings?(env: NodeJS.ProcessEnv, final: boolean): void;
  /** Fills app settings it supplies when unset, once the emulators and the data folder are up. */
  supplySettings?(host: SettingsContext): void;
  /**
   * Start before the app is loaded: the plugin supplies app settings (e.g. a connection string)
   * that the app validates at appStart. Such a plugin must not need the registry.
   */
  readonly beforeApp?: boolean;
  start(host: HostContext): Promise<PluginHandle | void>;
}
