# Web PubSub for live seat maps and booking status (docs/architecture.md, Realtime). The app sends seat diffs to
# a group per show and mints client access URLs in GET /api/realtime/negotiate; both are server
# SDK calls over Entra ID, so the service needs no event handler and no access keys.

resource "azurerm_web_pubsub" "main" {
  name                = "wps-${local.name}-${local.suffix}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard_S1"
  capacity            = var.webpubsub_capacity

  local_auth_enabled = false # no access keys; Entra ID only
  aad_auth_enabled   = true

  tags = local.tags
}

resource "azurerm_web_pubsub_hub" "marquee" {
  name                          = "marquee"
  web_pubsub_id                 = azurerm_web_pubsub.main.id
  anonymous_connections_enabled = false
}

# Send to groups/users and generate client tokens.
resource "azurerm_role_assignment" "app_webpubsub" {
  scope                = azurerm_web_pubsub.main.id
  role_definition_name = "Web PubSub Service Owner"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}
