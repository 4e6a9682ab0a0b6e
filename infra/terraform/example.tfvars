# Copy to <env>.tfvars (git-ignored by convention: keep real values out of the repo) and fill in.
# The three secrets are NOT set here: pass them as environment variables at plan/apply time,
#   export TF_VAR_payments_api_key=...  TF_VAR_payments_webhook_secret=...  TF_VAR_ticket_signing_key=...  TF_VAR_waiting_room_signing_key=...
#   and TF_VAR_web_push_vapid_private_key=... (its public half is web_push_vapid_public_key below).

# subscription_id = "00000000-0000-0000-0000-000000000000"
location    = "westeurope"
name_prefix = "marquee"
environment = "dev"

tags = {
  owner = "platform-team"
}

# Entra ID app registration of the Marquee API.
auth_issuer   = "https://login.microsoftonline.com/<tenant-id>/v2.0"
auth_audience = "api://marquee"
auth_jwks_url = "https://login.microsoftonline.com/<tenant-id>/discovery/v2.0/keys"

# The payment provider's API (its key and webhook secret are Key Vault secrets, see above).
payments_base_url = "https://api.payments.example.com/v1"

# Function App (Flex Consumption)
function_instance_memory_mb     = 2048
function_maximum_instance_count = 100
function_always_ready_http      = 1
function_always_ready_durable   = 1

# Cosmos DB: writes stay in `location`; read_regions add read replicas.
cosmos_autoscale_max_throughput        = 4000
cosmos_shared_autoscale_max_throughput = 1000
cosmos_read_regions                    = []
# cosmos_read_regions                  = ["northeurope"]

# Service Bus: Premium for the scale path; "Standard" keeps dev cheap.
servicebus_sku      = "Premium"
servicebus_capacity = 1

webpubsub_capacity = 1

# API Management (optional)
deploy_apim          = false
apim_sku             = "StandardV2_1"
apim_publisher_email = "platform@example.com"

# Edge: Front Door serves the web client and caches the public reads (edge.tf).
deploy_front_door = true

# Where alerts go (alerts.tf).
alert_email = "oncall@example.com"
# Notifications (communication.tf): the SMS number bought in the portal, the VAPID public key.
sms_sender                = "+18005550100"
# Generate your own pair (npx web-push generate-vapid-keys); the private key goes to Key Vault.
web_push_vapid_public_key = "BEAh2t2VLG3iQ5pd3uZ_b9ovnPGPwlzfgZhUNTEh2G9vWE-EEy-sfUnAGmM5qssOJRmGIw_uZnTmx2eVR6D4HcM"
