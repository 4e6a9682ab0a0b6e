# The app's one identity. The Function App runs as this user-assigned managed identity and every
# connection it makes (Storage, Cosmos DB, Service Bus, Web PubSub, Key Vault) authenticates with
# it: no keys or connection strings anywhere. Role assignments live beside the resource they
# grant access to.

resource "azurerm_user_assigned_identity" "app" {
  name                = "id-${local.name}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}
