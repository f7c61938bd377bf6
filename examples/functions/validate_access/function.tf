# Configuration using provider functions must include required_providers.
terraform {
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
  # Provider functions require Terraform 1.8 and later.
  required_version = ">= 1.8"
}

resource "tenant_config" "globex" {
  tenant_id   = "globex"
  tenant_name = "Globex Corporation"
  tier        = "premium"
}

resource "tenant_config" "initech" {
  tenant_id   = "initech"
  tenant_name = "Initech"
  tier        = "standard"
}

# {
#   allowed = true
#   reason  = "globex may write clickhouse through the role tenant_admin"
# }
output "globex_clickhouse_write" {
  value = provider::tenant::validate_access(tenant_config.globex.rendered_json, "clickhouse", "write")
}

# {
#   allowed = false
#   reason  = "clickhouse is not enabled for initech (tier standard)"
# }
output "initech_clickhouse_write" {
  value = provider::tenant::validate_access(tenant_config.initech.rendered_json, "clickhouse", "write")
}

# Stop the plan when a pipeline would need access the tenant does not have.
resource "terraform_data" "globex_analytics_export" {
  input = tenant_config.globex.isolation

  lifecycle {
    precondition {
      condition     = provider::tenant::validate_access(tenant_config.globex.rendered_json, "clickhouse", "write").allowed
      error_message = provider::tenant::validate_access(tenant_config.globex.rendered_json, "clickhouse", "write").reason
    }
  }
}
