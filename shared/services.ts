// The composition root (STYLE rule 10): one function builds every adapter from settings, once per
// process; handlers receive what they need from here. No DI container, no other singletons.
import { config, type Config } from './config.js';
import { createCosmos, type Cosmos } from './adapters/cosmos/client.js';
import { Authenticator } from './http/auth.js';

export interface Services {
  config: Config;
  cosmos: Cosmos;
  auth: Authenticator;
}

let built: Services | undefined;

export function services(): Services {
  if (built) return built;
  const c = config();
  built = {
    config: c,
    cosmos: createCosmos({ endpoint: c.COSMOS_ENDPOINT, key: c.COSMOS_KEY, database: c.COSMOS_DATABASE, timeoutMs: c.OUTBOUND_TIMEOUT_MS }),
    auth: new Authenticator({ issuer: c.AUTH_ISSUER, audience: c.AUTH_AUDIENCE, jwksUrl: c.AUTH_JWKS_URL, clockSkewSeconds: c.AUTH_CLOCK_SKEW_SECONDS, timeoutMs: c.OUTBOUND_TIMEOUT_MS }),
  };
  return built;
}
