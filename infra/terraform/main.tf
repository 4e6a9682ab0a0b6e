# Shared naming, tags and the resource group. Each other file makes one concern:
# identity.tf, monitoring.tf, storage.tf, cosmos.tf, servicebus.tf, webpubsub.tf, keyvault.tf,
# functionapp.tf, apim.tf.

data "azurerm_client_config" "current" {}

locals {
  name = "${var.name_prefix}-${var.environment}"

  # Globally unique names (storage, Cosmos DB, Key Vault, ...) get a short, stable suffix derived
  # from the subscription and the name, so two environments or subscriptions never collide and a
  # re-plan never renames anything.
  suffix = substr(sha1("${data.azurerm_client_config.current.subscription_id}/${local.name}"), 0, 6)

  tags = merge(var.tags, {
    app         = "marquee"
    environment = var.environment
    managed-by  = "terraform"
  })
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.name}"
  location = var.location
  tags     = local.tags
}
