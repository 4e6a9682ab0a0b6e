// The `durableClient` input binding payload (the extension's shape) and the management URLs that
// createCheckStatusResponse copies. rpcBaseUrl is always set, so every client call comes to this
// host's own port whatever WEBSITE_HOSTNAME says, under the path token that stands for the
// extension's local-only RPC listener (http-api.ts). The URLs handed out carry the Durable system
// key as `code`, like the extension's (`taskHub=…&connection=…&code=…`).
import { API_BASE } from './http-api.js';

export interface ManagementUrls {
  id: string;
  purgeHistoryDeleteUri: string;
  sendEventPostUri: string;
  statusQueryGetUri: string;
  terminatePostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
  rewindPostUri: string;
  restartPostUri: string;
}

/** The extension's URL set; `id` is filled in, or the placeholder INSTANCEID for the binding. */
export function managementUrls(
  origin: string,
  hub: string,
  id: string,
  systemKey: string,
  encode = true,
): ManagementUrls {
  const instance = `${origin}${API_BASE}/instances/${encode ? encodeURIComponent(id) : id}`;
  const query = requiredQuery(hub, systemKey);
  return {
    id,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    statusQueryGetUri: `${instance}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    restartPostUri: `${instance}/restart?${query}`,
  };
}

const requiredQuery = (hub: string, systemKey: string) =>
  `taskHub=${encodeURIComponent(hub)}&connection=Storage&code=${encodeURIComponent(systemKey)}`;

export function clientPayload(
  origin: string,
  hub: string,
  systemKey: string,
  rpcToken: string,
): Record<string, unknown> {
  const base = `${origin}${API_BASE}`;
  const query = requiredQuery(hub, systemKey);
  return {
    taskHubName: hub,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: managementUrls(origin, hub, 'INSTANCEID', systemKey, false),
    baseUrl: base,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${base}/rpc/${rpcToken}/`,
    httpBaseUrl: base,
  };
}
