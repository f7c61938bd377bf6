output "tenants" {
  description = "Every tenant_config resource of the fleet, by tenant id."
  value       = tenant_config.this
}

output "checksums" {
  description = "SHA-256 of each tenant's rendered configuration, by tenant id: a trigger for anything that must follow a change."
  value       = { for id, t in tenant_config.this : id => t.checksum }
}

output "tiers" {
  description = "Tier of each tenant, by tenant id."
  value       = { for id, t in tenant_config.this : id => t.tier }
}

output "limits" {
  description = "Subscription limits of each tenant (max_users, storage_gb, api_calls_per_month, db_connections), by tenant id."
  value       = { for id, t in tenant_config.this : id => t.limits }
}

output "isolation" {
  description = "PostgreSQL schemas, MongoDB collections and Redis key prefixes of each tenant, by tenant id."
  value       = { for id, t in tenant_config.this : id => t.isolation }
}

output "configs" {
  description = "Each tenant's rendered configuration decoded into an object, by tenant id."
  value       = { for id, t in tenant_config.this : id => jsondecode(t.rendered_json) }
}

output "enabled_engines" {
  description = "Database engines enabled for each tenant, by tenant id."
  value       = { for id, t in tenant_config.this : id => sort([for engine, db in t.databases : engine if db.enabled]) }
}

output "clickhouse_write" {
  description = "Whether each tenant may write to ClickHouse, and why: an object with allowed and reason, by tenant id."
  value = {
    for id, t in tenant_config.this :
    id => provider::tenant::validate_access(t.rendered_json, "clickhouse", "write")
  }
}
