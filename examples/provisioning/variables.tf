# Where the artifacts are applied. The defaults are a local PostgreSQL and
# Redis; passwords are not variables: psql reads PGPASSWORD or ~/.pgpass and
# redis-cli reads REDISCLI_AUTH from the environment Terraform runs in, so no
# password reaches the plan or the state.

variable "postgresql_host" {
  description = "Host (or socket directory) of the PostgreSQL server."
  type        = string
  default     = "localhost"
}

variable "postgresql_port" {
  description = "Port of the PostgreSQL server."
  type        = number
  default     = 5432
}

variable "postgresql_user" {
  description = "A superuser of the PostgreSQL server: the script creates roles and schemas."
  type        = string
  default     = "postgres"
}

variable "postgresql_database" {
  description = "The database that holds the tenants' schemas."
  type        = string
  default     = "app"
}

variable "redis_host" {
  description = "Host of the Redis server."
  type        = string
  default     = "localhost"
}

variable "redis_port" {
  description = "Port of the Redis server."
  type        = number
  default     = 6379
}

variable "redis_user" {
  description = "A Redis user allowed to run ACL SETUSER (its password comes from REDISCLI_AUTH)."
  type        = string
  default     = "default"
}
