# Notifications (docs/architecture.md, Notifications): Azure Communication Services sends email and
# SMS for the app, which signs in with its managed identity (ACS_ENDPOINT, no access key). Email goes
# from an Azure-managed domain; SMS needs a phone number bought in the portal (numbers cannot be
# bought through Terraform), named by var.sms_sender. The web push VAPID private key is a Key Vault
# secret that the app setting references, so it never sits in the plan or in state. The settings
# themselves are in functionapp.tf.

resource "azurerm_email_communication_service" "main" {
  name                = "ecs-${local.name}-${local.suffix}"
  resource_group_name = azurerm_resource_group.main.name
  data_location       = var.communication_data_location
  tags                = local.tags
}

resource "azurerm_email_communication_service_domain" "managed" {
  name              = "AzureManagedDomain"
  email_service_id  = azurerm_email_communication_service.main.id
  domain_management = "AzureManaged"
  tags              = local.tags
}

resource "azurerm_communication_service" "main" {
  name                = "acs-${local.name}-${local.suffix}"
  resource_group_name = azurerm_resource_group.main.name
  data_location       = var.communication_data_location
  tags                = local.tags
}

resource "azurerm_communication_service_email_domain_association" "managed" {
  communication_service_id = azurerm_communication_service.main.id
  email_service_domain_id  = azurerm_email_communication_service_domain.managed.id
}

# Sending email and SMS with Entra ID needs a data-plane role on the resource.
resource "azurerm_role_assignment" "app_communication" {
  scope                = azurerm_communication_service.main.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_key_vault_secret" "web_push_vapid_private_key" {
  name             = "web-push-vapid-private-key"
  key_vault_id     = azurerm_key_vault.main.id
  value_wo         = var.web_push_vapid_private_key
  value_wo_version = var.secrets_version
  content_type     = "text/plain"

  depends_on = [azurerm_role_assignment.deployer_kv_secrets_officer]
}
