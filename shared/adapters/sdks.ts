// The Azure SDKs and the other heavy packages the adapters build on, loaded when an adapter first
// needs one rather than when the app's modules load. A Functions worker imports every trigger file
// before its first invocation, so whatever those imports load is paid on every cold start; these
// packages were most of it (docs/capacity.md, Cold start). Types still come from
// `import type`, which the compiler erases; require() keeps the loading synchronous, so the
// factories that build clients stay synchronous too; once() keeps the module, so a hot path that asks
// again pays no require() (a path resolution each time).
import { once } from '../once.js';
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
export const cosmosSdk = once(() => require('@azure/cosmos') as typeof import('@azure/cosmos'));
export const identitySdk = once(() => require('@azure/identity') as typeof import('@azure/identity'));
export const webPubSubSdk = once(() => require('@azure/web-pubsub') as typeof import('@azure/web-pubsub'));
export const keyVaultSecretsSdk = once(
  () => require('@azure/keyvault-secrets') as typeof import('@azure/keyvault-secrets'),
);
export const appConfigurationSdk = once(
  () => require('@azure/app-configuration') as typeof import('@azure/app-configuration'),
);
export const emailSdk = once(
  () => require('@azure/communication-email') as typeof import('@azure/communication-email'),
);
export const smsSdk = once(() => require('@azure/communication-sms') as typeof import('@azure/communication-sms'));
export const webPushSdk = once(() => require('web-push') as typeof import('web-push'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** A managed-identity credential (DefaultAzureCredential), its SDK loaded on first use. */
export const defaultAzureCredential = () => new (identitySdk().DefaultAzureCredential)();
