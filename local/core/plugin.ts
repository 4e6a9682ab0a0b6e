// The shape every emulated service has (STYLE rule 2, after Miniflare's plugins): a name, a start
// that receives the host, and a handle to stop it. `local/plugins.ts` lists them in start order.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Invoker } from './invoke.js';
import type { Logger } from './log.js';
import type { Registry } from './registry.js';
import type { HostJson } from './host-json.js';

/** A raw handler for a host-level path (Durable API, identity, consoles). Return false to pass. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean | void> | boolean | void;

export interface HostContext {
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
  /** Mounts a handler for every path under `prefix` on the main HTTP port. */
  mount(prefix: string, handler: RawHandler): void;
  /** Lines shown in the start-up banner, e.g. "Durable API: http://…". */
  announce(line: string): void;
}

export interface PluginHandle {
  stop(): Promise<void>;
}

export interface HostPlugin {
  readonly name: string;
  /**
   * Start before the app is loaded: the plugin supplies app settings (e.g. a connection string)
   * that the app validates at appStart. Such a plugin must not need the registry.
   */
  readonly beforeApp?: boolean;
  start(host: HostContext): Promise<PluginHandle | void>;
}
