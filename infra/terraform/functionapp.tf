# The Function App on Flex Consumption (Linux, Node.js 22), running as the user-assigned identity.
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
    "SHOW_EVENTS_TOPIC"                   = azurerm_servicebus_topic.show_events.name

    # --- Web PubSub (server SDK with DefaultAzureCredential) ----------------------------------
    "WEBPUBSUB_ENDPOINT" = "https://${azurerm_web_pubsub.main.hostname}"
    "WEBPUBSUB_HUB"      = azurerm_web_pubsub_hub.marquee.name

    # --- Key Vault -----------------------------------------------------------------------------
    "KEY_VAULT_URL" = azurerm_key_vault.main.vault_uri

    # --- Partner webhooks (docs/webhooks.md) ----------------------------------------------------
    "PARTNER_WEBHOOK_VAULT_URL"              = azurerm_key_vault.partner_webhooks.vault_uri
    "PARTNER_WEBHOOK_RETRY_SCHEDULE"         = "5s,5m,30m,2h,5h,10h,10h,10h,10h,10h,10h"
    "PARTNER_WEBHOOK_TIMEOUT_MS"             = "10000"
    "PARTNER_WEBHOOK_SECRET_OVERLAP_SECONDS" = "86400"
    "PARTNER_WEBHOOK_ALLOW_LOOPBACK"         = "false"
    "PARTNER_WEBHOOK_DISABLE_AFTER_HOURS"    = "120"
    "PARTNER_WEBHOOK_ENDPOINT_CONCURRENCY"   = "4"
    "PARTNER_WEBHOOK_QUEUE_WAIT_MS"          = "1000"
    "PARTNER_WEBHOOK_CIRCUIT_FAILURES"       = "3"
    "PARTNER_WEBHOOK_CIRCUIT_OPEN_SECONDS"   = "30"
    "PARTNER_WEBHOOK_OPS_EMAIL"              = var.partner_webhook_ops_email

    # --- Auth (Entra ID bearer tokens) -----------------------------------------------------------
    "AUTH_ISSUER"   = var.auth_issuer
    "AUTH_AUDIENCE" = var.auth_audience
    "AUTH_JWKS_URL" = var.auth_jwks_url

    # --- Payment provider (its two secrets come from Key Vault) ------------------------------------
    "PAYMENTS_BASE_URL" = var.payments_base_url

    # --- App behaviour -----------------------------------------------------------------------------
    "LOG_LEVEL" = var.log_level
    "DEMO_DATA" = "false"
    # Payment return links point at the web client, served through Front Door (infra/terraform/edge.tf).
    "WEB_APP_URL" = local.front_door_enabled ? "https://${azurerm_cdn_frontdoor_endpoint.main[0].host_name}" : ""
    # The reconciler's timer (functions/booking-reconcile.ts reads it as %RECONCILE_SCHEDULE%).
    "RECONCILE_SCHEDULE" = var.reconcile_schedule

    # --- The HTTP edge (docs/architecture.md, Security) ---------------------------------------------
    # Request bodies the host accepts (the app's largest is a venue's layout, well under 1 MiB).
    "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT" = "1048576"
    # Rate limits per instance, the same numbers as API Management's policy (apim.tf). Each proxy in
    # front (Front Door, APIM) adds one X-Forwarded-For entry after the client's address.
    "RATE_LIMIT_ENABLED"              = "true"
    "RATE_LIMIT_USER_PER_SECOND"      = tostring(var.rate_limit_user_per_second)
    "RATE_LIMIT_ANONYMOUS_PER_SECOND" = tostring(var.rate_limit_anonymous_per_second)
    "RATE_LIMIT_BOOKINGS_PER_MINUTE"  = tostring(var.rate_limit_bookings_per_minute)
    "RATE_LIMIT_PROXY_HOPS"           = local.apim_enabled ? (local.front_door_enabled ? "2" : "1") : (local.front_door_enabled ? "1" : "0")

    # --- Notifications (communication.tf) -----------------------------------------------------------
    "ACS_ENDPOINT"              = "https://${azurerm_communication_service.main.hostname}"
    "NOTIFY_EMAIL_SENDER"       = "DoNotReply@${azurerm_email_communication_service_domain.managed.from_sender_domain}"
    "NOTIFY_SMS_SENDER"         = var.sms_sender
    "NOTIFY_TIMEZONE"           = var.notify_timezone
    "WEB_PUSH_SUBJECT"          = var.web_push_subject
    "WEB_PUSH_VAPID_PUBLIC_KEY" = var.web_push_vapid_public_key
    # A Key Vault reference: the platform resolves it with the app's identity (Key Vault Secrets User).
    "WEB_PUSH_VAPID_PRIVATE_KEY" = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault.main.vault_uri}secrets/${azurerm_key_vault_secret.web_push_vapid_private_key.name}/)"

    # --- Telemetry (docs/telemetry.md) ---------------------------------------------------------------
    # OpenTelemetry through Azure Monitor's distro to APPLICATIONINSIGHTS_CONNECTION_STRING (set by
    # site_config below); the host's own request telemetry keeps host.json's sampling.
    "TELEMETRY_EXPORTER"       = "azure-monitor"
    "OTEL_SERVICE_NAME"        = "marquee-api"
    "TELEMETRY_SAMPLING_RATIO" = tostring(var.telemetry_sampling_ratio)

    # --- Feature flags (appconfig.tf, docs/feature-flags.md) -----------------------------------------
    "APP_CONFIGURATION_ENDPOINT"   = azurerm_app_configuration.main.endpoint
    "FEATURE_FLAGS_CACHE_SECONDS"  = "30"
    "FEATURE_RECOMMENDATIONS_RAIL" = "true" # the fallback while App Configuration cannot answer

    # --- Paid means confirmed or refunded (grace at hold expiry; provider-side reconciliation) ------
    "PAYMENT_GRACE_SECONDS"               = "600"
    "PAYMENT_GRACE_POLL_SECONDS"          = "30"
    "PAYMENTS_RECONCILE_LOOKBACK_SECONDS" = "86400"

    # --- The waiting room of hot on-sales (docs/architecture.md, Waiting room) ---------------------
    # Its signing key is WAITING-ROOM-SIGNING-KEY in Key Vault (keyvault.tf).
    "WAITING_ROOM_SETTLE_MS"               = "3000"
    "WAITING_ROOM_CACHE_MS"                = "1000"
    "WAITING_ROOM_JOINS_PER_IP_PER_MINUTE" = tostring(var.waiting_room_joins_per_ip_per_minute)
    "WAITING_ROOM_JOIN_BATCH_MS"           = "2"
  }

  app_behind_apim       = local.apim_enabled && !startswith(var.apim_sku, "Consumption")
  app_behind_front_door = !local.apim_enabled && local.front_door_enabled
  app_restricted        = local.app_behind_apim || local.app_behind_front_door

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
  # Node 20 reached end of life on 2026-04-30; Flex Consumption runs Node 22.
  runtime_version        = "22"
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

    # Traffic only through the front door that checks tokens and limits rates: APIM's gateway addresses
    # when APIM is deployed (a tier with its own addresses: Consumption shares addresses, so it is not
    # restricted here — use StandardV2), else Front Door's backends carrying this profile's id. The
    # deployment (SCM) site keeps its own rules, so publishing still works.
    ip_restriction_default_action = local.app_restricted ? "Deny" : "Allow"

    dynamic "ip_restriction" {
      for_each = local.app_behind_apim ? azurerm_api_management.main[0].public_ip_addresses : []
      content {
        name       = "apim-${ip_restriction.key}"
        action     = "Allow"
        priority   = 100 + ip_restriction.key
        ip_address = "${ip_restriction.value}/32"
      }
    }

    dynamic "ip_restriction" {
      for_each = local.app_behind_front_door ? [azurerm_cdn_frontdoor_profile.main[0].resource_guid] : []
      content {
        name        = "front-door"
        action      = "Allow"
        priority    = 100
        service_tag = "AzureFrontDoor.Backend"
        headers {
          x_azure_fdid = [ip_restriction.value]
        }
      }
    }
  }

  app_settings = local.app_settings

  tags = local.tags

  # The host starts as soon as the app exists; give it its data-plane access first.
  depends_on = [
    azurerm_role_assignment.app_storage,
    azurerm_role_assignment.app_servicebus,
    azurerm_role_assignment.app_webpubsub,
    azurerm_role_assignment.app_kv_secrets_user,
    azurerm_role_assignment.app_appconfig_reader,
    azurerm_cosmosdb_sql_role_assignment.app_data_contributor,
  ]
}
