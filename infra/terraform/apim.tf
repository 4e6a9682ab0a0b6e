# Optional API Management in front of the Function App (var.deploy_apim): the API is imported from
# the app's OpenAPI document (below), and each operation gets the policy its description asks for
# (apim-operations.tf, policies/operation.xml.tftpl), from the document's x-marquee-* extensions:
# - Signed-in operations: `validate-jwt` against Entra ID (the issuer's OpenID configuration,
#   audience, issuer, expiry) before the Function App is called; operations that need a role also
#   check the token's `roles` (403 problem+json without it). Optional-token operations validate a
#   token when one is sent. Anonymous ones (the public catalog, the payment provider's signed
#   webhook, the payment link) pass through.
# - Rate limits per subject (the token's `sub`) or, without a token, per client IP; starting a
#   booking draws from a stricter per-subject bucket. The numbers are var.rate_limit_*, the same the
#   app applies again per instance (RATE_LIMIT_*, shared/http/rate-limit.ts). rate-limit-by-key does
#   not exist on the Consumption tier, so it is left out there.
# - The public catalog GETs (x-marquee-cache-seconds: the handler's Cache-Control max-age) are cached
#   in the gateway's built-in cache, keyed by their query parameters (not on Consumption, which has
#   no built-in cache). Front Door caches the same answers before they reach APIM (edge.tf).
# - CORS for the web client's origins (API-wide, policies/api-inbound.xml.tftpl).
# The app still decides which routes need a user and validates the same token again
# (docs/architecture.md, Security).

locals {
  apim_enabled = var.deploy_apim
  apim_count   = local.apim_enabled ? 1 : 0

  # rate-limit-by-key is not available on the Consumption tier.
  apim_rate_limit_enabled = !startswith(var.apim_sku, "Consumption")

  auth_openid_config_url = coalesce(
    var.auth_openid_config_url,
    "${trimsuffix(var.auth_issuer, "/")}/.well-known/openid-configuration",
  )

  # The web client's origins (CORS): the Front Door endpoint that serves it, its static website,
  # and any others given (a custom domain).
  apim_cors_origins = distinct(compact(concat(
    local.front_door_enabled ? ["https://${azurerm_cdn_frontdoor_endpoint.main[0].host_name}"] : [],
    [trimsuffix(azurerm_storage_account.web.primary_web_endpoint, "/")],
    var.cors_allowed_origins,
  )))
}

resource "azurerm_api_management" "main" {
  count = local.apim_count

  name                = "apim-${local.name}-${local.suffix}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  publisher_name      = var.apim_publisher_name
  publisher_email     = var.apim_publisher_email
  sku_name            = var.apim_sku
  tags                = local.tags

  lifecycle {
    precondition {
      condition     = var.apim_publisher_email != null
      error_message = "apim_publisher_email is required when deploy_apim is true."
    }
  }
}

resource "azurerm_api_management_backend" "functions" {
  count = local.apim_count

  name                = "marquee-functions"
  api_management_name = azurerm_api_management.main[0].name
  resource_group_name = azurerm_resource_group.main.name
  protocol            = "http"
  url                 = "https://${azurerm_function_app_flex_consumption.main.default_hostname}/api"
  resource_id         = "https://management.azure.com${azurerm_function_app_flex_consumption.main.id}"
  description         = "Marquee Function App (Flex Consumption)"
}

# The API is imported from the app's own OpenAPI 3.1 document (GET /api/openapi.json, generated from
# the handlers' zod schemas; `npm run openapi:export` writes this copy and test/openapi/document.test.ts
# fails while it is stale), so APIM has one operation per route instead of catch-alls, named by the
# document's operationIds. Per-operation policies: apim-operations.tf.
resource "azurerm_api_management_api" "marquee" {
  count = local.apim_count

  name                  = "marquee"
  api_management_name   = azurerm_api_management.main[0].name
  resource_group_name   = azurerm_resource_group.main.name
  revision              = "1"
  display_name          = "Marquee"
  path                  = "api"
  protocols             = ["https"]
  service_url           = "https://${azurerm_function_app_flex_consumption.main.default_hostname}/api"
  subscription_required = false # callers are identified by their bearer token, not an APIM key

  import {
    content_format = "openapi+json"
    content_value  = file("${path.module}/openapi.json")
  }
}

# API-wide: CORS for the web client, the backend, and problem+json for the gateway's own refusals.
resource "azurerm_api_management_api_policy" "marquee" {
  count = local.apim_count

  api_name            = azurerm_api_management_api.marquee[0].name
  api_management_name = azurerm_api_management.main[0].name
  resource_group_name = azurerm_resource_group.main.name

  xml_content = templatefile("${path.module}/policies/api-inbound.xml.tftpl", {
    cors_origins = local.apim_cors_origins
    backend_id   = azurerm_api_management_backend.functions[0].name
  })
}
