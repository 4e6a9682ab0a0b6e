# Key Vault in RBAC mode with the secrets the app reads through KEY_VAULT_URL. Values come from
# ephemeral, sensitive variables into write-only `value_wo`: they never sit in the repo, in
# the plan or in state. Bump `secrets_version` to write new values.

resource "azurerm_key_vault" "main" {
  name                       = "kv${var.name_prefix}-${var.environment}-${local.suffix}"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = var.key_vault_purge_protection
  soft_delete_retention_days = 7
  tags                       = local.tags
}

# Whoever runs Terraform writes the secrets.
resource "azurerm_role_assignment" "deployer_kv_secrets_officer" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

# The app only reads them.
resource "azurerm_role_assignment" "app_kv_secrets_user" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_key_vault_secret" "payments_api_key" {
  name             = "PAYMENTS-API-KEY"
  key_vault_id     = azurerm_key_vault.main.id
  value_wo         = var.payments_api_key
  value_wo_version = var.secrets_version
  content_type     = "text/plain"

  depends_on = [azurerm_role_assignment.deployer_kv_secrets_officer]
}

resource "azurerm_key_vault_secret" "payments_webhook_secret" {
  name             = "PAYMENTS-WEBHOOK-SECRET"
  key_vault_id     = azurerm_key_vault.main.id
  value_wo         = var.payments_webhook_secret
  value_wo_version = var.secrets_version
  content_type     = "text/plain"

  depends_on = [azurerm_role_assignment.deployer_kv_secrets_officer]
}

resource "azurerm_key_vault_secret" "ticket_signing_key" {
  name             = "TICKET-SIGNING-KEY"
  key_vault_id     = azurerm_key_vault.main.id
  value_wo         = var.ticket_signing_key
  value_wo_version = var.secrets_version
  content_type     = "text/plain"

  depends_on = [azurerm_role_assignment.deployer_kv_secrets_officer]
}

resource "azurerm_key_vault_secret" "waiting_room_signing_key" {
  name             = "WAITING-ROOM-SIGNING-KEY"
  key_vault_id     = azurerm_key_vault.main.id
  value_wo         = var.waiting_room_signing_key
  value_wo_version = var.secrets_version
  content_type     = "text/plain"

  depends_on = [azurerm_role_assignment.deployer_kv_secrets_officer]
}
