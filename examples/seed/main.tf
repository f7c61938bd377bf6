# The examples of the product's original design document, as tenant_config
# resources: its free tenant, its enterprise tenant with four regulations, its
# advanced tenant with custom overrides (advanced_corp_001.yaml, the design's
# custom_overrides as written) and its migration of the free tenant to the
# standard tier (see README.md).

terraform {
  required_version = ">= 1.8"
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}

provider "tenant" {}

variable "demo_free_tier" {
  description = "Tier of demo_free_001. The design's migration is `terraform apply -var demo_free_tier=standard`: an in-place update."
  type        = string
  default     = "free"
}

# manager.create_tenant_configuration(tenant_id="demo_free_001",
#   tenant_name="Demo Free User", tenant_type=TenantTier.FREE, environment="production")
resource "tenant_config" "demo_free_001" {
  tenant_id   = "demo_free_001"
  tenant_name = "Demo Free User"
  tier        = var.demo_free_tier
  environment = "production"
}

# manager.create_tenant_configuration(tenant_id="corp_enterprise_001", ...,
#   region="us-west-2", custom_overrides={"compliance": {"regulations": [...]}})
resource "tenant_config" "corp_enterprise_001" {
  tenant_id   = "corp_enterprise_001"
  tenant_name = "Enterprise Corp"
  tier        = "enterprise"
  environment = "production"
  region      = "us-west-2"

  overrides = {
    compliance = {
      regulations = ["GDPR", "SOX", "HIPAA", "PCI-DSS"]
    }
  }
}

# manager.create_tenant_configuration(tenant_id="advanced_corp_001", ...,
#   custom_overrides={...}): the overrides are the design's YAML, read as written.
resource "tenant_config" "advanced_corp_001" {
  tenant_id   = "advanced_corp_001"
  tenant_name = "Advanced Corporation"
  tier        = "enterprise"
  environment = "production"
  overrides   = yamldecode(file("${path.module}/advanced_corp_001.yaml"))
}

# The design's troubleshooting example: may the tenant write to ClickHouse?
output "demo_free_001_clickhouse_write" {
  value = provider::tenant::validate_access(tenant_config.demo_free_001.rendered_json, "clickhouse", "write")
}

output "advanced_corp_001_postgresql" {
  value = jsondecode(tenant_config.advanced_corp_001.rendered_json).databases.postgresql
}
