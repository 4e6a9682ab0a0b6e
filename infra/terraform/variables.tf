# Inputs. Nothing here has a secret default: the three Key Vault secrets are required, ephemeral
# and sensitive, so they are neither committed nor written to state or plan files.

variable "subscription_id" {
  description = "Azure subscription to deploy into. Null uses ARM_SUBSCRIPTION_ID or the Azure CLI's current subscription."
  type        = string
  default     = null
}

variable "location" {
  description = "Azure region for every resource, and the single Cosmos DB write region."
  type        = string
  default     = "westeurope"
}

variable "name_prefix" {
  description = "Short lowercase prefix for resource names (2-8 letters or digits, starting with a letter)."
  type        = string
  default     = "marquee"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,7}$", var.name_prefix))
    error_message = "name_prefix must be 2-8 lowercase letters or digits and start with a letter (it ends up in globally unique names such as the Key Vault's, which allows 24 characters)."
  }
}

variable "environment" {
  description = "Environment name, e.g. dev, test, prod (2-6 lowercase letters or digits)."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z0-9]{2,6}$", var.environment))
    error_message = "environment must be 2-6 lowercase letters or digits."
  }
}

variable "tags" {
  description = "Tags added to every resource (app and environment tags are always added)."
  type        = map(string)
  default     = {}
}

# --- Function App (Flex Consumption) ---------------------------------------------------------

variable "function_instance_memory_mb" {
  description = "Flex Consumption instance memory: 512, 2048 or 4096 MB (0.25, 1 or 2 vCPU)."
  type        = number
  default     = 2048

  validation {
    condition     = contains([512, 2048, 4096], var.function_instance_memory_mb)
    error_message = "function_instance_memory_mb must be 512, 2048 or 4096."
  }
}

variable "function_maximum_instance_count" {
  description = "Upper bound on instances (40-1000). It also protects Cosmos DB and payments from a runaway scale-out. Default regional quota is 250 cores: 250 instances of 2 GB."
  type        = number
  default     = 100

  validation {
    condition     = var.function_maximum_instance_count >= 40 && var.function_maximum_instance_count <= 1000
    error_message = "function_maximum_instance_count must be between 40 and 1000."
  }
}

variable "function_http_concurrency" {
  description = "Concurrent HTTP requests per instance. Null keeps the platform default (16 for Node.js at 2048 MB)."
  type        = number
  default     = null
}

variable "function_always_ready_http" {
  description = "Always-ready instances for the `http` scale group (kept warm and billed at the baseline rate even when idle). 0 in dev is fine; production should keep at least the base load warm (cold starts take seconds)."
  type        = number
  default     = 1
}

variable "function_always_ready_durable" {
  description = "Always-ready instances for the `durable` scale group. Microsoft recommends 1 on Flex so the Azure Storage task hub's queues are always polled."
  type        = number
  default     = 1
}

variable "log_level" {
  description = "LOG_LEVEL app setting: debug, info, warn or error."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "storage_replication_type" {
  description = "Replication of the Functions / Durable task hub storage account (LRS, ZRS, GRS, ...). ZRS is the sensible production choice where the region has zones."
  type        = string
  default     = "LRS"
}

# --- Cosmos DB -------------------------------------------------------------------------------

variable "cosmos_autoscale_max_throughput" {
  description = "Autoscale maximum RU/s for each of the contended containers (inventory, bookings), which get dedicated throughput. Billed at >= 10% of this per hour, per region."
  type        = number
  default     = 4000

  validation {
    condition     = var.cosmos_autoscale_max_throughput >= 1000 && var.cosmos_autoscale_max_throughput % 1000 == 0
    error_message = "cosmos_autoscale_max_throughput must be a multiple of 1000, at least 1000."
  }
}

variable "cosmos_shared_autoscale_max_throughput" {
  description = "Autoscale maximum RU/s shared at database level by the other containers (catalog, movies, users, idempotency, payments, leases)."
  type        = number
  default     = 1000

  validation {
    condition     = var.cosmos_shared_autoscale_max_throughput >= 1000 && var.cosmos_shared_autoscale_max_throughput % 1000 == 0
    error_message = "cosmos_shared_autoscale_max_throughput must be a multiple of 1000, at least 1000."
  }
}

variable "cosmos_read_regions" {
  description = "Extra regions that hold read replicas, in failover order. Writes always stay in `location` (docs/architecture.md, Scale path). Each region bills the full provisioned RU/s again."
  type        = list(string)
  default     = []
}

variable "cosmos_zone_redundant" {
  description = "Spread the write region's replicas across availability zones (costs more RU/s; production choice where the region supports it)."
  type        = bool
  default     = false
}

# --- Service Bus -----------------------------------------------------------------------------

variable "servicebus_sku" {
  description = "Service Bus tier. Premium (dedicated messaging units, no per-operation charge) is the scale-path default; Standard is cheap for dev."
  type        = string
  default     = "Premium"

  validation {
    condition     = contains(["Standard", "Premium"], var.servicebus_sku)
    error_message = "servicebus_sku must be Standard or Premium (Basic has no topics)."
  }
}

variable "servicebus_capacity" {
  description = "Premium messaging units: 1, 2, 4, 8 or 16. Ignored for Standard."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2, 4, 8, 16], var.servicebus_capacity)
    error_message = "servicebus_capacity must be 1, 2, 4, 8 or 16."
  }
}

