# Quickstart: four tenants, one per tier. `make demo` plans and applies this
# configuration, then migrates the free tenant to the standard tier in place.

terraform {
  required_version = ">= 1.8"
  required_providers {
    tenant = {
      source = "tenantry/tenant"
    }
  }
}

provider "tenant" {
  default_region = "eu-west-1"
}

variable "initech_tier" {
  description = "Tier of the Initech tenant: the demo migrates it from free to standard."
  type        = string
  default     = "free"
}

resource "tenant_config" "initech" {
  tenant_id   = "initech"
  tenant_name = "Initech"
  tier        = var.initech_tier
}

resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "standard"
  environment = "staging"
}

resource "tenant_config" "globex" {
  tenant_id   = "globex"
  tenant_name = "Globex Corporation"
  tier        = "premium"
  timezone    = "America/New_York"
  regulations = ["GDPR", "HIPAA"]

  overrides = {
    databases = {
      postgresql = {
        resources  = { cpu_cores = 6, storage_gb = 500 }
        extensions = ["pgcrypto", "pg_stat_statements"]
      }
      elasticsearch = { enabled = false }
    }
    monitoring = {
      alerts = { storage_threshold = 90 }
    }
    compliance = {
      gdpr = { dpo_contact = "privacy@globex.example" }
    }
    custom = {
      cost_center = "cc-4711"
      owner       = "team $${TENANT_ID}-platform"
    }
  }
}

resource "tenant_config" "umbrella" {
  tenant_id   = "umbrella"
  tenant_name = "Umbrella Corporation"
  tier        = "enterprise"
  region      = "us-east-1"
  regulations = ["GDPR", "SOX", "HIPAA", "PCI-DSS"]
}

output "globex_rendered_json" {
  description = "The premium tenant's rendered configuration as canonical JSON, as state holds it."
  value       = tenant_config.globex.rendered_json
}

output "globex_config" {
  description = "The full rendered configuration of the premium tenant, decoded from its canonical JSON."
  value       = jsondecode(tenant_config.globex.rendered_json)
}

output "tenants" {
  description = "Tier, limits and checksum of every tenant."
  value = {
    for t in [tenant_config.initech, tenant_config.acme, tenant_config.globex, tenant_config.umbrella] :
    t.tenant_id => {
      tier      = t.tier
      max_users = t.limits.max_users
      checksum  = t.checksum
      engines   = sort([for name, db in t.databases : name if db.enabled])
    }
  }
}

output "clickhouse_write" {
  description = "May each tenant write to ClickHouse?"
  value = {
    for t in [tenant_config.initech, tenant_config.acme, tenant_config.globex, tenant_config.umbrella] :
    t.tenant_id => provider::tenant::validate_access(t.rendered_json, "clickhouse", "write")
  }
}

output "globex_postgresql_sql" {
  description = "The premium tenant's PostgreSQL provisioning script, from the provisioning function."
  value       = provider::tenant::provisioning(tenant_config.globex.rendered_json).postgresql
}

output "globex_redis_acl" {
  description = "The premium tenant's Redis ACL lines, from the provisioning function."
  value       = provider::tenant::provisioning(tenant_config.globex.rendered_json).redis_acl
}
