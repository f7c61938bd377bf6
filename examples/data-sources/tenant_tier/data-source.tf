data "tenant_tier" "premium" {
  name = "premium"
}

# Ceilings of one engine on the tier: a tenant may go up to 10 % above them.
output "premium_postgresql_ceiling" {
  value = data.tenant_tier.premium.databases["postgresql"]
}

# Engines the tier offers.
output "premium_engines" {
  value = keys(data.tenant_tier.premium.databases)
}

# Regulations a premium tenant may claim, and what the tier requires.
output "premium_compliance" {
  value = {
    regulations         = data.tenant_tier.premium.regulations
    encryption_required = data.tenant_tier.premium.encryption_required
    audit_required      = data.tenant_tier.premium.audit_required
  }
}

# Check a request against the tier's ceiling, without the 10 % tolerance,
# before the tenant is planned.
variable "requested_storage_gb" {
  type    = number
  default = 250
}

resource "tenant_config" "globex" {
  tenant_id   = "globex"
  tenant_name = "Globex Corporation"
  tier        = data.tenant_tier.premium.name

  overrides = {
    databases = {
      postgresql = { resources = { storage_gb = var.requested_storage_gb } }
    }
  }

  lifecycle {
    precondition {
      condition     = var.requested_storage_gb <= data.tenant_tier.premium.databases["postgresql"].storage_gb
      error_message = "The premium tier allows ${data.tenant_tier.premium.databases["postgresql"].storage_gb} GB of PostgreSQL storage."
    }
  }
}
