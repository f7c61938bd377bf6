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
  value = jsondecode(tenant_config.acme.rendered_json)
}

# What validate_access answers, as an output: the tests assert on it rather
# than calling the provider function inside an assert, which crashes
# OpenTofu's `tofu test` (a nil provider in its test context; reported as
# opentofu/opentofu#1600, whose fix, opentofu/opentofu#1601, was partial).
output "clickhouse_write" {
  value = provider::tenant::validate_access(tenant_config.acme.rendered_json, "clickhouse", "write")
}
