// The SecretSource port: Key Vault with managed identity in Azure (DefaultAzureCredential), the
// settings (environment) on a laptop (docs/architecture.md, Security). Key Vault reads have a timeout and an
// in-memory cache with a TTL, so a rotated secret is picked up within the TTL, concurrent callers
// share one request, and a Key Vault blip is ridden out on the last good value. Secret values are
// never logged or put into error messages.
import { defaultAzureCredential, keyVaultSecretsSdk } from '../sdks.js';
import type { SecretName, SecretSource } from '../../ports/secrets.js';

export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError';
}

/** Key Vault secret names allow letters, digits and dashes: PAYMENTS_API_KEY → payments-api-key. */
export const keyVaultNameOf = (name: SecretName): string => name.toLowerCase().replace(/_/g, '-');

/** Settings-backed secrets: the values config() validated. */
export function envSecretSource(values: Partial<Record<SecretName, string>>): SecretSource {
  return {
    async get(name) {
      const value = values[name];
      if (!value) throw new SecretUnavailableError(`The secret ${name} is not set.`);
      return value;
    },
  };
}

/** Reads one secret's value; `signal` aborts it. Undefined when the secret has no value. */
export type SecretFetcher = (vaultName: string, signal: AbortSignal) => Promise<string | undefined>;

export interface KeyVaultSourceOptions {
  vaultUrl: string;
  timeoutMs: number;
  /** How long a value is served from memory before it is read again. */
  ttlMs: number;
  /** Tests pass a fake; by default the real SecretClient with DefaultAzureCredential. */
  fetcher?: SecretFetcher;
  now?: () => number;
}

export function keyVaultSecretSource(options: KeyVaultSourceOptions): SecretSource {
  const now = options.now ?? Date.now;
  const fetcher = options.fetcher ?? secretClientFetcher(options.vaultUrl);
  const cache = new Map<SecretName, { value: string; readAt: number }>();
  const inflight = new Map<SecretName, Promise<string>>();

  const read = async (name: SecretName): Promise<string> => {
    try {
      const value = await fetcher(keyVaultNameOf(name), AbortSignal.timeout(options.timeoutMs));
      if (!value) throw new SecretUnavailableError(`The Key Vault secret ${keyVaultNameOf(name)} has no value.`);
      cache.set(name, { value, readAt: now() });
      return value;
    } catch (err) {
      const stale = cache.get(name);
      if (stale) return stale.value; // Key Vault is slow or down: keep working on the last good value.
      if (err instanceof SecretUnavailableError) throw err;
      const reason =
        (err as Error)?.name === 'TimeoutError'
          ? `no answer within ${options.timeoutMs} ms`
          : ((err as Error)?.name ?? 'error');
      throw new SecretUnavailableError(`The secret ${name} could not be read from Key Vault (${reason}).`, {
        cause: err,
      });
    } finally {
      inflight.delete(name);
    }
  };

  return {
    get(name) {
      const hit = cache.get(name);
      if (hit && now() - hit.readAt < options.ttlMs) return Promise.resolve(hit.value);
      let pending = inflight.get(name);
      if (!pending) {
        pending = read(name);
        inflight.set(name, pending);
      }
      return pending;
    },
  };
}

function secretClientFetcher(vaultUrl: string): SecretFetcher {
  const client = new (keyVaultSecretsSdk().SecretClient)(vaultUrl, defaultAzureCredential());
  return async (vaultName, signal) => (await client.getSecret(vaultName, { abortSignal: signal })).value;
}
