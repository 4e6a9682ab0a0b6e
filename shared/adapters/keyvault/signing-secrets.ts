// Partner endpoint signing secrets in Key Vault (managed identity), one secret per endpoint and
// rotation (`whsec-<endpoint>-<n>`). Values are written once and never change, so the dispatcher
// caches them by name; every call has a timeout. Values are never logged.
import { defaultAzureCredential, keyVaultSecretsSdk } from '../sdks.js';
import type { SigningSecrets } from '../../partners/ports.js';

export function keyVaultSigningSecrets(options: { vaultUrl: string; timeoutMs: number }): SigningSecrets {
  const client = new (keyVaultSecretsSdk().SecretClient)(options.vaultUrl, defaultAzureCredential());
  const signal = () => AbortSignal.timeout(options.timeoutMs);
  return {
    async put(name, value) {
      await client.setSecret(name, value, { abortSignal: signal(), contentType: 'whsec' });
    },
    async get(name) {
      const value = (await client.getSecret(name, { abortSignal: signal() })).value;
      if (!value) throw new Error(`Key Vault secret ${name} has no value`);
      return value;
    },
    async remove(name) {
      // Soft delete: the vault keeps it for its retention period; nothing signs with it any more.
      try {
        await client.beginDeleteSecret(name, { abortSignal: signal() });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      }
    },
  };
}
