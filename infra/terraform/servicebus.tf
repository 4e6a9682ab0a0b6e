# Service Bus namespace and the booking-events topic. The saga publishes booking.* events to the
# topic; each consumer reads its own subscription. Settings match host.json (maxDeliveryCount 10)
# and the local host's emulation (peek-lock, 30 s lock, dead-letter queue).

resource "azurerm_servicebus_namespace" "main" {
  name                = "sb-${local.name}-${local.suffix}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = var.servicebus_sku

  # Messaging units and partitions exist only on Premium (Standard must say 0).
  capacity                     = var.servicebus_sku == "Premium" ? var.servicebus_capacity : 0
  premium_messaging_partitions = var.servicebus_sku == "Premium" ? var.servicebus_premium_partitions : 0

  local_auth_enabled  = false # identity only: no SAS keys
  minimum_tls_version = "1.2"
  tags                = local.tags
}

resource "azurerm_servicebus_topic" "booking_events" {
  name         = "booking-events"
  namespace_id = azurerm_servicebus_namespace.main.id

  # Events carry deterministic ids; with the id as MessageId, Service Bus drops a re-publish
  # within the window (consumers still de-duplicate; docs/architecture.md, Events).
  requires_duplicate_detection            = true
  duplicate_detection_history_time_window = "PT10M"

  # An event nobody consumed in two weeks is dead-lettered (see the subscriptions) rather than
  # kept forever.
  default_message_ttl = "P14D"
}

locals {
  # One subscription per serviceBusTopic trigger on the topic (test/deploy checks the app's registrations
  # against this list). realtime-status: functions/booking-status-push.ts.
  booking_event_subscriptions = ["notifications", "partner-webhooks", "realtime-status", "recommendations"]
}

resource "azurerm_servicebus_subscription" "booking_events" {
  for_each = toset(local.booking_event_subscriptions)

  name                                 = each.value
  topic_id                             = azurerm_servicebus_topic.booking_events.id
  max_delivery_count                   = 10
  lock_duration                        = "PT30S"
  dead_lettering_on_message_expiration = true
}

resource "azurerm_role_assignment" "app_servicebus" {
  for_each = toset(["Azure Service Bus Data Sender", "Azure Service Bus Data Receiver"])

  scope                = azurerm_servicebus_namespace.main.id
  role_definition_name = each.value
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}
