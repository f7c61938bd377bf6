# Three tenants of different tiers, each enforced by the provider itself on a
# PostgreSQL and a Redis server: roles, schemas, grants and ACL users
# converge on every apply, every refresh reads back what the servers hold
# (an out-of-band grant or a lost ACL user shows in `terraform plan`), and a
# password changes only when passwords_version does. No psql or redis-cli is
# needed on the machine that runs Terraform.

provider "tenant" {
  postgresql {
    host     = var.postgresql_host
    port     = var.postgresql_port
    database = var.postgresql_database
    username = var.postgresql_username
    sslmode  = var.postgresql_sslmode
  }
  redis {
    url      = var.redis_url
    username = var.redis_username
    password = var.redis_password
  }
}

locals {
  tenants = {
    hooli   = { name = "Hooli", tier = "free" }
    initech = { name = "Initech", tier = "standard" }
    globex  = { name = "Globex Corporation", tier = "premium" }
  }
}

resource "tenant_config" "this" {
  for_each = local.tenants

  tenant_id   = each.key
  tenant_name = each.value.name
  tier        = each.value.tier
}

resource "tenant_postgresql" "this" {
  for_each = tenant_config.this

  config               = each.value.rendered_json
  passwords_wo         = lookup(var.tenant_passwords, each.key, null)
  passwords_wo_version = var.passwords_version

  # RESTRICT (the default) refuses to destroy a tenant whose schemas hold
  # tables; set CASCADE, and apply, before a destroy that should drop them.
  deletion_policy = "RESTRICT"
}

resource "tenant_redis" "this" {
  for_each = tenant_config.this

  config               = each.value.rendered_json
  passwords_wo         = lookup(var.tenant_passwords, each.key, null)
  passwords_wo_version = var.passwords_version
}

output "postgresql_privileges" {
  description = "What each tenant holds on PostgreSQL, as read from the catalog."
  value       = { for id, t in tenant_postgresql.this : id => t.privileges }
}

output "redis_rules" {
  description = "Each tenant's ACL users, as read with ACL GETUSER."
  value       = { for id, t in tenant_redis.this : id => t.rules }
}

# The engines the two resources do not enforce get their artifacts from the
# provisioning function, for the team's own tooling.
output "mongodb_roles" {
  description = "The createRole documents of each tenant."
  value       = { for id, t in tenant_config.this : id => provider::tenant::provisioning(t.rendered_json).mongodb }
}