variable "servicebus_premium_partitions" {
  description = "Premium messaging partitions (1, 2 or 4). Fixed at namespace creation. Ignored for Standard."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2, 4], var.servicebus_premium_partitions)
    error_message = "servicebus_premium_partitions must be 1, 2 or 4."
  }
}

# --- Web PubSub ------------------------------------------------------------------------------

variable "webpubsub_capacity" {
  description = "Web PubSub Standard units (1,000 concurrent connections each; plan for <= 80% use)."
  type        = number
  default     = 1
}

# --- Key Vault -------------------------------------------------------------------------------

variable "key_vault_purge_protection" {
  description = "Enable purge protection on the vault (recommended for production; it cannot be turned off again)."
  type        = bool
  default     = false
}

variable "secrets_version" {
  description = "Bump this number to write new values of the three Key Vault secrets (they are write-only, so Terraform cannot see a change by itself)."
  type        = number
  default     = 1
}

variable "payments_base_url" {
  description = "PAYMENTS_BASE_URL: the payment provider's API base URL (https)."
  type        = string

  validation {
    condition     = startswith(var.payments_base_url, "https://")
    error_message = "payments_base_url must be an https:// URL."
  }
}

variable "reconcile_schedule" {
  description = "RECONCILE_SCHEDULE: NCRONTAB schedule of the booking reconciler (six fields, seconds first)."
  type        = string
  default     = "0 */1 * * * *"
}

