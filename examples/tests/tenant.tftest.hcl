# terraform test: the configuration is rendered at plan time, so these
# assertions run on a plan; nothing is applied.

run "premium_tenant_renders_at_plan" {
  command = plan

  assert {
    condition     = tenant_config.acme.limits.max_users == 10000
    error_message = "A premium tenant has 10,000 users."
  }

  assert {
    condition     = tenant_config.acme.databases["postgresql"].cpu_cores == 6
    error_message = "The override of databases.postgresql.resources.cpu_cores is in the plan."
  }

  assert {
    condition     = jsondecode(tenant_config.acme.rendered_json).monitoring.alerts.storage_threshold == 90
    error_message = "The override of monitoring.alerts.storage_threshold is in rendered_json."
  }

  assert {
    condition     = strcontains(tenant_config.acme.rendered_json, "\"tenant_id\":\"acme\"")
    error_message = "rendered_json names the tenant."
  }

  assert {
    condition     = tenant_config.acme.isolation.postgresql_schemas["tenant_data"] == "acme_data"
    error_message = "The tenant's data lives in its own schema."
  }

  # Through an output, not by calling the provider function here: see the
  # output's comment in main.tf.
  assert {
    condition     = output.clickhouse_write.allowed
    error_message = "A premium tenant may write to ClickHouse."
  }
}

run "enterprise_tenant_gets_the_higher_limits" {
  command = plan

  variables {
    tier = "enterprise"
  }

  assert {
    condition     = tenant_config.acme.limits.max_users == 100000 && tenant_config.acme.databases["timescaledb"].enabled
    error_message = "An enterprise tenant has 100,000 users and TimescaleDB."
  }
}
