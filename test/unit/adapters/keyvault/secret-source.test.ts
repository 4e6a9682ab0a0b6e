import { describe, expect, it } from 'vitest';
import {
  envSecretSource,
  keyVaultNameOf,
  keyVaultSecretSource,
  SecretUnavailableError,
} from '../../../../shared/adapters/keyvault/secret-source.js';

describe('secret sources', () => {
  it('the env source serves configured secrets and refuses missing ones', async () => {
    const s = envSecretSource({ PAYMENTS_API_KEY: 'sk_1234567890abcdef' });
    await expect(s.get('PAYMENTS_API_KEY')).resolves.toBe('sk_1234567890abcdef');
    await expect(s.get('TICKET_SIGNING_KEY')).rejects.toBeInstanceOf(SecretUnavailableError);
  });

  it('Key Vault names use dashes', () => {
    expect(keyVaultNameOf('PAYMENTS_WEBHOOK_SECRET')).toBe('payments-webhook-secret');
  });

  it('the Key Vault source caches for the TTL, shares one read between concurrent callers, and rereads after', async () => {
    let now = 0;
    const reads: string[] = [];
    let version = 1;
    const source = keyVaultSecretSource({
      vaultUrl: 'https://example.vault.azure.net',
      timeoutMs: 1000,
      ttlMs: 60_000,
      now: () => now,
      fetcher: async (name) => {
        reads.push(name);
        await new Promise((r) => setTimeout(r, 5));
        return `value-${version}`;
      },
    });
    const [a, b] = await Promise.all([source.get('PAYMENTS_API_KEY'), source.get('PAYMENTS_API_KEY')]);
    expect([a, b]).toEqual(['value-1', 'value-1']);
    expect(reads).toEqual(['payments-api-key']);
    version = 2;
    now = 59_999;
    await expect(source.get('PAYMENTS_API_KEY')).resolves.toBe('value-1');
    now = 60_000;
    await expect(source.get('PAYMENTS_API_KEY')).resolves.toBe('value-2');
    expect(reads).toHaveLength(2);
  });

  it('times out a hanging Key Vault, and serves the last good value when it fails later', async () => {
    let now = 0;
    let hang = true;
    const source = keyVaultSecretSource({
      vaultUrl: 'https://example.vault.azure.net',
      timeoutMs: 50,
      ttlMs: 1000,
      now: () => now,
      fetcher: (_name, signal) =>
        hang
          ? new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
          : Promise.resolve('good'),
    });
    const started = Date.now();
    await expect(source.get('TICKET_SIGNING_KEY')).rejects.toThrow(/no answer within 50 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
    hang = false;
    await expect(source.get('TICKET_SIGNING_KEY')).resolves.toBe('good');
    hang = true;
    now = 5000; // past the TTL: the reread times out, the cached value is served
    await expect(source.get('TICKET_SIGNING_KEY')).resolves.toBe('good');
  });
});
