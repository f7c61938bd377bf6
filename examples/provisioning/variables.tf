# Where the tenants are enforced. The provider connects only when a
# tenant_postgresql or tenant_redis needs the server; a plan of new tenants
# needs neither.

variable "postgresql_host" {
  description = "Host, or unix socket directory, of the PostgreSQL server."
  type        = string
  default     = "localhost"
}

variable "postgresql_port" {
  description = "Port of the PostgreSQL server."
  type        = number
  default     = 5432
}

variable "postgresql_database" {
  description = "The database that holds the tenants' schemas."
  type        = string
  default     = "app"
}

variable "postgresql_username" {
  description = "A superuser (or a role that owns what it converges). Its password comes from PGPASSWORD or ~/.pgpass in the environment of the run."
  type        = string
  default     = "postgres"
}

variable "postgresql_sslmode" {
  description = "libpq sslmode. Use verify-full with a CA over a network: prefer may fall back to plain text."
  type        = string
  default     = "disable"
}

variable "redis_url" {
  description = "The Redis server: redis://host:port, rediss://host:port (TLS) or unix:///path/to/redis.sock."
  type        = string
  default     = "redis://localhost:6379"
}

variable "redis_username" {
  description = "A Redis user allowed to run ACL, CLIENT KILL and CONFIG GET."
  type        = string
  default     = "default"
}

variable "redis_password" {
  description = "Password of the Redis user."
  type        = string
  sensitive   = true
  default     = null
}

variable "tenant_passwords" {
  description = "Passwords of each tenant's login users by kind, for example from a secret store: { initech = { admin = \"...\", user = \"...\" } }."
  type        = map(map(string))
  sensitive   = true
  ephemeral   = true # never written to the plan or the state
  default     = {}
}

variable "passwords_version" {
  description = "Raise it to set tenant_passwords again on the servers (a rotation). Without a change, apply never touches a password."
  type        = number
  default     = 1
}
