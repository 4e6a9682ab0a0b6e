# Alerts and the operations workbook over Application Insights (docs/architecture.md, Deployment
# contract): the conditions an operator must act on. Every alert notifies one action group.

resource "azurerm_monitor_action_group" "operators" {
  name                = "ag-${local.name}"
  resource_group_name = azurerm_resource_group.main.name
  short_name          = "marquee"
  tags                = local.tags

  email_receiver {
    name                    = "operators"
    email_address           = var.alert_email
    use_common_alert_schema = true
  }
}

locals {
  # Log search alerts over the workspace-based Application Insights tables.
  log_alerts = {
    refund-failed = {
      description = "A cancellation ended refund_failed: a customer is owed money until an operator retries the refund."
      severity    = 1
      query       = "AppTraces | where Message has 'refund_failed' | summarize AggregatedValue = count() by bin(TimeGenerated, 5m)"
      threshold   = 0
    }
    http-5xx-rate = {
      description = "More than 1 % of API requests answered 5xx over 5 minutes."
      severity    = 2
      query       = "AppRequests | summarize AggregatedValue = 100.0 * countif(toint(ResultCode) >= 500) / count() by bin(TimeGenerated, 5m)"
      threshold   = 1
    }
    booking-p99-over-sla = {
      description = "POST /api/bookings p99 above the 500 ms write SLA over 5 minutes."
      severity    = 2
      query       = "AppRequests | where Name has 'bookings' and Name has 'POST' | summarize AggregatedValue = percentile(DurationMs, 99) by bin(TimeGenerated, 5m)"
      threshold   = 500
    }
  }
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "log" {
  for_each = local.log_alerts

  name                 = "alert-${each.key}-${local.name}"
  resource_group_name  = azurerm_resource_group.main.name
  location             = azurerm_resource_group.main.location
  description          = each.value.description
  severity             = each.value.severity
  scopes               = [azurerm_log_analytics_workspace.main.id]
  evaluation_frequency = "PT5M"
  window_duration      = "PT5M"
  tags                 = local.tags

  criteria {
    query                   = each.value.query
    time_aggregation_method = "Maximum"
    metric_measure_column   = "AggregatedValue"
    operator                = "GreaterThan"
    threshold               = each.value.threshold

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.operators.id]
  }
}

# A message on a dead-letter queue is a booking event some consumer gave up on.
resource "azurerm_monitor_metric_alert" "dead_letters" {
  name                = "alert-dead-letters-${local.name}"
  resource_group_name = azurerm_resource_group.main.name
  scopes              = [azurerm_servicebus_namespace.main.id]
  description         = "Booking events on a dead-letter queue (a consumer gave up after maxDeliveryCount)."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = local.tags

  criteria {
    metric_namespace = "Microsoft.ServiceBus/namespaces"
    metric_name      = "DeadletteredMessages"
    aggregation      = "Maximum"
    operator         = "GreaterThan"
    threshold        = 0
  }

  action {
    action_group_id = azurerm_monitor_action_group.operators.id
  }
}

resource "azurerm_application_insights_workbook" "operations" {
  name                = "7d2a6a8e-3c1b-4f0e-9a55-6d1f2c8b9e01" # a workbook's name is a GUID
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  display_name        = "Marquee operations"
  source_id           = lower(azurerm_application_insights.main.id)
  tags                = local.tags
  data_json           = file("${path.module}/workbooks/operations.json")
}
