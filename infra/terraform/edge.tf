# The read path at the edge (docs/architecture.md, Scale path): the web client as a static website,
# and Azure Front Door in front of it and of the API. Front Door caches what the app marks
# cacheable — immutable layouts, the public catalog GETs — by honouring the API's own Cache-Control
# (the routes' cache blocks do not override it), so the 500K reads/s of the target are answered at
# the edge and never reach API Management or the Function App. Seat availability is pushed over
# Web PubSub, not polled. Personal routes answer `Cache-Control: private`/`no-store` and pass through.

locals {
  front_door_enabled = var.deploy_front_door
  front_door_count   = local.front_door_enabled ? 1 : 0
  # The API origin: the APIM gateway when deployed (it validates tokens and rate-limits), else the app.
  api_origin_host = (local.apim_enabled
    ? trimprefix(azurerm_api_management.main[0].gateway_url, "https://")
  : azurerm_function_app_flex_consumption.main.default_hostname)
}

# The built client (web/dist) is uploaded to the `$web` container by the deploy workflow with the
# deployer's Entra ID (shared keys are off here too).
resource "azurerm_storage_account" "web" {
  name                            = substr("stweb${var.name_prefix}${var.environment}${local.suffix}", 0, 24)
  location                        = azurerm_resource_group.main.location
  resource_group_name             = azurerm_resource_group.main.name
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  allow_nested_items_to_be_public = false
  tags                            = local.tags
}

resource "azurerm_storage_account_static_website" "web" {
  storage_account_id = azurerm_storage_account.web.id
  index_document     = "index.html"
  # Without Front Door (which rewrites client routes to the shell, below), an unknown path still gets
  # the app shell, which shows its own not-found page.
  error_404_document = "index.html"
}

resource "azurerm_role_assignment" "deployer_web_content" {
  scope                = azurerm_storage_account.web.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_cdn_frontdoor_profile" "main" {
  count = local.front_door_count

  name                     = "afd-${local.name}"
  resource_group_name      = azurerm_resource_group.main.name
  sku_name                 = var.front_door_sku
  response_timeout_seconds = 30
  tags                     = local.tags
}

resource "azurerm_cdn_frontdoor_endpoint" "main" {
  count = local.front_door_count

  name                     = "marquee-${local.name}-${local.suffix}"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main[0].id
  tags                     = local.tags
}

resource "azurerm_cdn_frontdoor_origin_group" "web" {
  count = local.front_door_count

  name                     = "web"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main[0].id
  load_balancing {}
}

resource "azurerm_cdn_frontdoor_origin" "web" {
  count = local.front_door_count

  name                           = "static-website"
  cdn_frontdoor_origin_group_id  = azurerm_cdn_frontdoor_origin_group.web[0].id
  host_name                      = azurerm_storage_account.web.primary_web_host
  origin_host_header             = azurerm_storage_account.web.primary_web_host
  certificate_name_check_enabled = true
}

resource "azurerm_cdn_frontdoor_origin_group" "api" {
  count = local.front_door_count

  name                     = "api"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main[0].id
  load_balancing {}

  health_probe {
    protocol            = "Https"
    path                = "/api/health"
    request_type        = "GET"
    interval_in_seconds = 60
  }
}

resource "azurerm_cdn_frontdoor_origin" "api" {
  count = local.front_door_count

  name                           = "api"
  cdn_frontdoor_origin_group_id  = azurerm_cdn_frontdoor_origin_group.api[0].id
  host_name                      = local.api_origin_host
  origin_host_header             = local.api_origin_host
  certificate_name_check_enabled = true
}

resource "azurerm_cdn_frontdoor_route" "api" {
  count = local.front_door_count

  name                          = "api"
  cdn_frontdoor_endpoint_id     = azurerm_cdn_frontdoor_endpoint.main[0].id
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.api[0].id
  cdn_frontdoor_origin_ids      = [azurerm_cdn_frontdoor_origin.api[0].id]
  patterns_to_match             = ["/api/*"]
  supported_protocols           = ["Https"]
  forwarding_protocol           = "HttpsOnly"
  https_redirect_enabled        = false

  # Cached only where the response says so (Cache-Control: public, max-age / s-maxage): layouts and the
  # catalog; every query string is part of the key (search filters, cursors).
  cache {
    query_string_caching_behavior = "UseQueryString"
    compression_enabled           = true
    content_types_to_compress     = ["application/json", "application/problem+json"]
  }
}

resource "azurerm_cdn_frontdoor_route" "web" {
  count = local.front_door_count

  name                          = "web"
  cdn_frontdoor_endpoint_id     = azurerm_cdn_frontdoor_endpoint.main[0].id
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.web[0].id
  cdn_frontdoor_origin_ids      = [azurerm_cdn_frontdoor_origin.web[0].id]
  cdn_frontdoor_rule_set_ids    = [azurerm_cdn_frontdoor_rule_set.web[0].id]
  patterns_to_match             = ["/*"]
  supported_protocols           = ["Http", "Https"]
  forwarding_protocol           = "HttpsOnly"
  https_redirect_enabled        = true

  # Hashed asset names (Vite) make the assets immutable; index.html is revalidated by its own headers.
  cache {
    query_string_caching_behavior = "IgnoreQueryString"
    compression_enabled           = true
    content_types_to_compress     = ["text/html", "text/css", "application/javascript", "image/svg+xml"]
  }
}

# The web client's own headers at the edge: the security headers of web/public/staticwebapp.config.json
# (the one list; the local host serves the same file's headers), and client-side routes (a path without
# a file extension) answered with the app shell rather than the static website's 404.
locals {
  web_headers = lookup(jsondecode(file("${path.module}/../../web/public/staticwebapp.config.json")), "globalHeaders", {})
  # Front Door allows five actions per rule.
  web_header_chunks = chunklist([for name, value in local.web_headers : { name = name, value = value }], 5)
}

resource "azurerm_cdn_frontdoor_rule_set" "web" {
  count = local.front_door_count

  name                     = "web"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main[0].id
}

resource "azurerm_cdn_frontdoor_rule" "web_headers" {
  count = local.front_door_enabled ? length(local.web_header_chunks) : 0

  name                      = "securityheaders${count.index}"
  cdn_frontdoor_rule_set_id = azurerm_cdn_frontdoor_rule_set.web[0].id
  order                     = count.index + 1
  behavior_on_match         = "Continue"

  actions {
    dynamic "response_header_action" {
      for_each = local.web_header_chunks[count.index]
      content {
        header_action = "Overwrite"
        header_name   = response_header_action.value.name
        value         = response_header_action.value.value
      }
    }
  }
}

resource "azurerm_cdn_frontdoor_rule" "web_app_shell" {
  count = local.front_door_count

  name                      = "appshell"
  cdn_frontdoor_rule_set_id = azurerm_cdn_frontdoor_rule_set.web[0].id
  order                     = 100
  behavior_on_match         = "Continue"

  conditions {
    url_file_extension_condition {
      operator         = "Any"
      negate_condition = true
      match_values     = []
    }
  }

  actions {
    url_rewrite_action {
      source_pattern          = "/"
      destination             = "/index.html"
      preserve_unmatched_path = false
    }
  }
}
