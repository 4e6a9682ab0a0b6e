# Optional API Management in front of the Function App (var.deploy_apim): one API at /api that
# forwards every method and path to https://<function-app>/api, with the policy in
# policies/api-inbound.xml.tftpl:
# - A request with a bearer token must carry a valid Entra ID token (signature against the
#   issuer's OpenID configuration, audience, issuer, expiry); otherwise APIM answers 401 before
#   the Function App is called. It is then rate-limited per user (the token's subject), and
#   POST /api/bookings again, more strictly, per user.
# - A request without one (public catalog reads, the payment provider's signed webhook) passes
#   through, rate-limited per client IP. The app applies the same limits again per instance
#   (var.rate_limit_*, shared/http/rate-limit.ts). The app still decides which routes need a user and
#   validates the same token again (docs/architecture.md, Security).
# - rate-limit-by-key does not exist on the Consumption tier, so it is left out there.
#
# Cacheable reads (layouts, seat availability) should not go through APIM at the 500K QPS target
# (docs/architecture.md, Scale path): serve them from a CDN / Front Door and Web PubSub instead.

locals {
  apim_enabled = var.deploy_apim
  apim_count   = local.apim_enabled ? 1 : 0

  # rate-limit-by-key is not available on the Consumption tier.
  apim_rate_limit_enabled = !startswith(var.apim_sku, "Consumption")

  auth_openid_config_url = coalesce(
    var.auth_openid_config_url,
    "${trimsuffix(var.auth_issuer, "/")}/.well-known/openid-configuration",
  )

  apim_methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
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

resource "azurerm_api_management_api" "marquee" {
  count = local.apim_count

  name                  = "marquee"
  api_management_name   = azurerm_api_management.main[0].name
  resource_group_name   = azurerm_resource_group.main.name
  revision              = "1"
  display_name          = "Marquee"
  path                  = "api"
  protocols             = ["https"]
  subscription_required = false # callers are identified by their bearer token, not an APIM key
}

# Catch-all operations until the app publishes an OpenAPI document to import instead.
resource "azurerm_api_management_api_operation" "all" {
  for_each = local.apim_enabled ? toset(local.apim_methods) : toset([])

  operation_id        = "${lower(each.value)}-all"
  api_name            = azurerm_api_management_api.marquee[0].name
  api_management_name = azurerm_api_management.main[0].name
  resource_group_name = azurerm_resource_group.main.name
  display_name        = "${each.value} /*"
  method              = each.value
  url_template        = "/*"
}

resource "azurerm_api_management_api_policy" "marquee" {
  count = local.apim_count

  api_name            = azurerm_api_management_api.marquee[0].name
  api_management_name = azurerm_api_management.main[0].name
  resource_group_name = azurerm_resource_group.main.name

  xml_content = templatefile("${path.module}/policies/api-inbound.xml.tftpl", {
    openid_config_url    = local.auth_openid_config_url
    audience             = var.auth_audience
    issuer               = var.auth_issuer
    rate_limit_enabled   = local.apim_rate_limit_enabled
    user_per_second      = var.rate_limit_user_per_second
    anonymous_per_second = var.rate_limit_anonymous_per_second
    bookings_per_minute  = var.rate_limit_bookings_per_minute
    backend_id           = azurerm_api_management_backend.functions[0].name
  })
}
