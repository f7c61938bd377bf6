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

# The provisioning artifacts of the tenant, derived from its rendered
# configuration: an object with postgresql, postgresql_teardown, redis_acl,
# mongodb, clickhouse and elasticsearch, each null when the tenant's tier
# does not enable that engine. Known at plan time with the configuration.
locals {
  globex = provider::tenant::provisioning(tenant_config.globex.rendered_json)
}

# The idempotent PostgreSQL script (run by a superuser): the owner role, the
# schemas globex_data, globex_analytics and globex_audit, the login roles
# globex_admin and globex_user without password, and the tier's grants.
output "globex_postgresql_sql" {
  value = local.globex.postgresql
}

# One ACL SETUSER line per user, valid redis-cli input.
output "globex_redis_acl" {
  value = local.globex.redis_acl
}

# The engines the function returns an artifact for.
output "globex_engines_with_artifacts" {
  value = sort([for name, artifact in local.globex : name if artifact != null])
}

# The same artifacts from the configuration as YAML, for example from a
# file that an application reads: the function takes rendered_json,
# rendered_json_sensitive or the YAML export of either.
output "globex_clickhouse_sql" {
  value = provider::tenant::provisioning(provider::tenant::export(tenant_config.globex.rendered_json, "yaml")).clickhouse
}