variable "payments_api_key" {
  description = "Value of Key Vault secret PAYMENTS-API-KEY (payment provider API key)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "payments_webhook_secret" {
  description = "Value of Key Vault secret PAYMENTS-WEBHOOK-SECRET (verifies the provider's webhook signatures)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "ticket_signing_key" {
  description = "Value of Key Vault secret TICKET-SIGNING-KEY (signs issued tickets)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "waiting_room_signing_key" {
  description = "Value of Key Vault secret WAITING-ROOM-SIGNING-KEY (signs queue tickets and admission tokens; 32+ characters)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# --- Auth (Entra ID) -------------------------------------------------------------------------

variable "auth_issuer" {
  description = "JWT issuer (AUTH_ISSUER), e.g. https://login.microsoftonline.com/<tenant-id>/v2.0 for Entra ID v2 tokens."
  type        = string
}

variable "auth_audience" {
  description = "JWT audience (AUTH_AUDIENCE): the API app registration's application ID URI or client id, e.g. api://marquee."
  type        = string
}

variable "auth_jwks_url" {
  description = "JWKS URL (AUTH_JWKS_URL), e.g. https://login.microsoftonline.com/<tenant-id>/discovery/v2.0/keys."
  type        = string
}

variable "auth_openid_config_url" {
  description = "OpenID configuration URL for APIM's validate-jwt. Null derives <auth_issuer>/.well-known/openid-configuration (right for Entra ID v2 issuers)."
  type        = string
  default     = null
}

# --- API Management --------------------------------------------------------------------------

variable "deploy_apim" {
  description = "Deploy API Management in front of the Function App."
  type        = bool
  default     = false
}

variable "apim_sku" {
  description = "APIM SKU: Consumption_0 (pay per call, but no rate-limit-by-key) or StandardV2_<units>."
  type        = string
  default     = "StandardV2_1"

  validation {
    condition     = can(regex("^(Consumption_0|StandardV2_[0-9]+)$", var.apim_sku))
    error_message = "apim_sku must be Consumption_0 or StandardV2_<units>."
  }
}

variable "apim_publisher_name" {
  description = "APIM publisher (organisation) name."
  type        = string
  default     = "Marquee"
}

variable "apim_publisher_email" {
  description = "APIM publisher email (receives service notifications). Required when deploy_apim is true."
  type        = string
  default     = null

  validation {
    condition     = var.apim_publisher_email == null || can(regex("^[^@\\s]+@[^@\\s]+$", var.apim_publisher_email))
    error_message = "apim_publisher_email must be an email address."
  }
}

# Rate limits: the same numbers in the app (RATE_LIMIT_* settings, shared/http/rate-limit.ts, per
# instance) and in API Management's per-operation policies (policies/operation.xml.tftpl, shared by all
# instances).
variable "rate_limit_user_per_second" {
  description = "Requests per second allowed for one signed-in user (token subject)."
  type        = number
  default     = 1000
}

variable "rate_limit_anonymous_per_second" {
  description = "Requests per second allowed for one client IP without a bearer token (public reads, the payment webhook)."
  type        = number
  default     = 200
}

variable "waiting_room_joins_per_ip_per_minute" {
  description = "POST /api/shows/{showId}/queue per minute from one client address (the waiting room's bot brake)."
  type        = number
  default     = 30
}

variable "rate_limit_bookings_per_minute" {
  description = "POST /api/bookings per minute allowed for one signed-in user."
  type        = number
  default     = 30
}

variable "cors_allowed_origins" {
  description = "More origins the web client is served from (a custom domain), allowed by API Management's CORS policy besides the Front Door endpoint and the static website."
  type        = list(string)
  default     = []
}

# --- Edge and operations ---------------------------------------------------------------------

variable "deploy_front_door" {
  description = "Azure Front Door in front of the web client and the API (the read path's cache, and the only place the web client is served)."
  type        = bool
  default     = true
}

variable "front_door_sku" {
  description = "Front Door tier: Standard_AzureFrontDoor, or Premium_AzureFrontDoor for WAF managed rules and Private Link origins."
  type        = string
  default     = "Standard_AzureFrontDoor"

  validation {
    condition     = contains(["Standard_AzureFrontDoor", "Premium_AzureFrontDoor"], var.front_door_sku)
    error_message = "front_door_sku must be Standard_AzureFrontDoor or Premium_AzureFrontDoor."
  }
}

variable "alert_email" {
  description = "Where alerts go (refund failed, dead letters, 5xx rate, booking p99 over the SLA)."
  type        = string
}

# --- Notifications (communication.tf) ---------------------------------------------------------------

variable "communication_data_location" {
  description = "Where Communication Services keeps its data (e.g. India, Europe, United States)."
  type        = string
  default     = "India"
}

variable "sms_sender" {
  description = "The Communication Services phone number (E.164) SMS are sent from; buy it in the portal first."
  type        = string
  default     = "+18005550100"
}

variable "partner_webhook_ops_email" {
  description = "Mailbox told, besides the registering operator, when a partner webhook endpoint is disabled for failing; empty: only that operator."
  type        = string
  default     = ""
}

variable "notify_timezone" {
  description = "IANA time zone the show times in notifications are written in."
  type        = string
  default     = "Asia/Kolkata"
}

variable "web_push_subject" {
  description = "VAPID subject: a mailto: or https: contact for push services."
  type        = string
  default     = "mailto:ops@marquee.example"
}

variable "web_push_vapid_public_key" {
  description = "VAPID public key (base64url), the pair of web_push_vapid_private_key (npx web-push generate-vapid-keys)."
  type        = string
}

variable "web_push_vapid_private_key" {
  description = "Value of Key Vault secret web-push-vapid-private-key (VAPID private key, base64url)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "telemetry_sampling_ratio" {
  description = "Share of traces the app's OpenTelemetry keeps (0-1); the host's request telemetry is sampled by host.json."
  type        = number
  default     = 1

  validation {
    condition     = var.telemetry_sampling_ratio >= 0 && var.telemetry_sampling_ratio <= 1
    error_message = "telemetry_sampling_ratio must be between 0 and 1."
  }
}
