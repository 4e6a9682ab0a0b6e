// Marquee's app settings on the local host: a wrong one stops start-up with one line naming it
// (shared/config.ts), checked before anything starts with placeholders for what is supplied here,
// and again once the emulators filled theirs. Supplied when unset: the dev issuer, the payment
// simulator and the secrets kept in the data folder, the Web PubSub hub.
import { parseConfig } from '../../shared/config.js';
import { randomSecret } from '../../local/core/data-dir.js';
import type { HostPlugin, SettingsContext } from '../../local/core/plugin.js';
import { devIdentityOn } from '../identity/settings.js';

export const marqueeSettingsPlugin: HostPlugin = {
  name: 'marquee-settings',
  beforeApp: true,
  checkSettings(env, final) {
    parseConfig(final ? env : { ...placeholders(env), ...env });
  },
  supplySettings: fill,
  async start() {},
};

function fill({ env, origin, data }: SettingsContext): void {
  env.WEBPUBSUB_HUB ??= 'marquee';
  if (devIdentityOn(env)) {
    env.AUTH_ISSUER ??= `${origin}/.identity`;
    env.AUTH_JWKS_URL ??= `${origin}/.identity/jwks`;
    env.AUTH_AUDIENCE ??= 'api://marquee';
  }
  // The payment simulator (local-plugins/payments) is the provider unless one is configured; its
  // secrets are random, made once per data folder (so tickets and signatures still verify after a
  // restart) and kept only there and in this process's environment, never in the repository.
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

function placeholders(env: NodeJS.ProcessEnv): Record<string, string> {
  const values: Record<string, string> = {
    COSMOS_ENDPOINT: 'http://127.0.0.1:8081/',
    PAYMENTS_BASE_URL: 'http://127.0.0.1/.payments',
    PAYMENTS_API_KEY: 'placeholder-supplied-at-start',
    PAYMENTS_WEBHOOK_SECRET: 'placeholder-supplied-at-start',
    TICKET_SIGNING_KEY: 'placeholder-supplied-at-start-0123456789',
    WAITING_ROOM_SIGNING_KEY: 'placeholder-supplied-at-start-0123456789',
    // The Web PubSub emulator (local/web-pubsub) fills it when unset.
    WEBPUBSUB_CONNECTION_STRING: 'Endpoint=http://localhost;Port=7072;AccessKey=placeholder;Version=1.0;',
  };
  if (devIdentityOn(env)) {
    Object.assign(values, {
      AUTH_ISSUER: 'http://127.0.0.1/.identity',
      AUTH_JWKS_URL: 'http://127.0.0.1/.identity/jwks',
      AUTH_AUDIENCE: 'api://marquee',
    });
  }
  return values;
}
