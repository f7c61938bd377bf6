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

# The tenants' secrets, apart from their settings: set them in a *.tfvars file
# kept out of version control, or with TF_VAR_tenant_secrets, for example
#   TF_VAR_tenant_secrets='{"globex":{"sensitive_overrides":{"databases":{"postgresql":{"password":"..."}}}}}'
variable "tenant_secrets" {
  description = "Secrets of the tenants, by tenant id (see the module's sensitive_tenants)."
  type        = any
  default     = {}
  sensitive   = true
}

variable "globex_webhook_token" {
  description = "Token of Globex's alert webhook."
  type        = string
  default     = "example-token"
  sensitive   = true
}

module "fleet" {
  source = "../"

  tenants_file = "${path.module}/tenants.yaml"
  environment  = "production"

  # Secrets by tenant id, from sensitive variables: every value is shown as
  # (sensitive) in rendered_json, plans and messages.
  sensitive_tenants = merge(var.tenant_secrets, {
    globex = {
      sensitive_variables = { WEBHOOK_TOKEN = var.globex_webhook_token }
      sensitive_overrides = {
        monitoring = { alerts = { webhook_url = "https://hooks.example.com/services/$${WEBHOOK_TOKEN}" } }
      }
    }
  })

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
