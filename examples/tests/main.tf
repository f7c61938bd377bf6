# A tenant whose rendered configuration is checked by `terraform test`
# (tenant.tftest.hcl) before anything is applied.

terraform {
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}

variable "tier" {
  description = "Subscription tier of the tenant."
  type        = string
  default     = "premium"
}

resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = var.tier
  regulations = ["GDPR"]

  overrides = {
    databases  = { postgresql = { resources = { cpu_cores = 6 } } }
    monitoring = { alerts = { storage_threshold = 90 } }
  }
}

output "config" {
  value = yamldecode(tenant_config.acme.rendered_yaml)
}
