# Service Bus namespace, the booking-events topic and the show-events topic. The saga publishes booking.* events to the
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

  # No duplicate detection: it keys on MessageId, and the Functions serviceBus output binding the app
  # publishes through sends only the body, so every send gets a new MessageId and detection would never
  # fire. Each event carries a deterministic id instead (shared/booking/events.ts) and every consumer
  # de-duplicates on it (docs/architecture.md, Events).
  requires_duplicate_detection = false

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

# Operator actions on shows (show.cancelled, published by functions/ops-shows.ts). Same rules as
# booking-events: no duplicate detection, the event id is deterministic and consumers check it
# against the stored show. show-cancellations: functions/show-cancellations.ts starts the fan-out.
resource "azurerm_servicebus_topic" "show_events" {
  name                         = "show-events"
  namespace_id                 = azurerm_servicebus_namespace.main.id
  requires_duplicate_detection = false
  default_message_ttl          = "P14D"
}

locals {
  show_event_subscriptions = ["show-cancellations"]
}

resource "azurerm_servicebus_subscription" "show_events" {
  for_each = toset(local.show_event_subscriptions)

  name                                 = each.value
  topic_id                             = azurerm_servicebus_topic.show_events.id
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
