// The realtime port on Azure Web PubSub (docs/architecture.md, Realtime) through the real server SDK.
// Credentials: a connection string (key auth: the local emulator, or a key if one is configured)
// or the endpoint with DefaultAzureCredential (managed identity in Azure). The pipeline refuses
// http:// unless told otherwise; only the local emulator is ever http, so
// the insecure switch follows the endpoint's scheme and nothing else.
import { createSecretKey } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type { WebPubSubServiceClient } from '@azure/web-pubsub';
import { defaultAzureCredential, webPubSubSdk } from '../sdks.js';
import type {
  ClientAccess,
  ClientAccessRequest,
  RealtimePublisher,
  RealtimeUserMessage,
} from '../../ports/realtime.js';
import { showGroup } from '../../contracts/realtime.js';
import type { SeatDiffMessage } from '../../domain/seat-diff.js';
import { call, type CallPolicy } from './call.js';

export interface WebPubSubSettings {
  connectionString?: string;
  endpoint?: string;
  hub: string;
  timeoutMs: number;
  maxAttempts?: number;
  credential?: TokenCredential;
}

function partsOf(connectionString: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of connectionString.split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
  }
  return parts;
}

/** The endpoint a connection string names (keys are case-insensitive, as the SDK reads them). */
export function endpointOf(connectionString: string): URL {
  const parts = partsOf(connectionString);
  const raw = parts.get('endpoint');
  if (!raw) throw new Error('WEBPUBSUB_CONNECTION_STRING has no Endpoint');
  return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
}

/** The service URL the SDK itself builds from a connection string: the endpoint with its `Port`. */
export function serviceUrlOf(connectionString: string): string {
  const url = endpointOf(connectionString);
  const port = partsOf(connectionString).get('port');
  if (port) url.port = port;
  return url.toString();
}

/** The SDK's AzureKeyCredential, named through the client's constructor (@azure/core-auth is not our dependency). */
type KeyCredential = Exclude<ConstructorParameters<typeof WebPubSubServiceClient>[1], string | TokenCredential>;

/**
 * The AccessKey as the SDK's key credential, but holding a secret KeyObject instead of the string.
 * With key auth the SDK signs a JWT for every REST call (jsonwebtoken, HS256); handed a string,
 * jsonwebtoken first tries to parse it as a private key and fails (a thrown error per call, about
 * 0.5 ms of CPU, 3 % of a booking's host time under load). A secret KeyObject skips that attempt and
 * signs the same token; the realtime tests send through this client to the emulator, which checks it.
 */
function keyCredentialOf(connectionString: string): KeyCredential {
  const key = partsOf(connectionString).get('accesskey');
  if (!key) throw new Error('WEBPUBSUB_CONNECTION_STRING has no AccessKey');
  const secret = createSecretKey(Buffer.from(key, 'utf8'));
  return { key: secret } as unknown as KeyCredential;
}

export function createWebPubSubPublisher(settings: WebPubSubSettings): RealtimePublisher {
  const endpoint = settings.connectionString ? endpointOf(settings.connectionString) : new URL(settings.endpoint!);
  const options = {
    allowInsecureConnection: endpoint.protocol === 'http:',
    // Our call() owns retries and timeouts; two layers of retries would multiply the worst case.
    retryOptions: { maxRetries: 0 },
  };
  const { WebPubSubServiceClient } = webPubSubSdk();
  const client = settings.connectionString
    ? new WebPubSubServiceClient(
        serviceUrlOf(settings.connectionString),
        keyCredentialOf(settings.connectionString),
        settings.hub,
        options,
      )
    : new WebPubSubServiceClient(
        settings.endpoint!,
        settings.credential ?? defaultAzureCredential(),
        settings.hub,
        options,
      );
  const policy: CallPolicy = {
    timeoutMs: settings.timeoutMs,
    maxAttempts: settings.maxAttempts ?? 3,
    baseDelayMs: 50,
    maxDelayMs: 1000,
  };

  return {
    sendSeatDiff(showId: string, diff: SeatDiffMessage) {
      return call(
        'group send',
        policy,
        (abortSignal) => client.group(showGroup(showId)).sendToAll(diff, { abortSignal }),
        undefined,
        { showId },
      );
    },
    sendToShow(showId: string, message: RealtimeUserMessage) {
      return call('group send', policy, (abortSignal) =>
        client.group(showGroup(showId)).sendToAll(message, { abortSignal }),
      );
    },
    sendToUser(userId: string, message: RealtimeUserMessage) {
      return call('user send', policy, (abortSignal) => client.sendToUser(userId, message, { abortSignal }));
    },
    async clientAccess(request: ClientAccessRequest): Promise<ClientAccess> {
      // With key auth the token is signed locally; with a TokenCredential the SDK asks the service.
      const token = await call('client token', policy, (abortSignal) =>
        client.getClientAccessToken({
          ...(request.userId ? { userId: request.userId } : {}),
          roles: request.groups.map((g) => `webpubsub.joinLeaveGroup.${g}`),
          groups: request.groups,
          expirationTimeInMinutes: request.minutes,
          abortSignal,
        }),
      );
      return { url: token.url, expiresAt: expiryOf(token.token, request.minutes), groups: [...request.groups] };
    },
  };
}

/** The token's own `exp` (the service may round it); falls back to now + minutes. */
function expiryOf(token: string, minutes: number): string {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    if (typeof payload.exp === 'number') return new Date(payload.exp * 1000).toISOString();
  } catch {
    // not a JWT we can read: use the requested lifetime
  }
  return new Date(Date.now() + minutes * 60_000).toISOString();
}
