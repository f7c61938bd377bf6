# Calls the tenant-fleet module with the tenants of tenants.yaml and one more
# tenant given in HCL.

terraform {
  required_version = ">= 1.8"

  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}

provider "tenant" {
  default_region = "us-east-1"
}

module "fleet" {
  source = "../"

  tenants_file = "${path.module}/tenants.yaml"
  environment  = "production"

  tenants = {
    stark = {
      name = "Stark Industries"
      tier = "premium"
      overrides = {
        # In HCL a placeholder is written $${...}.
        custom = { owner = "team-$${TENANT_ID}" }
      }
    }
  }
}

output "checksums" {
  value = module.fleet.checksums
}

output "limits" {
  value = module.fleet.limits
}

output "clickhouse_write" {
  value = module.fleet.clickhouse_write
}

# Follow a tenant's configuration: replaced whenever it changes.
resource "terraform_data" "globex_rollout" {
  triggers_replace = module.fleet.checksums["globex"]
}
