# The Function App on Flex Consumption (Linux, Node.js 20), running as the user-assigned identity.
# Every setting the app reads (shared/config.ts) and every trigger connection is wired here.

resource "azurerm_service_plan" "functions" {
  name                = "asp-${local.name}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  sku_name            = "FC1" # Flex Consumption
  tags                = local.tags
}

locals {
  function_app_name = "func-${local.name}-${local.suffix}"

  # Identity-based connections: "<CONNECTION>__<property>" plus credential + clientId, because a
  # user-assigned identity has to be named (the runtime would otherwise look for a system one).
  identity_connection = {
    credential = "managedidentity"
    clientId   = azurerm_user_assigned_identity.app.client_id
  }

  app_settings = {
    # --- Functions runtime + Durable task hub storage (identity-based) ----------------------
    # azurerm (<= 5.x) injects "AzureWebJobsStorage=...;AccountKey=;..." for identity-based Flex
    # apps, which the host reads as a broken connection string. An explicit empty value
    # overrides it, so the host falls through to the __ settings below. Remove once
    # hashicorp/terraform-provider-azurerm#29693 / #29149 are fixed (see README).
    "AzureWebJobsStorage"              = ""
    "AzureWebJobsStorage__accountName" = azurerm_storage_account.functions.name
    "AzureWebJobsStorage__credential"  = local.identity_connection.credential
    "AzureWebJobsStorage__clientId"    = local.identity_connection.clientId

    # DefaultAzureCredential in the app's SDK clients (Cosmos, Key Vault, Web PubSub, Service Bus)
    # picks the user-assigned identity from this.
    "AZURE_CLIENT_ID" = azurerm_user_assigned_identity.app.client_id

    # --- Cosmos DB ---------------------------------------------------------------------------
    # COSMOS_ENDPOINT for the app's client (no COSMOS_KEY: managed identity), COSMOS__* for the
    # cosmosDBTrigger (connection: 'COSMOS').
    "COSMOS_ENDPOINT"         = azurerm_cosmosdb_account.main.endpoint
    "COSMOS_DATABASE"         = azurerm_cosmosdb_sql_database.marquee.name
    "COSMOS__accountEndpoint" = azurerm_cosmosdb_account.main.endpoint
    "COSMOS__credential"      = local.identity_connection.credential
    "COSMOS__clientId"        = local.identity_connection.clientId

    # --- Service Bus (serviceBusTopic triggers/outputs use connection: 'SERVICEBUS') ----------
    "SERVICEBUS__fullyQualifiedNamespace" = "${azurerm_servicebus_namespace.main.name}.servicebus.windows.net"
    "SERVICEBUS__credential"              = local.identity_connection.credential
    "SERVICEBUS__clientId"                = local.identity_connection.clientId
    "BOOKING_EVENTS_TOPIC"                = azurerm_servicebus_topic.booking_events.name

    # --- Web PubSub (server SDK with DefaultAzureCredential) ----------------------------------
    "WEBPUBSUB_ENDPOINT" = "https://${azurerm_web_pubsub.main.hostname}"
    "WEBPUBSUB_HUB"      = azurerm_web_pubsub_hub.marquee.name

    # --- Key Vault -----------------------------------------------------------------------------
    "KEY_VAULT_URL" = azurerm_key_vault.main.vault_uri

    # --- Auth (Entra ID bearer tokens) -----------------------------------------------------------
    "AUTH_ISSUER"   = var.auth_issuer
    "AUTH_AUDIENCE" = var.auth_audience
    "AUTH_JWKS_URL" = var.auth_jwks_url

    # --- App behaviour -----------------------------------------------------------------------------
    "LOG_LEVEL" = var.log_level
    "DEMO_DATA" = "false"

    # --- Paid means confirmed or refunded (grace at hold expiry; provider-side reconciliation) ------
    "PAYMENT_GRACE_SECONDS"               = "600"
    "PAYMENT_GRACE_POLL_SECONDS"          = "30"
    "PAYMENTS_RECONCILE_LOOKBACK_SECONDS" = "86400"
  }

  always_ready = {
    http    = var.function_always_ready_http
    durable = var.function_always_ready_durable
  }
}

resource "azurerm_function_app_flex_consumption" "main" {
  name                = local.function_app_name
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  service_plan_id     = azurerm_service_plan.functions.id

  runtime_name           = "node"
  runtime_version        = "20"
  instance_memory_in_mb  = var.function_instance_memory_mb
  maximum_instance_count = var.function_maximum_instance_count
  http_concurrency       = var.function_http_concurrency

  # The deployment package lives in the blob container, read with the app identity.
  storage_container_type            = "blobContainer"
  storage_container_endpoint        = "${azurerm_storage_account.functions.primary_blob_endpoint}${azurerm_storage_container.deployments.name}"
  storage_authentication_type       = "UserAssignedIdentity"
  storage_user_assigned_identity_id = azurerm_user_assigned_identity.app.id

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  dynamic "always_ready" {
    for_each = { for group, count in local.always_ready : group => count if count > 0 }
    content {
      name           = always_ready.key
      instance_count = always_ready.value
    }
  }

  https_only                                     = true
  webdeploy_publish_basic_authentication_enabled = false

  site_config {
    # Written to APPLICATIONINSIGHTS_CONNECTION_STRING by the provider.
    application_insights_connection_string = azurerm_application_insights.main.connection_string
    minimum_tls_version                    = "1.2"
  }

  app_settings = local.app_settings

  tags = local.tags

  # The host starts as soon as the app exists; give it its data-plane access first.
  depends_on = [
    azurerm_role_assignment.app_storage,
    azurerm_role_assignment.app_servicebus,
    azurerm_role_assignment.app_webpubsub,
    azurerm_role_assignment.app_kv_secrets_user,
    azurerm_cosmosdb_sql_role_assignment.app_data_contributor,
  ]
}
