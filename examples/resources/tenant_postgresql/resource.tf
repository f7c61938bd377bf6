# The server the tenants are enforced on. Every argument falls back to
# libpq's environment variable (PGHOST, PGPORT, PGDATABASE, PGUSER,
# PGPASSWORD, PGSSLMODE, PGSSLROOTCERT, PGCONNECT_TIMEOUT); the provider
# connects only when a tenant_postgresql needs the server.
provider "tenant" {
  postgresql {
    host        = "db.internal.example.com" # or a unix socket directory, such as "/var/run/postgresql"
    database    = "app"
    username    = "tenant_admin" # a superuser, or a role that owns what it converges
    sslmode     = "verify-full"  # "prefer" may fall back to plain text
    sslrootcert = "${path.module}/ca.pem"
    # password: set PGPASSWORD in the environment of the run.
  }
}

variable "passwords" {
  description = "Passwords of each tenant's login roles: { acme = { admin = \"...\", user = \"...\" } }."
  type        = map(map(string))
  sensitive   = true
  ephemeral   = true # never written to the plan or the state
  default     = {}
}

resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "standard"
}

resource "tenant_postgresql" "acme" {
  config = tenant_config.acme.rendered_json

  # The role that runs acme's schema migrations may SET ROLE acme_owner.
  owner_members = ["acme_migrator"]

  # Write-only (Terraform 1.11 or later): set at create and whenever
  # passwords_wo_version changes; null leaves the login roles without one.
  passwords_wo         = lookup(var.passwords, "acme", null)
  passwords_wo_version = 1

  # RESTRICT (default) refuses to destroy a tenant whose schemas hold tables.
  deletion_policy = "RESTRICT"
}

output "acme_privileges" {
  value = tenant_postgresql.acme.privileges
}
