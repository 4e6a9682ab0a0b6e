# Storage account for the Functions runtime (host locks, keys, timers) and the Durable Functions
# task hub (Azure Storage provider: queues, tables, blobs of hub "MarqueeHub" from host.json),
# plus the blob container Flex Consumption deploys the app package into.
#
# Shared keys are off: the runtime connects with the app identity (AzureWebJobsStorage__* app
# settings) and Terraform with Entra ID (provider `storage_use_azuread`).
# Microsoft suggests a dedicated account for a busy task hub; at scale, move the task hub to its
# own account or to the Durable Task Scheduler (docs/architecture.md, Scale path).

resource "azurerm_storage_account" "functions" {
  name                            = substr("st${var.name_prefix}${var.environment}${local.suffix}", 0, 24)
  location                        = azurerm_resource_group.main.location
  resource_group_name             = azurerm_resource_group.main.name
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = var.storage_replication_type
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  allow_nested_items_to_be_public = false
  tags                            = local.tags
}

resource "azurerm_storage_container" "deployments" {
  name                  = "app-package"
  storage_account_id    = azurerm_storage_account.functions.id
  container_access_type = "private"
}

# What the Functions host and the Durable Azure Storage provider need over identity-based
# connections: blobs (leases, keys, large payloads, deployment package), queues (control and
# work-item queues) and tables (history and instances).
locals {
  storage_roles = [
    "Storage Blob Data Owner",
    "Storage Queue Data Contributor",
    "Storage Table Data Contributor",
  ]
}

resource "azurerm_role_assignment" "app_storage" {
  for_each = toset(local.storage_roles)

  scope                = azurerm_storage_account.functions.id
  role_definition_name = each.value
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

# Shared keys are off and the provider talks to the account's data plane with Entra ID
# (`storage_use_azuread`): reading the account's blob and queue service properties needs data-plane
# roles for whoever runs Terraform, not only Owner/Contributor. New assignments take a few minutes
# to reach the data plane: if the first apply fails with 403 on the account, apply again.
resource "azurerm_role_assignment" "deployer_storage" {
  for_each = toset(["Storage Blob Data Contributor", "Storage Queue Data Contributor"])

  scope                = azurerm_storage_account.functions.id
  role_definition_name = each.value
  principal_id         = data.azurerm_client_config.current.object_id
}
