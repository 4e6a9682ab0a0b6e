# One policy per API operation (policies/operation.xml.tftpl), generated from the OpenAPI document
# API Management imports (openapi.json, apim.tf): each operation's x-marquee-access (anonymous,
# optional, signed-in or roles:<role,...>), x-marquee-cache-seconds (public catalog GETs: the
# handler's own Cache-Control max-age) and x-marquee-rate-limit (bookings). Adding a route to the
# app and re-exporting the document (npm run openapi:export) gives it its policy; nothing here
# names a route.

locals {
  openapi = jsondecode(file("${path.module}/openapi.json"))

  apim_operations = merge([
    for path, item in local.openapi.paths : {
      for method, op in item : op.operationId => {
        access         = startswith(op["x-marquee-access"], "roles:") ? "roles" : op["x-marquee-access"]
        roles          = startswith(op["x-marquee-access"], "roles:") ? split(",", trimprefix(op["x-marquee-access"], "roles:")) : []
        cache_seconds  = try(op["x-marquee-cache-seconds"], 0)
        bookings_limit = try(op["x-marquee-rate-limit"], "") == "bookings"
        query          = [for p in try(op.parameters, []) : p.name if p["in"] == "query"]
      }
    }
  ]...)

  # The built-in cache does not exist on the Consumption tier.
  apim_cache_enabled = !startswith(var.apim_sku, "Consumption")
}

resource "azurerm_api_management_api_operation_policy" "marquee" {
  for_each = local.apim_enabled ? local.apim_operations : {}

  api_name            = azurerm_api_management_api.marquee[0].name
  api_management_name = azurerm_api_management.main[0].name
  resource_group_name = azurerm_resource_group.main.name
  operation_id        = each.key

  xml_content = templatefile("${path.module}/policies/operation.xml.tftpl", {
    access               = each.value.access
    roles                = each.value.roles
    cache_enabled        = local.apim_cache_enabled
    cache_seconds        = each.value.cache_seconds
    query                = each.value.query
    bookings_limit       = each.value.bookings_limit
    openid_config_url    = local.auth_openid_config_url
    audience             = var.auth_audience
    issuer               = var.auth_issuer
    rate_limit_enabled   = local.apim_rate_limit_enabled
    user_per_second      = var.rate_limit_user_per_second
    anonymous_per_second = var.rate_limit_anonymous_per_second
    bookings_per_minute  = var.rate_limit_bookings_per_minute
  })
}
