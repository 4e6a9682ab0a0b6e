output "resource_group_name" {
  description = "Resource group holding everything."
  value       = azurerm_resource_group.main.name
}

output "function_app_name" {
  description = "Function App name (for `func azure functionapp publish <name>`)."
  value       = azurerm_function_app_flex_consumption.main.name
}

output "function_app_url" {
  description = "The Function App's own base URL (HTTP routes are under /api)."
  value       = "https://${azurerm_function_app_flex_consumption.main.default_hostname}"
}

output "api_base_url" {
  description = "Base URL clients should call: the APIM gateway when deployed, else the Function App."
  value = (local.apim_enabled
    ? "${azurerm_api_management.main[0].gateway_url}/api"
  : "https://${azurerm_function_app_flex_consumption.main.default_hostname}/api")
}

output "app_identity" {
  description = "The app's user-assigned managed identity."
  value = {
    id           = azurerm_user_assigned_identity.app.id
    client_id    = azurerm_user_assigned_identity.app.client_id
    principal_id = azurerm_user_assigned_identity.app.principal_id
  }
}

output "cosmos_endpoint" {
  description = "Cosmos DB account endpoint (COSMOS_ENDPOINT)."
  value       = azurerm_cosmosdb_account.main.endpoint
}

output "cosmos_containers" {
  description = "Containers created in database `marquee`, with their partition keys."
  value       = { for name, c in local.cosmos_containers : name => c.partition_key }
}

output "servicebus_namespace" {
  description = "Service Bus fully qualified namespace (SERVICEBUS__fullyQualifiedNamespace)."
  value       = "${azurerm_servicebus_namespace.main.name}.servicebus.windows.net"
}

output "webpubsub_endpoint" {
  description = "Web PubSub endpoint (WEBPUBSUB_ENDPOINT); hub `marquee`."
  value       = "https://${azurerm_web_pubsub.main.hostname}"
}

output "key_vault_url" {
  description = "Key Vault URI (KEY_VAULT_URL)."
  value       = azurerm_key_vault.main.vault_uri
}

output "storage_account_name" {
  description = "Functions runtime / Durable task hub storage account."
  value       = azurerm_storage_account.functions.name
}

output "app_settings" {
  description = "App settings the Function App receives (besides APPLICATIONINSIGHTS_CONNECTION_STRING). None is a secret."
  value       = local.app_settings
}

output "application_insights_connection_string" {
  description = "Application Insights connection string."
  value       = azurerm_application_insights.main.connection_string
  sensitive   = true
}

output "web_storage_account_name" {
  description = "Storage account whose static website (`$web`) hosts the built web client."
  value       = azurerm_storage_account.web.name
}

output "web_url" {
  description = "Where customers open the web client: the Front Door endpoint (null without Front Door)."
  value       = local.front_door_enabled ? "https://${azurerm_cdn_frontdoor_endpoint.main[0].host_name}" : null
}
