# Feature flags (docs/feature-flags.md): Azure App Configuration holds them; the app reads a flag with
# its identity (App Configuration Data Reader) through APP_CONFIGURATION_ENDPOINT, with a 1 s timeout
# and a FEATURE_FLAGS_CACHE_SECONDS cache, falling back to the FEATURE_* app settings. Flipping a flag
# in the portal (or here) reaches every instance within the cache time, without a deployment.

resource "azurerm_app_configuration" "main" {
  name                  = "appcs-${local.name}-${local.suffix}"
  location              = azurerm_resource_group.main.location
  resource_group_name   = azurerm_resource_group.main.name
  sku                   = "standard"
  local_auth_enabled    = false # Entra ID only, no access keys
  public_network_access = "Enabled"

  tags = local.tags
}

resource "azurerm_role_assignment" "app_appconfig_reader" {
  scope                = azurerm_app_configuration.main.id
  role_definition_name = "App Configuration Data Reader"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

# The deployer writes the flags below (a data-plane write, like the Key Vault secrets).
resource "azurerm_role_assignment" "deployer_appconfig_owner" {
  scope                = azurerm_app_configuration.main.id
  role_definition_name = "App Configuration Data Owner"
  principal_id         = data.azurerm_client_config.current.object_id
}

# The flags the app reads (shared/features/flags.ts). Terraform sets each one's initial state; after
# that, operators flip it in App Configuration and Terraform leaves the state alone.
resource "azurerm_app_configuration_feature" "recommendations_rail" {
  configuration_store_id = azurerm_app_configuration.main.id
  name                   = "recommendations-rail"
  description            = "The recommendation rails (GET /api/recommendations, /api/me/recommendations). Off: empty rails."
  enabled                = true

  lifecycle {
    ignore_changes = [enabled]
  }

  depends_on = [azurerm_role_assignment.deployer_appconfig_owner]
}
