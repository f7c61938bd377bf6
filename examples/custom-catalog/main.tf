# A custom tier catalog: the built-in tiers plus the startup tier of
# tiers/startup.yml.

terraform {
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}

provider "tenant" {
  # Inside the configuration, so that remote runs find it.
  templates_dir = "${path.module}/tiers"
}

data "tenant_tiers" "all" {}

resource "tenant_config" "hooli" {
  tenant_id   = "hooli"
  tenant_name = "Hooli"
  tier        = "startup"

  # startup.yml uses ${SUPPORT_CHANNEL}, a variable every tenant must define.
  variables = {
    SUPPORT_CHANNEL = "slack"
  }
}

output "tiers" {
  # ["free", "standard", "startup", "premium", "enterprise"]
  value = data.tenant_tiers.all.names
}

output "hooli_limits" {
  value = tenant_config.hooli.limits
}
