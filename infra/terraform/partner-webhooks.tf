# Partner webhook signing secrets (docs/webhooks.md): the app creates one secret per endpoint and
# rotation and deletes them with the endpoint, so it must be able to write secrets. It gets that
# right on a vault of their own, never on the main vault, whose payment and ticket keys it only reads.

resource "azurerm_key_vault" "partner_webhooks" {
  name                       = "kw${var.name_prefix}-${var.environment}-${local.suffix}"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = var.key_vault_purge_protection
  soft_delete_retention_days = 7
  tags                       = local.tags
}

resource "azurerm_role_assignment" "app_partner_webhook_secrets_officer" {
  scope                = azurerm_key_vault.partner_webhooks.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}
