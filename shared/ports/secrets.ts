// The secrets port. Its adapters are in shared/adapters/keyvault/, chosen in shared/services.ts.
// Named secrets: Key Vault (managed identity) in Azure, the environment on a laptop.

/** Every named secret: each is a Key Vault secret in Azure (infra/terraform/keyvault.tf; test/deploy checks it). */
export const SECRET_NAMES = [
  'PAYMENTS_API_KEY',
  'PAYMENTS_WEBHOOK_SECRET',
  'TICKET_SIGNING_KEY',
  // Signs the waiting room's queue tickets and admission tokens (shared/waiting-room/tokens.ts).
  'WAITING_ROOM_SIGNING_KEY',
] as const;

export type SecretName = (typeof SECRET_NAMES)[number];

export interface SecretSource {
  /** The secret's current value; throws when it is not available. Implementations cache. */
  get(name: SecretName): Promise<string>;
}
