# Terraform and provider versions. azurerm 4.78+ is needed for `local_authentication_enabled` on the
# Cosmos DB account (and brings `rbac_authorization_enabled` on Key Vault, `always_ready` /
# `http_concurrency` on the Flex Consumption app, write-only `value_wo` on Key Vault secrets);
# Terraform 1.11+ for write-only arguments and ephemeral variables.
terraform {
  required_version = ">= 1.11.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.78"
    }
  }

  # State holds resource ids and endpoints, not the Key Vault secret values (they are write-only).
  # Use a remote backend for anything shared, e.g. (fill in and uncomment):
  # backend "azurerm" {
  #   resource_group_name  = "rg-tfstate"
  #   storage_account_name = "sttfstate<unique>"
  #   container_name       = "tfstate"
  #   key                  = "marquee/<environment>.tfstate"
  #   use_azuread_auth     = true
  # }
}

provider "azurerm" {
  # Null falls back to ARM_SUBSCRIPTION_ID / the Azure CLI's current subscription.
  subscription_id = var.subscription_id

  # The storage account has shared keys disabled, so the provider must use Entra ID for any
  # data-plane call it makes on it.
  storage_use_azuread = true

  features {
    key_vault {
      # Keep soft-deleted secrets recoverable after `terraform destroy`.
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}
