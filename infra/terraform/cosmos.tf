# Cosmos DB for NoSQL: account, database `marquee`, the containers of
# shared/adapters/cosmos/client.ts CONTAINERS (same names and partition keys) and `leases` for the
# change-feed trigger on `inventory`.
#
# One write region, on purpose (docs/architecture.md, Scale path). Holding and confirming seats is an ETag-guarded
# replace of one inventory section. With multi-region writes, two regions could each accept a
# replace against the same ETag and Cosmos DB would settle the conflict by last-writer-wins, so
# a seat could be sold twice. Inventory and bookings are therefore written in `location` only and
# read everywhere; `cosmos_read_regions` adds read replicas and failover targets.
#
# Local (key) auth is off: the app reaches the data plane only through its managed identity and
# the built-in Data Contributor role. That role cannot create databases or containers, so every
# container the app uses must be declared here (the app's ensureSchema() then only finds them).

locals {
  # Every container of CONTAINERS in shared/adapters/cosmos/client.ts (test/deploy checks it).
  # dedicated = own autoscale throughput (the contended, write-heavy containers);
  # the rest share the database's autoscale throughput.
  cosmos_containers = {
    catalog     = { partition_key = "/city", dedicated = false }
    movies      = { partition_key = "/id", dedicated = false }
    inventory   = { partition_key = "/showId", dedicated = true }
    bookings    = { partition_key = "/userId", dedicated = true }
    users       = { partition_key = "/id", dedicated = false }
    idempotency = { partition_key = "/userId", dedicated = false }
    payments    = { partition_key = "/bookingId", dedicated = false }
    layouts     = { partition_key = "/id", dedicated = false }
    tickets     = { partition_key = "/showId", dedicated = false }
    # Partner webhooks: endpoints, the delivery log (documents expire after 30 days), and the
    # local signing-secret store, which stays empty here (Azure keeps the secrets in Key Vault).
    partner-endpoints  = { partition_key = "/id", dedicated = false }
    partner-deliveries = { partition_key = "/endpointId", dedicated = false, default_ttl = 2592000 }
    partner-secrets    = { partition_key = "/id", dedicated = false }
    # Notification deliveries, the in-app inbox and push subscriptions (per user).
    notifications = { partition_key = "/userId", dedicated = false }
    # Payment id → the one booking it settles (created once).
    settlements = { partition_key = "/id", dedicated = false }
    # Recommendations: one signals document per user; a city's trending shards and each title's
    # co-booking counts (docs/architecture.md, Recommendations).
    recommendations           = { partition_key = "/userId", dedicated = false }
    recommendation-aggregates = { partition_key = "/key", dedicated = false }
    # The waiting room of hot on-sales: per show its switch, the admission cursor and the queue
    # entries; own throughput, as a mega on-sale's joins are its write burst (docs/capacity.md).
    waiting-room = { partition_key = "/showId", dedicated = true }
    # Lease store of the cosmosDBTrigger (the Functions extension requires /id).
    leases = { partition_key = "/id", dedicated = false }
  }
}

resource "azurerm_cosmosdb_account" "main" {
  name                = "cosmos-${local.name}-${local.suffix}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  offer_type          = "Standard"
  kind                = "GlobalDocumentDB"

  consistency_policy {
    # Session: read-your-own-writes for a user's requests at the price of a 1 RU point read
    # (strong and bounded staleness double read cost). Seat safety comes from ETags, not from
    # the consistency level.
    consistency_level = "Session"
  }

  # The single write region.
  geo_location {
    location          = azurerm_resource_group.main.location
    failover_priority = 0
    zone_redundant    = var.cosmos_zone_redundant
  }

  # Read replicas and failover targets, in the order given.
  dynamic "geo_location" {
    for_each = var.cosmos_read_regions
    content {
      location          = geo_location.value
      failover_priority = geo_location.key + 1
    }
  }

  multiple_write_locations_enabled = false
  automatic_failover_enabled       = length(var.cosmos_read_regions) > 0
  local_authentication_enabled     = false
  minimal_tls_version              = "Tls12"

  tags = local.tags
}

resource "azurerm_cosmosdb_sql_database" "marquee" {
  name                = "marquee"
  resource_group_name = azurerm_resource_group.main.name
  account_name        = azurerm_cosmosdb_account.main.name

  # Shared by every container without dedicated throughput.
  autoscale_settings {
    max_throughput = var.cosmos_shared_autoscale_max_throughput
  }
}

resource "azurerm_cosmosdb_sql_container" "containers" {
  for_each = local.cosmos_containers

  name                = each.key
  resource_group_name = azurerm_resource_group.main.name
  account_name        = azurerm_cosmosdb_account.main.name
  database_name       = azurerm_cosmosdb_sql_database.marquee.name

  partition_key_paths   = [each.value.partition_key]
  partition_key_version = 2
  default_ttl           = lookup(each.value, "default_ttl", null)

  # Moving a container between shared and dedicated throughput means recreating it.
  dynamic "autoscale_settings" {
    for_each = each.value.dedicated ? [1] : []
    content {
      max_throughput = var.cosmos_autoscale_max_throughput
    }
  }

  # Inventory sections are large (one document per up to 1,000 seats) and replaced on every hold,
  # so indexing every seat property would multiply the RU cost of each write. They are read by
  # point reads, by showId, and by the hold sweeper (holdExpiry < cutoff), so only those two
  # scalars are indexed; a new inventory query on another field must add its path here. The
  # other containers keep the default index-everything policy.
  dynamic "indexing_policy" {
    for_each = each.key == "inventory" ? [1] : []
    content {
      indexing_mode = "consistent"

      included_path {
        path = "/showId/?"
      }

      included_path {
        path = "/holdExpiry/?"
      }

      excluded_path {
        path = "/*"
      }
    }
  }
}

# Built-in "Cosmos DB Built-in Data Contributor" (data plane: read/write items, read metadata,
# change feed) for the app identity, on the whole account. This is a Cosmos DB SQL role
# assignment, not an Azure RBAC one.
resource "azurerm_cosmosdb_sql_role_assignment" "app_data_contributor" {
  resource_group_name = azurerm_resource_group.main.name
  account_name        = azurerm_cosmosdb_account.main.name
  role_definition_id  = "${azurerm_cosmosdb_account.main.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002"
  principal_id        = azurerm_user_assigned_identity.app.principal_id
  scope               = azurerm_cosmosdb_account.main.id
}
