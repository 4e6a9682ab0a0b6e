// The secrets port. Its adapters are in shared/adapters/keyvault/, chosen in shared/services.ts.
// Named secrets: Key Vault (managed identity) in Azure, the environment on a laptop.

export type SecretName = 'PAYMENTS_API_KEY' | 'PAYMENTS_WEBHOOK_SECRET' | 'TICKET_SIGNING_KEY';

export interface SecretSource {
  /** The secret's current value; throws when it is not available. Implementations cache. */
  get(name: SecretName): Promise<string>;
}
