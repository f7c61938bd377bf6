# Applies the provisioning artifacts of each tenant to PostgreSQL (psql) and
# Redis (redis-cli) from Terraform. The artifacts are known at plan time, so
# the plan shows what will run; the commands run only during apply, and run
# again whenever a tenant's artifact changes (a tier change, say).

locals {
  tenants = {
    initech = { name = "Initech", tier = "standard" }
    globex  = { name = "Globex Corporation", tier = "premium" }
  }

  postgresql_target = "${var.postgresql_user}@${var.postgresql_host}:${var.postgresql_port}/${var.postgresql_database}"
  redis_target      = "${var.redis_user}@${var.redis_host}:${var.redis_port}"
}

resource "tenant_config" "this" {
  for_each = local.tenants

  tenant_id   = each.key
  tenant_name = each.value.name
  tier        = each.value.tier
}

# The artifacts of each tenant, derived from its rendered configuration by
# the provisioning function: nothing of them is stored in tenant_config.
locals {
  artifacts = {
    for id, t in tenant_config.this : id => provider::tenant::provisioning(t.rendered_json)
  }
}

# The SQL goes to psql on its standard input from an environment variable,
# never through the shell's command line. ON_ERROR_STOP=1 makes psql stop at
# the first error and exit non-zero, which fails the apply; the script is a
# single transaction, so a failed run changes nothing.
resource "terraform_data" "postgresql" {
  for_each = {
    for id, a in local.artifacts : id => a.postgresql
    if a.postgresql != null
  }

  # A new script, or another server, replaces this resource and so runs the
  # script again. The script converges: running it over an existing tenant
  # leaves exactly the tier's grants.
  triggers_replace = {
    script = sha256(each.value)
    target = local.postgresql_target
  }

  provisioner "local-exec" {
    command = "printf '%s\\n' \"$TENANT_SQL\" | psql --no-psqlrc --quiet -v ON_ERROR_STOP=1"
    environment = {
      TENANT_SQL = each.value
      PGHOST     = var.postgresql_host
      PGPORT     = tostring(var.postgresql_port)
      PGUSER     = var.postgresql_user
      PGDATABASE = var.postgresql_database
    }
  }
}

# One ACL SETUSER command per line, on redis-cli's standard input. redis-cli
# exits 0 even when the server answers a command with an error, so the
# command fails unless every answer is OK. Each line resets the user,
# password included: set the passwords again right after (see README.md).
resource "terraform_data" "redis_acl" {
  for_each = {
    for id, a in local.artifacts : id => a.redis_acl
    if a.redis_acl != null
  }

  triggers_replace = {
    acl    = sha256(each.value)
    target = local.redis_target
  }

  provisioner "local-exec" {
    command = <<-EOT
      answers=$(printf '%s\n' "$TENANT_ACL" | redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --user "$REDIS_USER") || exit 1
      printf '%s\n' "$answers"
      test -z "$(printf '%s\n' "$answers" | grep -v '^OK$')"
    EOT
    environment = {
      TENANT_ACL = each.value
      REDIS_HOST = var.redis_host
      REDIS_PORT = tostring(var.redis_port)
      REDIS_USER = var.redis_user
    }
  }
}

output "postgresql_sql" {
  description = "The PostgreSQL script of each tenant, as the plan shows it."
  value       = { for id, a in local.artifacts : id => a.postgresql }
}

output "redis_acl" {
  description = "The Redis ACL lines of each tenant."
  value       = { for id, a in local.artifacts : id => a.redis_acl }
}
