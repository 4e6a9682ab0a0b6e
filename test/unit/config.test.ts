import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../shared/config.js';

// Only the payment-related settings are looked at, so this test does not depend on what other
// features require.
function paymentIssues(env: Record<string, string>): string[] {
  const r = ConfigSchema.safeParse(env);
  if (r.success) return [];
  return r.error.issues.map((i) => i.path.join('.')).filter((p) => /^(PAYMENTS_|TICKET_)/.test(p));
}

const base = {
  PAYMENTS_BASE_URL: 'https://pay.example/',
  PAYMENTS_API_KEY: 'sk_0123456789abcdef',
  PAYMENTS_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
  TICKET_SIGNING_KEY: 'k'.repeat(32),
};

describe('payment settings', () => {
  it('are accepted when complete', () => {
    expect(paymentIssues(base)).toEqual([]);
  });

  it('need the provider URL', () => {
    const { PAYMENTS_BASE_URL: _omit, ...rest } = base;
    expect(paymentIssues(rest)).toEqual(['PAYMENTS_BASE_URL']);
  });

  it('need the secrets when there is no Key Vault, and not when there is one', () => {
    const noSecrets = { PAYMENTS_BASE_URL: base.PAYMENTS_BASE_URL };
    expect(paymentIssues(noSecrets).sort()).toEqual([
      'PAYMENTS_API_KEY',
      'PAYMENTS_WEBHOOK_SECRET',
      'TICKET_SIGNING_KEY',
    ]);
    expect(paymentIssues({ ...noSecrets, KEY_VAULT_URL: 'https://marquee.vault.azure.net/' })).toEqual([]);
  });

  it('reject short secrets and a non-numeric tolerance', () => {
    expect(
      paymentIssues({
        ...base,
        PAYMENTS_API_KEY: 'short',
        TICKET_SIGNING_KEY: 'also-short',
        PAYMENTS_WEBHOOK_TOLERANCE_SECONDS: 'soon',
      }).sort(),
    ).toEqual(['PAYMENTS_API_KEY', 'PAYMENTS_WEBHOOK_TOLERANCE_SECONDS', 'TICKET_SIGNING_KEY']);
  });
});
