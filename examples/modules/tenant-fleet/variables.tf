variable "tenants_file" {
  description = <<-EOT
    Path of a YAML file of tenants: a map from tenant id to the tenant's
    settings (see the module's README). Use a path inside the configuration,
    for example "$${path.module}/tenants.yaml". Null reads no file.
  EOT
  type        = string
  default     = null
}

variable "tenants" {
  description = <<-EOT
    Tenants given in HCL, by tenant id, in the same shape as an entry of
    tenants_file: name and tier are required; environment, region, timezone,
    regulations, overrides, variables and allow_downgrade are optional. A
    tenant given here replaces the tenant of the same id in tenants_file.
  EOT
  # Any: each tenant's overrides may have a different shape.
  type     = any
  default  = {}
  nullable = false

  validation {
    condition     = can(keys(var.tenants))
    error_message = "tenants must be a map (or object) from tenant id to the tenant's settings."
  }
}

variable "environment" {
  description = "Environment of every tenant that does not set its own: development, staging or production."
  type        = string
  default     = "production"
  nullable    = false
}
