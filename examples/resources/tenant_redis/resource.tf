# The Redis server the tenant_redis resources converge. The provider connects
# only when a tenant_redis needs it. Redis keeps ACLs per node: a replica or a
# cluster node needs its own aliased provider configuration and tenant_redis.
provider "tenant" {
  redis {
    # redis://host:port, rediss://host:port (TLS) or unix:///path/to/redis.sock.
    # Defaults to the REDIS_URL environment variable.
    url      = "rediss://redis.internal.example.com:6380"
    username = "tenant-provisioner"
    password = var.redis_password
  }
}

variable "redis_password" {
  description = "Password of the provider's Redis user (may also be part of REDIS_URL)."
  type        = string
  sensitive   = true
  default     = null
}

variable "acme_redis_passwords" {
  description = "Passwords of acme_admin and acme_user on Redis, by kind (admin, user), for example from a secret store."
  type        = map(string)
  sensitive   = true
  default     = null
}

resource "tenant_config" "acme" {
  tenant_id   = "acme"
  tenant_name = "Acme Corp"
  tier        = "standard"
}

resource "tenant_redis" "acme" {
  config = tenant_config.acme.rendered_json

  # Write-only: never stored in the plan or the state. Set when the resource
  # is created, when passwords_wo_version changes (a rotation), and on a user
  # that apply creates again after a restart lost it.
  passwords_wo         = var.acme_redis_passwords
  passwords_wo_version = 1

  # Offboarding: destroy deletes the users and ends their connections. Set
  # this to true, and apply, before the destroy that should also delete the
  # keys under cache:acme:, session:acme: and analytics:acme:.
  delete_keys_on_destroy = false
}
