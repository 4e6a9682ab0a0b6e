// Feature flags from Azure App Configuration (docs/feature-flags.md), read with the app's managed
// identity (App Configuration Data Reader, infra/terraform/appconfig.tf). A flag is the setting
// `.appconfig.featureflag/<name>` with the feature-flag content type, as the portal and Terraform's
// azurerm_app_configuration_feature write it; the label is the environment's (none by default).
import type { TokenCredential } from '@azure/identity';
import { appConfigurationSdk, defaultAzureCredential } from '../sdks.js';
import type { FlagName, FlagStore } from '../../features/flags.js';

export function appConfigurationFlags(
  endpoint: string,
  credential: TokenCredential = defaultAzureCredential(),
): FlagStore {
  // The flag reader owns the timeout (FeatureFlags) and falls back on failure: no SDK retries on top.
  const { AppConfigurationClient, featureFlagPrefix, isFeatureFlag, parseFeatureFlag } = appConfigurationSdk();
  const client = new AppConfigurationClient(endpoint, credential, { retryOptions: { maxRetries: 0 } });
  return async (name: FlagName, abortSignal: AbortSignal) => {
    try {
      const setting = await client.getConfigurationSetting({ key: `${featureFlagPrefix}${name}` }, { abortSignal });
      return isFeatureFlag(setting) ? parseFeatureFlag(setting).value.enabled : undefined;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  };
}
